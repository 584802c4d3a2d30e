using System.Text;
using System.Text.Json;

namespace SeqLab.Tests;

/// <summary>The CLI end to end: train, eval, predict, generate, resume, and every kind of bad input.</summary>
[Collection("cli")]
public class CliSpec
{
    static string[] Small(string data, string outDir, params string[] more) =>
        [
            "train",
            "--task",
            "lm",
            "--model",
            "lstm",
            "--data",
            data,
            "--out",
            outDir,
            "--embed-dim",
            "24",
            "--hidden-size",
            "24",
            "--min-count",
            "1",
            "--seq-len",
            "16",
            "--batch-size",
            "8",
            "--eval-interval",
            "10",
            "--threads",
            "1",
            "--lr",
            "0.01",
            "--warmup",
            "5",
            .. more,
        ];

    [Fact]
    public void TrainEvalPredictGenerateEndToEnd()
    {
        using var dir = new TempDir();
        var data = dir.File("c.txt", Corpora.Repetitive());
        var model = dir.Sub("m");
        var train = CliRunner.Run(Small(data, model, "--steps", "40"));
        Assert.Equal(0, train.ExitCode);
        foreach (var f in new[] { "config.json", "vocab.json", "manifest.json", "metrics.jsonl", "training.json" })
            Assert.True(File.Exists(Path.Combine(model, f)), f);

        var eval = CliRunner.Run("eval", "--model", model, "--data", data, "--json");
        Assert.Equal(0, eval.ExitCode);
        using var doc = JsonDocument.Parse(eval.Stdout);
        double ppl = doc.RootElement.GetProperty("perplexity").GetDouble(),
            unigram = doc.RootElement.GetProperty("unigram_perplexity").GetDouble();
        Assert.True(ppl < unigram, $"perplexity {ppl} vs unigram {unigram}");
        Assert.True(doc.RootElement.GetProperty("tokens").GetInt64() > 1000);

        var predict = CliRunner.Run("predict", "--model", model, "--text", "me senté en el", "--top", "5", "--json");
        Assert.Equal(0, predict.ExitCode);
        using var p = JsonDocument.Parse(predict.Stdout);
        var candidates = p.RootElement.GetProperty("candidates").EnumerateArray().ToList();
        Assert.Equal(5, candidates.Count);
        Assert.All(candidates, c => Assert.InRange(c.GetProperty("probability").GetDouble(), 0, 1));

        var generate = CliRunner.Run(
            "generate",
            "--model",
            model,
            "--prompt",
            "fui al",
            "--temperature",
            "0",
            "--json"
        );
        Assert.Equal(0, generate.ExitCode);
        Assert.StartsWith("fui al", JsonDocument.Parse(generate.Stdout).RootElement.GetProperty("output").GetString());

        var beam = CliRunner.Run(
            "generate",
            "--model",
            model,
            "--prompt",
            "fui al",
            "--beam",
            "3",
            "--max-tokens",
            "8",
            "--json"
        );
        Assert.Equal(0, beam.ExitCode);
        Assert.StartsWith("fui al", JsonDocument.Parse(beam.Stdout).RootElement.GetProperty("output").GetString());
    }

    static List<double> Losses(string dir) =>
        File.ReadLines(Path.Combine(dir, "metrics.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.TryGetProperty("loss", out _))
            .Select(e => e.GetProperty("loss").GetDouble())
            .ToList();

    [Fact]
    public void ResumingRepeatsTheStraightRunStepByStep()
    {
        using var dir = new TempDir();
        var data = dir.File("c.txt", Corpora.Repetitive());
        Assert.Equal(0, CliRunner.Run(Small(data, dir.Sub("straight"), "--steps", "40", "--dropout", "0.2")).ExitCode);
        Assert.Equal(0, CliRunner.Run(Small(data, dir.Sub("split"), "--steps", "20", "--dropout", "0.2")).ExitCode);
        var resumed = CliRunner.Run(
            "train",
            "--resume",
            dir.Sub("split"),
            "--data",
            data,
            "--steps",
            "40",
            "--threads",
            "1"
        );
        Assert.Equal(0, resumed.ExitCode);
        Assert.Equal(Losses(dir.Sub("straight")), Losses(dir.Sub("split")));
    }

    static void AssertBadInput(CliRunner.Result r, string mentions)
    {
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.Contains(mentions, r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public void UnknownModelIsBadUsage()
    {
        using var dir = new TempDir();
        var data = dir.File("c.txt", "hola mundo\n");
        AssertBadInput(
            CliRunner.Run("train", "--model", "transformerx", "--data", data, "--out", dir.Sub("m")),
            "unknown model 'transformerx'"
        );
        Assert.False(Directory.Exists(dir.Sub("m")));
    }

    [Fact]
    public void NegativeStepsIsBadUsage()
    {
        using var dir = new TempDir();
        AssertBadInput(
            CliRunner.Run("train", "--data", dir.File("c.txt", "hola\n"), "--steps", "-5", "--out", dir.Sub("m")),
            "--steps"
        );
    }

    [Fact]
    public void MissingDataPathIsNamed()
    {
        using var dir = new TempDir();
        AssertBadInput(
            CliRunner.Run("train", "--data", dir.Sub("nope.txt"), "--out", dir.Sub("m")),
            "nope.txt does not exist"
        );
        Assert.False(Directory.Exists(dir.Sub("m")));
    }

    [Fact]
    public void EmptyFileIsRejected()
    {
        using var dir = new TempDir();
        AssertBadInput(
            CliRunner.Run("train", "--data", dir.File("empty.txt", "\n  \n"), "--out", dir.Sub("m")),
            "contains no text"
        );
    }

    [Fact]
    public void InvalidUtf8NamesTheFileAndLine()
    {
        using var dir = new TempDir();
        var bytes = Encoding.UTF8.GetBytes("línea uno\nlínea dos\n").Concat(new byte[] { 0x63, 0xE9, 0x0A }).ToArray(); // latin-1 "cé" on line 3
        var path = dir.Bytes("latin1.txt", bytes);
        AssertBadInput(CliRunner.Run("train", "--data", path, "--out", dir.Sub("m")), "latin1.txt:3: invalid UTF-8");
    }

    [Fact]
    public void UnknownOptionPointsAtHelp() =>
        AssertBadInput(CliRunner.Run("eval", "--modle", "x"), "unknown option --modle");

    [Fact]
    public void UnknownCommandIsBadUsage() => AssertBadInput(CliRunner.Run("trian"), "unknown command 'trian'");

    [Fact]
    public void ConfigWithUnknownKeyIsNamed()
    {
        using var dir = new TempDir();
        var config = dir.File("c.json", "{\"model\": {\"hiden_size\": 10}}");
        AssertBadInput(
            CliRunner.Run("train", "--data", dir.File("c.txt", "hola\n"), "--config", config, "--out", dir.Sub("m")),
            "unknown key 'hiden_size'"
        );
    }

    [Fact]
    public void CheckpointMissingFilesIsNamed()
    {
        using var dir = new TempDir();
        AssertBadInput(CliRunner.Run("predict", "--model", dir.Path, "--text", "hola"), "manifest.json");
    }

    /// <summary>Trains a two-step model into dir/m and returns the data file it used.</summary>
    static string TrainTiny(TempDir dir)
    {
        var data = dir.File("c.txt", Corpora.Repetitive(50));
        Assert.Equal(0, CliRunner.Run(Small(data, dir.Sub("m"), "--steps", "2")).ExitCode);
        return data;
    }

    [Fact]
    public void TruncatedWeightsFailTheChecksum()
    {
        using var dir = new TempDir();
        TrainTiny(dir);
        var weights = Directory.GetFiles(dir.Sub("m"), "weights-*.safetensors").Single();
        var bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..(bytes.Length / 2)]);
        AssertBadInput(
            CliRunner.Run("predict", "--model", dir.Sub("m"), "--text", "hola"),
            "does not match its checksum"
        );
    }

    [Fact]
    public void EmptyPredictTextIsRejected()
    {
        using var dir = new TempDir();
        TrainTiny(dir);
        AssertBadInput(CliRunner.Run("predict", "--model", dir.Sub("m"), "--text", "   "), "the text is empty");
    }

    [Fact]
    public void TrainingIntoAnExistingCheckpointIsRefused()
    {
        using var dir = new TempDir();
        var data = TrainTiny(dir);
        var before = File.ReadAllText(Path.Combine(dir.Sub("m"), "manifest.json"));
        AssertBadInput(CliRunner.Run(Small(data, dir.Sub("m"), "--steps", "2")), "--resume");
        Assert.Equal(before, File.ReadAllText(Path.Combine(dir.Sub("m"), "manifest.json")));
    }

    [Fact]
    public void TheCompletionDirectiveListsMatchingCommands()
    {
        var r = CliRunner.Run("[suggest:9]", "seqlab tr");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("train", r.Stdout.Trim());
    }

    [Fact]
    public void HelpShowsADefaultReadFromTheLibrary()
    {
        var r = CliRunner.Run("train", "--help");
        Assert.Contains($"default {new SeqLab.Models.ModelConfig().HiddenSize}", r.Stdout);
        Assert.Contains("--model rnn|lstm|gru|transformer", r.Stdout);
    }

    [Fact]
    public void EveryCommandHasHelp()
    {
        foreach (
            var command in new[]
            {
                "train",
                "eval",
                "predict",
                "generate",
                "embed",
                "lab",
                "demo",
                "bench",
                "serve",
                "export",
                "import",
                "data",
                "tokenizer",
            }
        )
        {
            var r = CliRunner.Run(command, "--help");
            Assert.Equal(0, r.ExitCode);
            Assert.Contains($"usage: seqlab {command}", r.Stdout);
        }
    }
}
