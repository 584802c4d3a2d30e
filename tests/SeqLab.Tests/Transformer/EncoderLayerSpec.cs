using SeqLab.Attention;
using SeqLab.Transformer;
using static TorchSharp.torch;

namespace SeqLab.Tests;

public class EncoderLayerSpec
{
    /// <summary>Same parameter names on both sides; torch's values copied into ours; both in eval mode.</summary>
    static void CopyWeights(nn.Module theirs, nn.Module ours)
    {
        Assert.Equal(
            theirs.named_parameters().Select(p => p.name).Order(),
            ours.named_parameters().Select(p => p.name).Order()
        );
        using (no_grad())
            foreach (var (name, p) in theirs.named_parameters())
                ours.get_parameter(name)!.copy_(p);
        ours.eval();
        theirs.eval();
    }

    [Fact]
    public void PostLnLayerMatchesTorchsTransformerEncoderLayer()
    {
        Torch.Init();
        manual_seed(4);
        var theirs = nn.TransformerEncoderLayer(d_model: 8, nhead: 2, dim_feedforward: 16, dropout: 0.0);
        var ours = new EncoderLayer(new LayerSettings(8, 2, 16, 0.0));
        CopyWeights(theirs, ours);

        var x = randn(3, 5, 8);
        var padding = Masks.Padding(tensor(new long[] { 5, 2, 4 }), 5);
        var causal = Masks.Causal(5);
        var expected = theirs.call(x.transpose(0, 1), causal, padding).transpose(0, 1);
        var actual = ours.forward(x, padding, causal);
        double diff = (expected - actual).abs().max().item<float>();
        Assert.True(diff <= 1e-5, $"differ by {diff}");
    }

    [Fact]
    public void PostLnDecoderLayerMatchesTorchsTransformerDecoderLayer()
    {
        Torch.Init();
        manual_seed(5);
        var theirs = nn.TransformerDecoderLayer(d_model: 8, nhead: 2, dim_feedforward: 16, dropout: 0.0);
        var ours = new DecoderLayer(new LayerSettings(8, 2, 16, 0.0));
        CopyWeights(theirs, ours);

        var y = randn(3, 4, 8); // (B, T, d) output so far
        var memory = randn(3, 6, 8); // (B, S, d) encoder states
        var memoryPadding = Masks.Padding(tensor(new long[] { 6, 3, 5 }), 6);
        var causal = Masks.Causal(4);
        var expected = theirs
            .call(y.transpose(0, 1), memory.transpose(0, 1), causal, null, null, memoryPadding)
            .transpose(0, 1);
        var actual = ours.forward(y, memory, causal, null, memoryPadding);
        double diff = (expected - actual).abs().max().item<float>();
        Assert.True(diff <= 1e-5, $"differ by {diff}");
    }

    [Fact]
    public void PreLnLayersAddTheSublayerToTheUnnormalisedInput()
    {
        Torch.Init();
        manual_seed(6);
        var layer = new EncoderLayer(new LayerSettings(8, 2, 16, 0.0, NormFirst: true));
        layer.eval();
        var x = randn(2, 3, 8) * 10 + 5;
        using var _ = no_grad();
        var y = layer.forward(x, null, null);
        // Post-LN outputs are normalised (mean 0 per position); pre-LN keeps the residual stream's scale.
        Assert.True(y.mean([-1]).abs().max().item<float>() > 1.0);
    }

    [Fact]
    public void SinusoidalEncodingFollowsThePaper()
    {
        Torch.Init();
        var pe = new PositionalEncoding(modelDim: 6, maxLength: 10);
        var table = pe.call(zeros(1, 10, 6))[0];
        for (int pos = 0; pos < 10; pos++)
        for (int i = 0; i < 3; i++)
        {
            double angle = pos / Math.Pow(10000, 2.0 * i / 6);
            Assert.Equal(Math.Sin(angle), table[pos, 2 * i].item<float>(), 5);
            Assert.Equal(Math.Cos(angle), table[pos, 2 * i + 1].item<float>(), 5);
        }
    }
}
