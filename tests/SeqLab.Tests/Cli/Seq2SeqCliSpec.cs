using System.Text.Json;
using SeqLab.IO;
using SeqLab.Training;

namespace SeqLab.Tests;

[Collection("cli")]
public class Seq2SeqCliSpec
{
    [Fact]
    public void DataTrainEvalPredictGenerateEndToEnd()
    {
        using var dir = new TempDir();
        string train = dir.Sub("reverse.tsv"),
            test = dir.Sub("test.jsonl"),
            model = dir.Sub("m");
        Assert.Equal(
            0,
            CliRunner.Run("data", "reverse", "--out", train, "--examples", "400", "--max-length", "8").ExitCode
        );
        Assert.Equal(
            0,
            CliRunner
                .Run("data", "reverse", "--out", test, "--examples", "20", "--max-length", "8", "--seed", "9")
                .ExitCode
        );
        Assert.Equal(400, File.ReadAllLines(train).Length);
        Assert.Equal(
            0,
            CliRunner
                .Run(
                    "train",
                    "--task",
                    "seq2seq",
                    "--model",
                    "transformer",
                    "--data",
                    train,
                    "--out",
                    model,
                    "--hidden-size",
                    "32",
                    "--embed-dim",
                    "32",
                    "--heads",
                    "2",
                    "--ff-dim",
                    "64",
                    "--layers",
                    "1",
                    "--steps",
                    "30",
                    "--batch-size",
                    "32",
                    "--eval-interval",
                    "15",
                    "--threads",
                    "1",
                    "--preset",
                    "paper",
                    "--warmup",
                    "10"
                )
                .ExitCode
        );

        var eval = CliRunner.Run("eval", "--model", model, "--data", test, "--json");
        Assert.Equal(0, eval.ExitCode);
        var e = JsonDocument.Parse(eval.Stdout).RootElement;
        Assert.Equal(20, e.GetProperty("examples").GetInt32());
        Assert.InRange(e.GetProperty("exact_match").GetDouble(), 0, 1);
        Assert.InRange(e.GetProperty("bleu").GetDouble(), 0, 100);

        var predict = CliRunner.Run("predict", "--model", model, "--text", "a b c", "--beam", "3", "--json");
        Assert.Equal(0, predict.ExitCode);
        Assert.True(JsonDocument.Parse(predict.Stdout).RootElement.TryGetProperty("output", out _));
        var generate = CliRunner.Run(
            "generate",
            "--model",
            model,
            "--prompt",
            "a b c",
            "--temperature",
            "1",
            "--top-k",
            "3",
            "--json"
        );
        Assert.Equal(0, generate.ExitCode);
    }

    [Fact]
    public void Seq2SeqDefaultsToTheTransformerWithItsOwnLearningRate()
    {
        using var dir = new TempDir();
        var data = dir.File("r.tsv", "a b\tb a\nc d\td c\ne f\tf e\ng h\th g\na c\tc a\n");
        Assert.Equal(
            0,
            CliRunner
                .Run(
                    "train",
                    "--task",
                    "seq2seq",
                    "--data",
                    data,
                    "--out",
                    dir.Sub("m"),
                    "--steps",
                    "1",
                    "--hidden-size",
                    "8",
                    "--embed-dim",
                    "8",
                    "--heads",
                    "2",
                    "--ff-dim",
                    "8",
                    "--min-count",
                    "1"
                )
                .ExitCode
        );
        var loaded = Checkpoint.Load(dir.Sub("m"));
        Assert.Equal(("transformer", 1e-3), (loaded.Config.Family.Name(), loaded.Training.LearningRate));
        Assert.Equal(
            0,
            CliRunner
                .Run(
                    "train",
                    "--task",
                    "seq2seq",
                    "--data",
                    data,
                    "--out",
                    dir.Sub("n"),
                    "--steps",
                    "1",
                    "--hidden-size",
                    "8",
                    "--embed-dim",
                    "8",
                    "--heads",
                    "2",
                    "--ff-dim",
                    "8",
                    "--min-count",
                    "1",
                    "--lr",
                    "0.003"
                )
                .ExitCode
        );
        Assert.Equal(0.003, Checkpoint.Load(dir.Sub("n")).Training.LearningRate);
    }

    [Fact]
    public void DataRefusesToOverwriteAnExistingFile()
    {
        using var dir = new TempDir();
        var existing = dir.File("keep.tsv", "precious\n");
        var r = CliRunner.Run("data", "reverse", "--out", existing);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("precious\n", File.ReadAllText(existing));
    }
}
