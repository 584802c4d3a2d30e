using SeqLab.Bench;
using SeqLab.Recurrent;

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
        Assert.Equal(
            (4, 4, 1024, true, 256, 4096, false),
            (t.NumLayers, t.Heads, t.FfDim, t.NormFirst, t.HiddenSize, t.VocabSize, t.TieWeights)
        );
        Assert.Equal(2, Benchmark.Config("gru-lm", RecurrentImpl.Fused).NumLayers);
    }
}
