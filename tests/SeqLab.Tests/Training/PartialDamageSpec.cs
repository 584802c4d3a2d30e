using System.Text.Json.Nodes;
using SeqLab.Training;

namespace SeqLab.Tests;

/// <summary>A command verifies only the files it reads, and names the damaged one.</summary>
[Collection("cli")]
public class PartialDamageSpec
{
    [Fact]
    public void ADamagedOptimizerStopsAResumeButNotPredictOrExport()
    {
        using var dir = new TempDir();
        var (model, data) = CliRunner.TinyLanguageModel(dir);
        var optimizer = Directory.GetFiles(model, "optimizer-*.bin")[0];
        File.WriteAllBytes(optimizer, [1, 2, 3]);
        Assert.Equal(0, CliRunner.Run("predict", "--model", model, "--text", "hola").ExitCode);
        Assert.Equal(0, CliRunner.Run("export", "--model", model, "--out", dir.Sub("w.safetensors")).ExitCode);
        var r = CliRunner.Run("train", "--resume", model, "--data", data, "--steps", "6");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(Path.GetFileName(optimizer), r.Stderr);
        Assert.Contains("cannot be resumed", r.Stderr);
    }

    [Fact]
    public void AManifestWithoutChecksumsIsBadInput()
    {
        using var dir = new TempDir();
        var (model, _) = CliRunner.TinyLanguageModel(dir);
        var path = Path.Combine(model, Checkpoint.ManifestFile);
        var manifest = JsonNode.Parse(File.ReadAllText(path))!;
        manifest["sha256"] = null;
        File.WriteAllText(path, manifest.ToJsonString());
        var r = CliRunner.Run("predict", "--model", model, "--text", "hola");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("manifest.json is damaged", r.Stderr);
    }

    [Fact]
    public void AVocabularyWithANullTokenIsBadInput()
    {
        using var dir = new TempDir();
        var (model, _) = CliRunner.TinyLanguageModel(dir);
        var path = Path.Combine(model, "vocab.json");
        var vocab = JsonNode.Parse(File.ReadAllText(path))!;
        vocab["tokens"]![5] = null;
        File.WriteAllText(path, vocab.ToJsonString());
        var manifestPath = Path.Combine(model, Checkpoint.ManifestFile);
        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!; // a consistent checksum, so the vocabulary itself is read
        manifest["sha256"]!["vocab.json"] = Convert.ToHexStringLower(
            System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))
        );
        File.WriteAllText(manifestPath, manifest.ToJsonString());
        var r = CliRunner.Run("predict", "--model", model, "--text", "hola");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("token 5 is null", r.Stderr);
    }
}
