using SeqLab.Attention;
using static TorchSharp.torch;

namespace SeqLab.Tests;

/// <summary>Our attention, written from the paper's equations, computes what libtorch computes.</summary>
public class MultiHeadAttentionSpec
{
    static double MaxDiff(Tensor a, Tensor b) => (a - b).abs().max().item<float>();

    /// <summary>Ours (batch-first) and TorchSharp's nn.MultiheadAttention (sequence-first) with the same
    /// weights.</summary>
    static (Tensor Ours, Tensor OursWeights, Tensor Theirs, Tensor TheirsWeights) Both(
        Tensor? keyPadding,
        Tensor? attnMask
    )
    {
        Torch.Init();
        manual_seed(5);
        var ours = new MultiHeadAttention(modelDim: 8, heads: 2) { ReturnWeights = true };
        var theirs = nn.MultiheadAttention(8, 2);
        using (no_grad())
            foreach (var (name, p) in theirs.named_parameters())
                ours.get_parameter(name)!.copy_(p);
        ours.eval();
        theirs.eval();
        var x = randn(3, 5, 8); // (B, T, E)
        var (o, w) = ours.call(x, x, x, keyPadding, attnMask);
        var seqFirst = x.transpose(0, 1); // (T, B, E)
        var (t, tw) = theirs.call(seqFirst, seqFirst, seqFirst, keyPadding!, true, attnMask!);
        return (o, w!.mean([1]), t.transpose(0, 1), tw); // weights averaged over heads, as torch returns them
    }

    [Fact]
    public void ParameterNamesAreTorchs()
    {
        Torch.Init();
        Assert.Equal(
            nn.MultiheadAttention(8, 2).named_parameters().Select(p => p.name).Order(),
            new MultiHeadAttention(8, 2).named_parameters().Select(p => p.name).Order()
        );
    }

    [Fact]
    public void MatchesTorchWithoutMasks()
    {
        var (o, w, t, tw) = Both(null, null);
        Assert.True(MaxDiff(o, t) <= 1e-5, $"outputs differ by {MaxDiff(o, t)}");
        Assert.True(MaxDiff(w, tw) <= 1e-5, $"weights differ by {MaxDiff(w, tw)}");
    }

    [Fact]
    public void MatchesTorchWithCausalAndPaddingMasks()
    {
        Torch.Init();
        var padding = Masks.Padding(tensor(new long[] { 5, 3, 4 }), 5);
        var (o, w, t, tw) = Both(padding, Masks.Causal(5));
        Assert.True(MaxDiff(o, t) <= 1e-5, $"outputs differ by {MaxDiff(o, t)}");
        Assert.True(MaxDiff(w, tw) <= 1e-5, $"weights differ by {MaxDiff(w, tw)}");
    }

    [Fact]
    public void FusedKernelEqualsTheEquation()
    {
        Torch.Init();
        manual_seed(9);
        var (q, k, v) = (randn(2, 3, 6, 4), randn(2, 3, 7, 4), randn(2, 3, 7, 5));
        var mask = Masks.Combine(null, Masks.Padding(tensor(new long[] { 7, 4 }), 7), ScalarType.Float32);
        var (reference, _) = ScaledDotProductAttention.Forward(q, k, v, mask);
        var (fused, _) = ScaledDotProductAttention.Forward(q, k, v, mask, fused: true);
        Assert.True(MaxDiff(reference, fused) <= 1e-5, $"differ by {MaxDiff(reference, fused)}");
    }

    [Fact]
    public void CausalMaskNeverLooksAhead()
    {
        Torch.Init();
        var attention = new MultiHeadAttention(8, 2) { ReturnWeights = true };
        var x = randn(1, 6, 8);
        var (_, weights) = attention.call(x, x, x, null, Masks.Causal(6));
        Assert.Equal(0f, triu(weights![0], diagonal: 1).abs().sum().item<float>());
    }

    [Fact]
    public void HeadsMustDivideTheModelDimension() =>
        Assert.Contains(
            "must divide d_model",
            Assert.Throws<SeqLabInputException>(() => new MultiHeadAttention(10, 3)).Message
        );
}
