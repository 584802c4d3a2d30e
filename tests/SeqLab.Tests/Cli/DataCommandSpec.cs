namespace SeqLab.Tests;

/// <summary>Generated data sets are streamed to disk, and one too large is refused unless asked for.</summary>
[Collection("cli")]
public class DataCommandSpec
{
    [Fact]
    public void AHugeDataSetIsRefusedWithItsSizeAndNothingWritten()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run(
            "data",
            "long-range",
            "--examples",
            "10000000",
            "--distance",
            "100000",
            "--out",
            dir.Sub("lr.tsv")
        );
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("GB", r.Stderr);
        Assert.Contains("--force", r.Stderr);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void TrainingOnADeviceIsBadInput()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("train", "--data", "/dev/zero", "--out", dir.Sub("m"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("not a regular file", r.Stderr);
    }

    [Fact]
    public void AStreamedDataSetHasEveryExample()
    {
        using var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run("data", "reverse", "--examples", "300", "--out", dir.Sub("r.tsv")).ExitCode);
        Assert.Equal(300, File.ReadAllLines(dir.Sub("r.tsv")).Length);
        Assert.Equal(
            0,
            CliRunner
                .Run("data", "long-range", "--examples", "40", "--distance", "30", "--out", dir.Sub("l.tsv"))
                .ExitCode
        );
        Assert.Equal(40, File.ReadAllLines(dir.Sub("l.tsv")).Length);
    }
}
