namespace SeqLab.Tests;

/// <summary>Weights with NaN or infinite values are refused on import, so no predict or eval can print NaN.</summary>
[Collection("cli")]
public class NonFiniteWeightsSpec
{
    [Fact]
    public void ImportRefusesNaNWeightsByTensor()
    {
        using var dir = new TempDir();
        var (model, _) = CliRunner.TinyLanguageModel(dir);
        var weights = dir.Sub("w.safetensors");
        Assert.Equal(0, CliRunner.Run("export", "--model", model, "--out", weights).ExitCode);
        var bytes = File.ReadAllBytes(weights);
        long dataStart = 8 + (long)BitConverter.ToUInt64(bytes, 0);
        BitConverter.GetBytes(float.NaN).CopyTo(bytes, dataStart); // the first number of the first tensor
        File.WriteAllBytes(weights, bytes);
        var r = CliRunner.Run(
            "import",
            "--weights",
            weights,
            "--config",
            Path.Combine(model, "config.json"),
            "--vocab",
            Path.Combine(model, "vocab.json"),
            "--out",
            dir.Sub("imported")
        );
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.Contains("holds NaN or infinite values", r.Stderr);
        Assert.False(Directory.Exists(dir.Sub("imported")));
    }
}
