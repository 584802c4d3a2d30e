using System.Text.Json.Nodes;
using TorchSharp;

namespace SeqLab.Tests;

/// <summary>`export --pytorch` and `import --from-pytorch` refuse what they cannot do, with exit code 2 and nothing
/// written.</summary>
[Collection("cli")]
public class PyTorchFolderSpec
{
    [Fact]
    public void TheFolderHoldsTheWeightsTheSettingsAndThePython()
    {
        using var dir = new TempDir();
        var (model, _) = CliRunner.TinyLanguageModel(dir);
        var r = CliRunner.Run("export", "--model", model, "--pytorch", dir.Sub("pt"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        foreach (var f in new[] { "model.safetensors", "config.json", "training.json", "vocab.json", "model.py" })
            Assert.True(File.Exists(Path.Combine(dir.Sub("pt"), f)), f);
        foreach (var f in new[] { "data.py", "train_ddp.py", "README.md", "seqlab.json" })
            Assert.True(File.Exists(Path.Combine(dir.Sub("pt"), f)), f);
        Assert.Contains("torchrun", File.ReadAllText(Path.Combine(dir.Sub("pt"), "README.md")));
    }

    [Fact]
    public void AnExportNeverWritesIntoAFolderThatHoldsFiles()
    {
        using var dir = new TempDir();
        var (model, _) = CliRunner.TinyLanguageModel(dir);
        Directory.CreateDirectory(dir.Sub("pt"));
        File.WriteAllText(Path.Combine(dir.Sub("pt"), "mine.txt"), "keep");
        var r = CliRunner.Run("export", "--model", model, "--pytorch", dir.Sub("pt"));
        Assert.Equal(2, r.ExitCode);
        Assert.Equal(["mine.txt"], Directory.GetFiles(dir.Sub("pt")).Select(Path.GetFileName));
    }

    [Fact]
    public void AMissingFileIsNamed()
    {
        using var dir = new TempDir();
        var (model, _) = CliRunner.TinyLanguageModel(dir);
        Assert.Equal(0, CliRunner.Run("export", "--model", model, "--pytorch", dir.Sub("pt")).ExitCode);
        File.Delete(Path.Combine(dir.Sub("pt"), "vocab.json"));
        var r = CliRunner.Run("import", "--from-pytorch", dir.Sub("pt"), "--out", dir.Sub("back"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("vocab.json", r.Stderr);
        Assert.False(Directory.Exists(dir.Sub("back")));
    }

    [Fact]
    public void OptimiserMomentsOfAnotherModelAreRefusedByName()
    {
        using var dir = new TempDir();
        var (model, _) = CliRunner.TinyLanguageModel(dir);
        Assert.Equal(0, CliRunner.Run("export", "--model", model, "--pytorch", dir.Sub("pt")).ExitCode);
        // What train_ddp.py writes beside the weights: every parameter's moments, here of the wrong shape.
        File.WriteAllText(Path.Combine(dir.Sub("pt"), "optimizer.json"), "{\"optimizer\": \"adamw\", \"step\": 3}");
        var weights = Path.Combine(dir.Sub("pt"), "model.safetensors");
        var names = SeqLab.IO.SafeTensors.Read(File.ReadAllBytes(weights), weights).Keys;
        using (var f = File.Create(Path.Combine(dir.Sub("pt"), "optimizer.safetensors")))
            SeqLab.IO.SafeTensors.Write(
                f,
                names.SelectMany(n =>
                    new[] { ($"{n}.exp_avg", torch.zeros(2, 2)), ($"{n}.exp_avg_sq", torch.zeros(2, 2)) }
                )
            );
        var r = CliRunner.Run("import", "--from-pytorch", dir.Sub("pt"), "--out", dir.Sub("back"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("have shape [2, 2]", r.Stderr);
        Assert.False(Directory.Exists(dir.Sub("back")));
    }

    [Fact]
    public void ANewerLayoutAndMismatchedWeightsAreRefused()
    {
        using var dir = new TempDir();
        var (model, _) = CliRunner.TinyLanguageModel(dir);
        Assert.Equal(0, CliRunner.Run("export", "--model", model, "--pytorch", dir.Sub("pt")).ExitCode);
        var marker = Path.Combine(dir.Sub("pt"), "seqlab.json");
        File.WriteAllText(marker, new JsonObject { ["layout"] = 99 }.ToJsonString());
        var newer = CliRunner.Run("import", "--from-pytorch", dir.Sub("pt"), "--out", dir.Sub("back"));
        Assert.Equal(2, newer.ExitCode);
        Assert.Contains("layout 99", newer.Stderr);
        File.Delete(marker);
        var config = Path.Combine(dir.Sub("pt"), "config.json");
        var c = JsonNode.Parse(File.ReadAllText(config))!;
        c["hidden_size"] = 12;
        File.WriteAllText(config, c.ToJsonString());
        var mismatch = CliRunner.Run("import", "--from-pytorch", dir.Sub("pt"), "--out", dir.Sub("back"));
        Assert.Equal(2, mismatch.ExitCode);
        Assert.Contains("another architecture", mismatch.Stderr);
    }

    [Fact]
    public void ASeq2SeqModelExportsWithItsDecoder()
    {
        using var dir = new TempDir();
        var data = dir.File(
            "r.tsv",
            string.Concat(Enumerable.Range(0, 40).Select(i => $"a b c {i % 5}\t{i % 5} c b a\n"))
        );
        var r = CliRunner.Run(
            "train",
            "--task",
            "seq2seq",
            "--model",
            "gru",
            "--data",
            data,
            "--out",
            dir.Sub("m"),
            "--embed-dim",
            "8",
            "--hidden-size",
            "8",
            "--min-count",
            "1",
            "--steps",
            "2",
            "--threads",
            "1"
        );
        Assert.True(r.ExitCode == 0, r.Stderr);
        var e = CliRunner.Run("export", "--model", dir.Sub("m"), "--pytorch", dir.Sub("pt"));
        Assert.True(e.ExitCode == 0, e.Stderr);
        Assert.Contains("Seq2SeqModel", File.ReadAllText(Path.Combine(dir.Sub("pt"), "model.py")));
    }
}
