using SeqLab.Attention;
using SeqLab.Native;
using TorchSharp.Modules;

namespace SeqLab.Transformer;

/// <summary>
/// What the encoder and decoder layers share: a self-attention sublayer and the position-wise
/// feed-forward network FFN(x) = max(0, x W1 + b1) W2 + b2 (or GELU for max), each wrapped in a residual connection and
/// layer normalisation. Field names follow torch.nn.TransformerEncoderLayer / TransformerDecoderLayer
/// (self_attn, linear1, linear2, norm1, norm2, dropout1, dropout2), so weights move between the two.
/// </summary>
public abstract class TransformerLayer : nn.Module
{
    readonly MultiHeadAttention self_attn;
    readonly Linear linear1,
        linear2;
    readonly LayerNorm norm1,
        norm2;
    readonly Dropout dropout,
        dropout1,
        dropout2;

    /// <summary>Pre-LN, x + Sublayer(LN(x)), instead of the paper's post-LN, LN(x + Sublayer(x)).</summary>
    public bool NormFirst { get; }

    /// <summary>The feed-forward network's nonlinearity (ReLU in the paper, GELU in BERT).</summary>
    public Activation Activation { get; }

    protected TransformerLayer(string name, LayerSettings s)
        : base(name)
    {
        NormFirst = s.NormFirst;
        Activation = s.Activation;
        self_attn = new MultiHeadAttention(s.ModelDim, s.Heads, s.Dropout);
        linear1 = nn.Linear(s.ModelDim, s.FfDim);
        linear2 = nn.Linear(s.FfDim, s.ModelDim);
        norm1 = nn.LayerNorm(s.ModelDim, s.Eps);
        norm2 = nn.LayerNorm(s.ModelDim, s.Eps);
        dropout = nn.Dropout(s.Dropout);
        dropout1 = nn.Dropout(s.Dropout);
        dropout2 = nn.Dropout(s.Dropout);
    }

    public MultiHeadAttention SelfAttention => self_attn;

    /// <summary>The paper's "LayerNorm(x + Sublayer(x))", or its pre-LN variant.</summary>
    protected Tensor Residual(Tensor x, LayerNorm norm, Dropout drop, Func<Tensor, Tensor> sublayer) =>
        NormFirst ? x + drop.call(sublayer(norm.call(x))) : norm.call(x + drop.call(sublayer(x)));

    /// <summary>Masked (or not) self-attention over x (B, T, d); keyPadding (B, T), attnMask (T, T); isCausal: attnMask
    /// is the causal mask.</summary>
    protected Tensor SelfAttentionBlock(Tensor x, Tensor? keyPadding, Tensor? attnMask, bool isCausal) =>
        Residual(x, norm1, dropout1, y => self_attn.Forward(y, y, y, keyPadding, attnMask, isCausal).Output);

    /// <summary>Causal self-attention for the newest positions x (B, T, d), the earlier ones read from the
    /// cache.</summary>
    protected Tensor CachedSelfAttentionBlock(Tensor x, KeyValueCache cache) =>
        Residual(x, norm1, dropout1, y => self_attn.Cached(y, cache));

    /// <summary>Position-wise feed-forward block; <paramref name="norm"/>/<paramref name="drop"/> are the layer's
    /// last.</summary>
    protected Tensor FeedForwardBlock(Tensor x, LayerNorm norm, Dropout drop) =>
        Residual(
            x,
            norm,
            drop,
            y => Autocast.Linear(dropout.call(Activate(Autocast.Linear(y, linear1), Activation)), linear2)
        );

    /// <summary>ReLU, or GELU(x) = x · Φ(x) with the exact normal CDF (erf), as BERT's "gelu".</summary>
    public static Tensor Activate(Tensor x, Activation activation) =>
        activation == Activation.Gelu ? nn.functional.gelu(x) : nn.functional.relu(x);

    protected LayerNorm Norm2 => norm2;
    protected Dropout Dropout2 => dropout2;
}
