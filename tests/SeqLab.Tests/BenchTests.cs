using SeqLab.Bench;
using SeqLab.Recurrent;
using System.Text.Json;
using SeqLab.Lab;

namespace SeqLab.Tests;

public class BenchmarkSpec
{
    [Fact]
    public void LstmFlopsPerTokenCountTheGateMatricesAndTheOutputLayerThreeTimes()
    {
        var c = Benchmark.Config("lstm-lm", RecurrentImpl.Fused);
        double forward = 2.0 * 256 * 4096 + 2 * (2.0 * 4 * 256 * (256 + 256));
        Assert.Equal(3 * forward, Benchmark.TrainingFlopsPerToken(c));
    }

    [Fact]
    public void PresetsMatchTheAnchorShapes()
    {
        var t = Benchmark.Config("transformer-lm", RecurrentImpl.Fused);
        Assert.Equal((4, 4, 1024, true, 256, 4096, false), (t.NumLayers, t.Heads, t.FfDim, t.NormFirst, t.HiddenSize, t.VocabSize, t.TieWeights));
        Assert.Equal(2, Benchmark.Config("gru-lm", RecurrentImpl.Fused).NumLayers);
    }
}

[Collection("cli")]
public class BenchCliSpec
{
    [Fact]
    public void TrainModeReportsTheDesignFields()
    {
        var r = CliRunner.Run("bench", "--preset", "rnn-lm", "--steps", "1", "--threads", "1", "--json");
        Assert.Equal(0, r.ExitCode);
        var doc = JsonDocument.Parse(r.Stdout).RootElement;
        foreach (var field in new[] { "preset", "impl", "threads", "tokens_per_s", "flops_per_token", "gflops", "gemm_peak_gflops", "mfu", "peak_rss_mb" })
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
}

/// <summary>The live-tensor count is process-wide: this runs alone.</summary>
[Trait("Category", "Slow")]
[Collection("serial")]
public class BenchMemorySpec
{
    [Fact]
    public void MemoryModeKeepsTheLiveTensorCountFlat()
    {
        var r = CliRunner.Run("bench", "--mode", "memory", "--preset", "lstm-lm", "--steps", "30", "--check-at", "5", "--batch-size", "2", "--threads", "1", "--json");
        Assert.Equal(0, r.ExitCode);
        var doc = JsonDocument.Parse(r.Stdout).RootElement;
        Assert.Equal(doc.GetProperty("live_tensors_at_check").GetInt64(), doc.GetProperty("live_tensors_at_end").GetInt64());
    }
}
