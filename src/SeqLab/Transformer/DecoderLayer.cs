using SeqLab.Attention;
using TorchSharp.Modules;

namespace SeqLab.Transformer;

/// <summary>
/// One decoder layer: masked self-attention over the output so far, cross-attention to the encoder's
/// memory ("encoder–decoder attention": queries from the decoder, keys and values from the encoder),
/// then the feed-forward network. Names as in torch.nn.TransformerDecoderLayer (self_attn.*,
/// multihead_attn.*, linear1, linear2, norm1, norm2, norm3).
/// </summary>
public sealed class DecoderLayer : TransformerLayer
{
    readonly MultiHeadAttention multihead_attn;
    readonly LayerNorm norm3;
    readonly Dropout dropout3;

    public DecoderLayer(LayerSettings s)
        : base(nameof(DecoderLayer), s)
    {
        multihead_attn = new MultiHeadAttention(s.ModelDim, s.Heads, s.Dropout);
        norm3 = nn.LayerNorm(s.ModelDim, s.Eps);
        dropout3 = nn.Dropout(s.Dropout);
        RegisterComponents();
    }

    /// <summary>
    /// x (B, T, d) the shifted output; memory (B, S, d) the encoder's states; causal (T, T);
    /// targetPadding (B, T) and memoryPadding (B, S), true = padded. → (B, T, d)
    /// </summary>
    public Tensor forward(Tensor x, Tensor memory, Tensor? causal, Tensor? targetPadding, Tensor? memoryPadding)
    {
        x = SelfAttentionBlock(x, targetPadding, causal, isCausal: causal is not null);
        return CrossAttentionAndFeedForward(x, memory, memoryPadding);
    }

    /// <summary>The newest output positions x (B, T, d): self-attention through <paramref name="cache"/>, then the
    /// memory as in <see cref="forward"/>.</summary>
    public Tensor Step(Tensor x, Tensor memory, Tensor? memoryPadding, KeyValueCache cache) =>
        CrossAttentionAndFeedForward(CachedSelfAttentionBlock(x, cache), memory, memoryPadding);

    Tensor CrossAttentionAndFeedForward(Tensor x, Tensor memory, Tensor? memoryPadding)
    {
        x = Residual(x, Norm2, Dropout2, y => multihead_attn.call(y, memory, memory, memoryPadding, null).Output);
        return FeedForwardBlock(x, norm3, dropout3);
    }
}
