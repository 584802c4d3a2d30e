using SeqLab.Attention;
using SeqLab.Transformer;
using static TorchSharp.torch;

namespace SeqLab.Tests;

public class EncoderLayerSpec
{
    [Fact]
    public void PostLnLayerMatchesTorchsTransformerEncoderLayer()
    {
        Torch.Init();
        manual_seed(4);
        var theirs = nn.TransformerEncoderLayer(d_model: 8, nhead: 2, dim_feedforward: 16, dropout: 0.0);
        var ours = new EncoderLayer(8, 2, 16, 0.0);
        var theirNames = theirs.named_parameters().Select(p => p.name).Order().ToList();
        Assert.Equal(theirNames, ours.named_parameters().Select(p => p.name).Order().ToList());
        using (no_grad())
            foreach (var (name, p) in theirs.named_parameters()) ours.get_parameter(name)!.copy_(p);
        ours.eval();
        theirs.eval();

        var x = randn(3, 5, 8);
        var padding = Masks.Padding(tensor(new long[] { 5, 2, 4 }), 5);
        var causal = Masks.Causal(5);
        var expected = theirs.call(x.transpose(0, 1), causal, padding).transpose(0, 1);
        var actual = ours.call(x, padding, causal);
        double diff = (expected - actual).abs().max().item<float>();
        Assert.True(diff <= 1e-5, $"differ by {diff}");
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
