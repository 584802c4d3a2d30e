namespace SeqLab.Tests;

/// <summary>A --config file obeys the bounds the options do, and no model too big for the machine is allocated.</summary>
[Collection("cli")]
public class ConfigBoundsSpec
{
    [Theory]
    [InlineData("{\"model\": {\"max_length\": 2000000000}}", "max_length must be between 1 and 1048576")]
    [InlineData("{\"model\": {\"num_layers\": 1000000}}", "num_layers must be between 1 and 64")]
    [InlineData("{\"model\": {\"hidden_size\": 100000}}", "hidden_size must be between 1 and 65536")]
    [InlineData("{\"training\": {\"beta1\": \"NaN\"}}", "beta1 and beta2 must be in [0, 1)")]
    [InlineData("{\"training\": {\"seq_len\": 2000000000}}", "seq_len must be between 1 and 1048576")]
    public void AnOutOfBoundsKeyIsNamedBeforeAnythingIsAllocated(string config, string mentions)
    {
        using var dir = new TempDir();
        var r = CliRunner.Run(
            "train",
            "--data",
            dir.File("c.txt", Corpora.Repetitive(30)),
            "--config",
            dir.File("c.json", config),
            "--out",
            dir.Sub("m")
        );
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.Contains(mentions, r.Stderr);
        Assert.False(Directory.Exists(dir.Sub("m")));
    }

    [Fact]
    public void AModelTooBigForTheMachineIsRefusedWithItsSize()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run(
            "train",
            "--data",
            dir.File("c.txt", Corpora.Repetitive(30)),
            "--hidden-size",
            "65536",
            "--embed-dim",
            "65536",
            "--out",
            dir.Sub("m")
        );
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("this model would need about", r.Stderr);
        Assert.False(Directory.Exists(dir.Sub("m")));
    }
}
