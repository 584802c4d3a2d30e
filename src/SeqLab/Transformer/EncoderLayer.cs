using SeqLab.Attention;

namespace SeqLab.Transformer;

/// <summary>
/// One encoder layer: self-attention, then the feed-forward network (parameter names as in
/// torch.nn.TransformerEncoderLayer: self_attn.*, linear1, linear2, norm1, norm2).
/// </summary>
public sealed class EncoderLayer : TransformerLayer
{
    public EncoderLayer(LayerSettings s)
        : base(nameof(EncoderLayer), s) => RegisterComponents();

    /// <summary>
    /// x (B, T, d); keyPadding (B, T) true = padded; attnMask (T, T) e.g. causal; isCausal: attnMask is
    /// exactly the causal mask (a hint for the fused kernel, as in PyTorch). → (B, T, d)
    /// </summary>
    public Tensor forward(Tensor x, Tensor? keyPadding, Tensor? attnMask, bool isCausal = false)
    {
        x = SelfAttentionBlock(x, keyPadding, attnMask, isCausal);
        return FeedForwardBlock(x, Norm2, Dropout2);
    }

    /// <summary>The newest positions x (B, T, d) of a causal stack, attending through <paramref
    /// name="cache"/>.</summary>
    public Tensor Step(Tensor x, KeyValueCache cache)
    {
        x = CachedSelfAttentionBlock(x, cache);
        return FeedForwardBlock(x, Norm2, Dropout2);
    }
}
