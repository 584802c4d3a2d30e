using System.Text.Json;

namespace SeqLab.Tests;

[Collection("cli")]
public class BenchCliSpec
{
    [Fact]
    public void TrainModeReportsTheDesignFields()
    {
        var r = CliRunner.Run("bench", "--preset", "rnn-lm", "--steps", "1", "--threads", "1", "--json");
        Assert.Equal(0, r.ExitCode);
        var doc = JsonDocument.Parse(r.Stdout).RootElement;
        foreach (
            var field in new[]
            {
                "preset",
                "impl",
                "threads",
                "tokens_per_s",
                "flops_per_token",
                "gflops",
                "gemm_peak_gflops",
                "mfu",
                "peak_rss_mb",
            }
        )
            Assert.True(doc.TryGetProperty(field, out _), field);
        Assert.True(doc.GetProperty("tokens_per_s").GetDouble() > 0);
    }

    [Fact]
    public void UnknownPresetIsABadInput()
    {
        var r = CliRunner.Run("bench", "--preset", "mamba-lm");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("lstm-lm", r.Stderr);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void GeneratePresetReportsBothPaths()
    {
        var r = CliRunner.Run("bench", "--preset", "generate", "--threads", "1", "--json");
        Assert.Equal(0, r.ExitCode);
        var json = System.Text.Json.JsonDocument.Parse(r.Stdout).RootElement;
        Assert.True(json.GetProperty("cached_ms_per_token").GetDouble() > 0);
        Assert.True(json.GetProperty("uncached_ms_per_token").GetDouble() > 0);
        Assert.True(json.TryGetProperty("speedup", out _));
        Assert.True(json.GetProperty("peak_rss_mb").GetDouble() > 0);
    }
}
