namespace SeqLab.Tests;

/// <summary>Running a README example before fetching its corpus says how to fetch it.</summary>
[Collection("cli")]
public class MissingCorpusSpec
{
    [Fact]
    public void AMissingExampleCorpusNamesTheScriptThatFetchesIt()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("train", "--data", dir.Sub("data/es/train.txt"), "--out", dir.Sub("runs/lstm"));
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.Contains("scripts/get-spanish-corpus.sh", r.Stderr);
        Assert.False(Directory.Exists(dir.Sub("runs/lstm")));
    }
}
