using SeqLab.Training;

namespace SeqLab.Tests;

/// <summary>Bad input of every kind: exit 2, one line naming the culprit, no stack trace, nothing written.</summary>
[Collection("cli")]
public class BadInputMatrixSpec
{
    public static IEnumerable<object[]> Cases() =>
        [
            [
                "folder without .txt",
                (Func<TempDir, string[]>)(d => Train(d, Directory.CreateDirectory(d.Sub("empty-folder")).FullName)),
                "no .txt files",
            ],
            [
                "binary file",
                (Func<TempDir, string[]>)(d => Train(d, d.Bytes("b.txt", [0x7F, 0x45, 0x4C, 0x46, 0x00, 0x01, 0x0A]))),
                "binary",
            ],
            [
                "50 MB single line",
                (Func<TempDir, string[]>)(d => Train(d, d.File("long.txt", new string('a', 50_000_000)))),
                "longer than",
            ],
            [
                "TSV without a tab",
                (Func<TempDir, string[]>)(d => Classify(d, "norte\tfrío\nsur calor\n")),
                ":2: no tab",
            ],
            [
                "TSV empty label",
                (Func<TempDir, string[]>)(d => Classify(d, "norte\tfrío\n\tcalor\n")),
                ":2: the label is empty",
            ],
            [
                "TSV extra column",
                (Func<TempDir, string[]>)(d => Classify(d, "norte\tfrío\tx\n")),
                ":1: 3 tab-separated columns",
            ],
            [
                "JSONL broken line",
                (Func<TempDir, string[]>)(
                    d =>
                        [
                            "train",
                            "--task",
                            "classify",
                            "--data",
                            d.File("c.jsonl", "{\"text\": \"a\", \"label\": \"x\"}\n{\"text\": \"b\", \n"),
                            "--out",
                            d.Sub("m"),
                        ]
                ),
                ":2: broken JSON",
            ],
            [
                "unknown task",
                (Func<TempDir, string[]>)(d => [.. Train(d, Text(d)), "--task", "translate"]),
                "unknown task 'translate'",
            ],
            [
                "unknown impl",
                (Func<TempDir, string[]>)(d => [.. Train(d, Text(d)), "--impl", "cuda"]),
                "unknown impl 'cuda'",
            ],
            ["zero batch", (Func<TempDir, string[]>)(d => [.. Train(d, Text(d)), "--batch-size", "0"]), "--batch-size"],
            ["seq-len 0", (Func<TempDir, string[]>)(d => [.. Train(d, Text(d)), "--seq-len", "0"]), "--seq-len"],
            ["dropout 1.5", (Func<TempDir, string[]>)(d => [.. Train(d, Text(d)), "--dropout", "1.5"]), "--dropout"],
            [
                "non-numeric steps",
                (Func<TempDir, string[]>)(d => [.. Train(d, Text(d)), "--steps", "many"]),
                "--steps must be a whole number",
            ],
            [
                "heads not dividing d_model",
                (Func<TempDir, string[]>)(
                    d =>
                        [
                            .. Train(d, Text(d)),
                            "--model",
                            "transformer",
                            "--hidden-size",
                            "10",
                            "--embed-dim",
                            "10",
                            "--heads",
                            "3",
                        ]
                ),
                "heads (3) must divide",
            ],
            [
                "config wrong type",
                (Func<TempDir, string[]>)(
                    d => [.. Train(d, Text(d)), "--config", d.File("c.json", "{\"model\": {\"hidden_size\": \"big\"}}")]
                ),
                "invalid value at $.model.hidden_size",
            ],
            [
                "config unknown family",
                (Func<TempDir, string[]>)(
                    d => [.. Train(d, Text(d)), "--config", d.File("c.json", "{\"model\": {\"family\": \"lstn\"}}")]
                ),
                "'lstn' is not one of: rnn, lstm, gru, transformer",
            ],
            [
                "resume changing the family",
                (Func<TempDir, string[]>)(d => ["train", "--resume", d.Sub("m"), "--data", Text(d), "--model", "gru"]),
                "--model cannot change when resuming",
            ],
            [
                "checkpoint that does not exist",
                (Func<TempDir, string[]>)(d => ["eval", "--model", d.Sub("nothing"), "--data", Text(d)]),
                "does not exist",
            ],
        ];

    static string Text(TempDir d) =>
        File.Exists(d.Sub("c.txt")) ? d.Sub("c.txt") : d.File("c.txt", Corpora.Repetitive(50));

    static string[] Train(TempDir d, string data) => ["train", "--data", data, "--out", d.Sub("m"), "--steps", "1"];

    static string[] Classify(TempDir d, string tsv) =>
        ["train", "--task", "classify", "--data", d.File("c.tsv", tsv), "--out", d.Sub("m")];

    [Theory]
    [MemberData(nameof(Cases))]
    public void IsRejectedWithOneClearLineAndNothingWritten(string name, Func<TempDir, string[]> args, string mentions)
    {
        using var dir = new TempDir();
        var argv = args(dir);
        var before = Directory
            .GetFiles(dir.Path, "*", SearchOption.AllDirectories)
            .ToDictionary(f => f, File.GetLastWriteTimeUtc);
        var r = CliRunner.Run(argv);
        Assert.True(r.ExitCode == 2, $"{name}: exit {r.ExitCode}, stderr {r.Stderr}");
        Assert.Single(r.ErrorLines);
        Assert.Contains(mentions, r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
        var after = Directory
            .GetFiles(dir.Path, "*", SearchOption.AllDirectories)
            .ToDictionary(f => f, File.GetLastWriteTimeUtc);
        Assert.Equal(before, after);
    }

    [Fact]
    public void ACheckpointWithAnotherRunsVocabularyIsRefused()
    {
        using var dir = new TempDir();
        foreach (var (name, lines) in new[] { ("a", 50), ("b", 400) })
            Assert.Equal(
                0,
                CliRunner
                    .Run(
                        "train",
                        "--data",
                        dir.File(
                            $"{name}.txt",
                            Corpora.Repetitive(lines, seed: lines)
                                + (name == "b" ? "palabras nuevas aquí aquí nuevas palabras\n" : "")
                        ),
                        "--out",
                        dir.Sub(name),
                        "--steps",
                        "1",
                        "--hidden-size",
                        "8",
                        "--embed-dim",
                        "8",
                        "--min-count",
                        "1",
                        "--threads",
                        "1"
                    )
                    .ExitCode
            );
        File.Copy(Path.Combine(dir.Sub("b"), "vocab.json"), Path.Combine(dir.Sub("a"), "vocab.json"), overwrite: true);
        var r = CliRunner.Run("predict", "--model", dir.Sub("a"), "--text", "hola");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("vocab.json", r.Stderr);
        Assert.Single(r.ErrorLines);
    }

    [Fact]
    public void PredictTruncatesAnOverlongContextWithAWarning()
    {
        using var dir = new TempDir();
        var data = dir.File("c.txt", Corpora.Repetitive(50));
        Assert.Equal(
            0,
            CliRunner
                .Run(
                    "train",
                    "--data",
                    data,
                    "--out",
                    dir.Sub("m"),
                    "--steps",
                    "2",
                    "--hidden-size",
                    "8",
                    "--embed-dim",
                    "8",
                    "--max-length",
                    "6",
                    "--threads",
                    "1"
                )
                .ExitCode
        );
        var r = CliRunner.Run(
            "predict",
            "--model",
            dir.Sub("m"),
            "--text",
            "me senté en el banco del parque y fui al banco a sacar dinero"
        );
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("only its last 6 tokens were read", r.Stderr);
    }

    [Fact]
    public void ADivergingRunStopsNamingTheStepAndKeepsTheLastGoodCheckpoint()
    {
        using var dir = new TempDir();
        var data = dir.File("c.txt", Corpora.Repetitive(200));
        var r = CliRunner.Run(
            "train",
            "--data",
            data,
            "--out",
            dir.Sub("m"),
            "--lr",
            "1e30",
            "--warmup",
            "0",
            "--steps",
            "50",
            "--eval-interval",
            "1",
            "--config",
            dir.File("c.json", "{\"training\": {\"clip_norm\": 0}}"),
            "--hidden-size",
            "8",
            "--embed-dim",
            "8",
            "--threads",
            "1"
        );
        Assert.Equal(1, r.ExitCode);
        Assert.Matches("diverged at step [0-9]+", r.Stderr);
        Assert.Contains("--lr", r.Stderr);
        if (File.Exists(Path.Combine(dir.Sub("m"), Checkpoint.ManifestFile)))
            Checkpoint.Load(dir.Sub("m"), best: false); // loads, or throws
    }
}
