using System.Net;
using System.Net.Sockets;
using SeqLab.Training;

namespace SeqLab.Tests;

/// <summary>The user's mistakes are exit 2 with one line that names the file, key or option.</summary>
[Collection("cli")]
public class UserMistakesSpec
{
    static void AssertBadInput(CliRunner.Result r, string mentions)
    {
        Assert.True(r.ExitCode == 2, $"exit {r.ExitCode}: {r.Stderr}");
        Assert.Single(r.ErrorLines);
        Assert.Contains(mentions, r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [Fact]
    public void AnOutputPathThatCannotBeWrittenIsBadInput() =>
        AssertBadInput(
            CliRunner.Run("data", "reverse", "--examples", "3", "--out", "/proc/seqlab-test.tsv"),
            "cannot write /proc/seqlab-test.tsv"
        );

    [Fact]
    public void APortInUseIsBadInput()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            using var dir = new TempDir();
            var (model, _) = CliRunner.TinyLanguageModel(dir);
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            AssertBadInput(
                CliRunner.Run("serve", "--port", port.ToString(), "--model", model),
                $"cannot listen on 127.0.0.1:{port}"
            );
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public void ResumingOnOtherDataIsRefusedUnlessAllowed()
    {
        using var dir = new TempDir();
        var (model, _) = CliRunner.TinyLanguageModel(dir);
        var other = dir.File("other.txt", Corpora.Repetitive(80, seed: 9));
        var manifest = File.ReadAllText(Path.Combine(model, Checkpoint.ManifestFile));
        AssertBadInput(CliRunner.Run("train", "--resume", model, "--data", other, "--steps", "5"), "--allow-new-data");
        Assert.Equal(manifest, File.ReadAllText(Path.Combine(model, Checkpoint.ManifestFile)));
        Assert.Equal(
            0,
            CliRunner.Run("train", "--resume", model, "--data", other, "--steps", "5", "--allow-new-data").ExitCode
        );
    }

    [Fact]
    public void AWindowLongerThanTheTransformersPositionsIsRefusedBeforeAnythingIsWritten()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run(
            "train",
            "--model",
            "transformer",
            "--data",
            dir.File("c.txt", Corpora.Repetitive(30)),
            "--seq-len",
            "100",
            "--max-length",
            "50",
            "--out",
            dir.Sub("m")
        );
        AssertBadInput(r, "seq_len (100) is longer than max_length (50)");
        Assert.False(Directory.Exists(dir.Sub("m")));
    }

    [Fact]
    public void ARepeatedOptionTakesItsLastValue()
    {
        using var dir = new TempDir();
        var (model, _) = CliRunner.TinyLanguageModel(dir);
        var r = CliRunner.Run("predict", "--model", model, "--text", "hola", "--top", "2", "--top", "3", "--json");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(
            3,
            System.Text.Json.JsonDocument.Parse(r.Stdout).RootElement.GetProperty("candidates").GetArrayLength()
        );
    }

    [Fact]
    public void ExportingOntoAFolderIsBadInput()
    {
        using var dir = new TempDir();
        var (model, _) = CliRunner.TinyLanguageModel(dir);
        Directory.CreateDirectory(dir.Sub("folder"));
        AssertBadInput(CliRunner.Run("export", "--model", model, "--out", dir.Sub("folder"), "--force"), "folder");
    }
}
