using SeqLab.Training;

namespace SeqLab.Tests;

/// <summary>SeqLab never overwrites or deletes a file it did not write, and two runs never share a folder.</summary>
[Collection("cli")]
public class FileSafetySpec
{
    static Dictionary<string, string> Snapshot(string dir) =>
        Directory.GetFiles(dir).ToDictionary(Path.GetFileName, f => Convert.ToHexString(File.ReadAllBytes(f)))!;

    static void AssertRefused(CliRunner.Result r, string mentions)
    {
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.Contains(mentions, r.Stderr);
    }

    [Fact]
    public void TrainingIntoAFolderOfUserFilesIsRefusedAndTheFilesStay()
    {
        using var dir = new TempDir();
        var data = dir.File("c.txt", Corpora.Repetitive(50));
        var out_ = dir.Sub("mine");
        Directory.CreateDirectory(out_);
        File.WriteAllText(Path.Combine(out_, "weights-final.safetensors"), "my weights");
        File.WriteAllText(Path.Combine(out_, "config.json"), "{\"mine\": true}");
        File.WriteAllText(Path.Combine(out_, "metrics.jsonl"), "my metrics\n");
        var before = Snapshot(out_);
        AssertRefused(
            CliRunner.Run("train", "--data", data, "--out", out_, "--steps", "1"),
            "is not empty and is not a SeqLab checkpoint"
        );
        Assert.Equal(before, Snapshot(out_));
    }

    [Fact]
    public void ImportIntoAFolderOfUserFilesIsRefused()
    {
        using var dir = new TempDir();
        var (model, _) = CliRunner.TinyLanguageModel(dir);
        Assert.Equal(0, CliRunner.Run("export", "--model", model, "--out", dir.Sub("w.safetensors")).ExitCode);
        var out_ = dir.Sub("target");
        Directory.CreateDirectory(out_);
        File.WriteAllText(Path.Combine(out_, "notes.txt"), "keep me");
        var r = CliRunner.Run(
            "import",
            "--weights",
            dir.Sub("w.safetensors"),
            "--config",
            Path.Combine(model, "config.json"),
            "--vocab",
            Path.Combine(model, "vocab.json"),
            "--out",
            out_
        );
        AssertRefused(r, "is not empty");
        Assert.Equal(["notes.txt"], Directory.GetFiles(out_).Select(Path.GetFileName));
    }

    [Fact]
    public void ASecondRunIntoAFolderInUseIsRefused()
    {
        using var dir = new TempDir();
        var (model, data) = CliRunner.TinyLanguageModel(dir);
        var manifest = File.ReadAllText(Path.Combine(model, Checkpoint.ManifestFile));
        using (Checkpoint.Lock(model))
        {
            AssertRefused(
                CliRunner.Run("train", "--resume", model, "--data", data, "--steps", "5"),
                "another training is writing into"
            );
            Assert.Equal(manifest, File.ReadAllText(Path.Combine(model, Checkpoint.ManifestFile)));
        }
        Assert.Equal(0, CliRunner.Run("train", "--resume", model, "--data", data, "--steps", "5").ExitCode);
    }

    [Fact]
    public void ExportingIntoTheCheckpointsOwnFolderIsRefused()
    {
        using var dir = new TempDir();
        var (model, _) = CliRunner.TinyLanguageModel(dir);
        var weights = Directory.GetFiles(model, "weights-*.safetensors")[0];
        AssertRefused(
            CliRunner.Run("export", "--model", model, "--out", weights, "--force"),
            "inside the checkpoint folder"
        );
        using var _ = Checkpoint.Load(model).Model;
    }

    [Fact]
    public void ResumingNeverDeletesAFileSeqLabDidNotWrite()
    {
        using var dir = new TempDir();
        var (model, data) = CliRunner.TinyLanguageModel(dir);
        var mine = Path.Combine(model, "weights-final.safetensors");
        File.WriteAllText(mine, "the user's own file");
        Assert.Equal(
            0,
            CliRunner.Run("train", "--resume", model, "--data", data, "--steps", "6", "--eval-interval", "1").ExitCode
        );
        Assert.Equal("the user's own file", File.ReadAllText(mine));
        // The run's own superseded weights did go: every weights file left is one the manifest names.
        var named = System
            .Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(model, Checkpoint.ManifestFile)))
            .RootElement.GetProperty("sha256")
            .EnumerateObject()
            .Select(p => p.Name)
            .ToHashSet();
        Assert.All(
            Directory.GetFiles(model, "weights-0*.safetensors"),
            f => Assert.Contains(Path.GetFileName(f), named)
        );
    }

    [Fact]
    public void TrainingOntoAFileIsRefused()
    {
        using var dir = new TempDir();
        var file = dir.File("notes.txt", "mine");
        var r = CliRunner.Run(
            "train",
            "--data",
            dir.File("c.txt", Corpora.Repetitive(30)),
            "--out",
            file,
            "--steps",
            "1"
        );
        AssertRefused(r, "is a file");
        Assert.Equal("mine", File.ReadAllText(file));
    }

    [Fact]
    public void AWeightsFileTheManifestNamesButIsGoneIsNamed()
    {
        using var dir = new TempDir();
        var (model, _) = CliRunner.TinyLanguageModel(dir);
        var weights = Directory.GetFiles(model, "weights-*.safetensors")[0];
        File.Delete(weights);
        AssertRefused(
            CliRunner.Run("predict", "--model", model, "--text", "hola"),
            $"is missing {Path.GetFileName(weights)}"
        );
    }
}
