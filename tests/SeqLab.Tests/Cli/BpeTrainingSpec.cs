using System.Text.Json;
using SeqLab.Training;

namespace SeqLab.Tests;

/// <summary>`train --tokenizer bpe` learns the tokenizer, keeps it in the checkpoint, and nothing is unknown.</summary>
[Collection("cli")]
public class BpeTrainingSpec
{
    static string[] Train(TempDir dir, string data, params string[] more) =>
        [
            "train",
            "--data",
            data,
            "--out",
            dir.Sub("m"),
            "--steps",
            "4",
            "--hidden-size",
            "16",
            "--embed-dim",
            "16",
            "--threads",
            "1",
            .. more,
        ];

    [Fact]
    public void ABpeModelKeepsItsTokenizerAndKnowsEveryInput()
    {
        using var dir = new TempDir();
        var data = dir.File("c.txt", Corpora.Repetitive(80));
        Assert.Equal(0, CliRunner.Run(Train(dir, data, "--tokenizer", "bpe", "--vocab-size", "300")).ExitCode);
        var manifest = JsonDocument
            .Parse(File.ReadAllText(Path.Combine(dir.Sub("m"), Checkpoint.ManifestFile)))
            .RootElement;
        Assert.True(manifest.GetProperty("sha256").TryGetProperty("tokenizer.json", out _));
        var test = dir.File("t.txt", "¡Hola! 🤖 Ελληνικά y niño\n");
        var eval = CliRunner.Run("eval", "--model", dir.Sub("m"), "--data", test, "--json");
        Assert.Equal(0, eval.ExitCode);
        var json = JsonDocument.Parse(eval.Stdout).RootElement;
        Assert.Equal(0.0, json.GetProperty("unknown_rate").GetDouble());
        var generated = CliRunner.Run(
            "generate",
            "--model",
            dir.Sub("m"),
            "--prompt",
            "¿Dónde está el niño?",
            "--max-tokens",
            "8"
        );
        Assert.Equal(0, generated.ExitCode);
        Assert.StartsWith("¿Dónde está el niño?", generated.Stdout); // decoded from bytes: accents and ¿ intact
        var predict = CliRunner.Run("predict", "--model", dir.Sub("m"), "--text", "me senté en el", "--json");
        Assert.Equal(0, predict.ExitCode);
        Assert.All(
            JsonDocument.Parse(predict.Stdout).RootElement.GetProperty("candidates").EnumerateArray(),
            c => Assert.DoesNotContain("Ġ", c.GetProperty("token").GetString())
        );
    }

    [Fact]
    public void AVocabularyBelowTheByteAlphabetIsBadInput()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run(
            Train(dir, dir.File("c.txt", Corpora.Repetitive(30)), "--tokenizer", "bpe", "--vocab-size", "100")
        );
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--vocab-size", r.Stderr);
        Assert.False(Directory.Exists(dir.Sub("m")));
    }

    [Theory]
    [InlineData("word")]
    [InlineData("char")]
    [InlineData("bpe")]
    public void EvalPutsEveryTokenizerOnOneScale(string tokenizer)
    {
        using var dir = new TempDir();
        var data = dir.File("c.txt", Corpora.Repetitive(80));
        Assert.Equal(
            0,
            CliRunner
                .Run(Train(dir, data, "--tokenizer", tokenizer, "--vocab-size", "300", "--min-count", "1"))
                .ExitCode
        );
        var text = dir.File("t.txt", "el banco del parque\nla casa azul del río\n");
        var json = JsonDocument
            .Parse(CliRunner.Run("eval", "--model", dir.Sub("m"), "--data", text, "--json").Stdout)
            .RootElement;
        double nll = json.GetProperty("loss").GetDouble() * json.GetProperty("tokens").GetDouble();
        // 4 + 5 words and 19 + 20 characters, each line's end counted once.
        Assert.Equal(Math.Exp(nll / (9 + 2)), json.GetProperty("word_perplexity").GetDouble(), 6);
        Assert.Equal(nll / Math.Log(2) / (39 + 2), json.GetProperty("bits_per_character").GetDouble(), 6);
    }

    [Fact]
    public void ImportingABpeModelIsRefusedClearly()
    {
        using var dir = new TempDir();
        Assert.Equal(
            0,
            CliRunner
                .Run(Train(dir, dir.File("c.txt", Corpora.Repetitive(60)), "--tokenizer", "bpe", "--vocab-size", "300"))
                .ExitCode
        );
        Assert.Equal(0, CliRunner.Run("export", "--model", dir.Sub("m"), "--out", dir.Sub("w.safetensors")).ExitCode);
        var r = CliRunner.Run(
            "import",
            "--weights",
            dir.Sub("w.safetensors"),
            "--config",
            Path.Combine(dir.Sub("m"), "config.json"),
            "--vocab",
            Path.Combine(dir.Sub("m"), "vocab.json"),
            "--out",
            dir.Sub("imported")
        );
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("BPE model", r.Stderr);
        Assert.False(Directory.Exists(dir.Sub("imported")));
    }
}
