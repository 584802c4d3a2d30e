using System.Text.Json;
using System.Text.Json.Nodes;
using SeqLab.Native;

namespace SeqLab.Tests;

/// <summary>`seqlab --version`, usage without a command, and the versions every checkpoint records.</summary>
[Collection("cli")]
public class VersionSpec
{
    [Fact]
    public void VersionNamesSeqLabTorchSharpLibtorchAndTheThreadsInUse()
    {
        var r = CliRunner.Run("--version");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains($"seqlab {Versions.SeqLab}", r.Stdout);
        Assert.Contains("TorchSharp 0.107.0", r.Stdout);
        Assert.Contains("libtorch 2.10.0", r.Stdout);
        Assert.Matches(@"CPU threads: \d+ in use", r.Stdout);
        Assert.Matches(@"^\d+\.\d+\.\d+", Versions.SeqLab);
    }

    [Fact]
    public void NoArgumentsPrintsUsageOnStderrWithExitCodeTwo()
    {
        var r = CliRunner.Run();
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("", r.Stdout);
        Assert.Contains("commands:", r.Stderr);
    }

    [Fact]
    public void ACheckpointRecordsTheVersionsThatWroteItAndEvalNotesADifference()
    {
        using var dir = new TempDir();
        var (model, data) = CliRunner.TinyLanguageModel(dir);
        var manifestPath = Path.Combine(model, "manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!;
        Assert.Equal(Versions.SeqLab, (string?)manifest["seqlab_version"]);
        Assert.Equal(Versions.TorchSharp, (string?)manifest["torchsharp_version"]);

        var same = CliRunner.Run("eval", "--model", model, "--data", data, "--json");
        Assert.Equal(0, same.ExitCode);
        Assert.DoesNotContain("written by", same.Stderr);

        manifest["seqlab_version"] = "0.0.1";
        File.WriteAllText(manifestPath, manifest.ToJsonString());
        var other = CliRunner.Run("eval", "--model", model, "--data", data, "--json");
        Assert.Equal(0, other.ExitCode);
        Assert.Contains("written by SeqLab 0.0.1", other.Stderr);
        using var _ = JsonDocument.Parse(other.Stdout); // the note goes to stderr: stdout stays one JSON document
    }
}
