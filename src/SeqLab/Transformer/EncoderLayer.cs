using SeqLab.Attention;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeqLab.Transformer;

/// <summary>
/// One encoder layer: self-attention then the feed-forward network, each wrapped in a residual
/// connection and layer normalisation. Post-LN as in the paper, x = LN(x + Sublayer(x)); or pre-LN,
/// x = x + Sublayer(LN(x)), which trains more easily in deep stacks. Parameter names are those of
/// torch.nn.TransformerEncoderLayer (self_attn.*, linear1, linear2, norm1, norm2).
/// </summary>
public sealed class EncoderLayer : nn.Module<Tensor, Tensor?, Tensor?, Tensor>
{
    readonly MultiHeadAttention self_attn;
    readonly Linear linear1, linear2;
    readonly LayerNorm norm1, norm2;
    readonly Dropout dropout, dropout1, dropout2;
    public bool NormFirst { get; }

    public EncoderLayer(int modelDim, int heads, int ffDim, double dropoutRate, bool normFirst = false) : base(nameof(EncoderLayer))
    {
        NormFirst = normFirst;
        self_attn = new MultiHeadAttention(modelDim, heads, dropoutRate);
        linear1 = nn.Linear(modelDim, ffDim);
        linear2 = nn.Linear(ffDim, modelDim);
        norm1 = nn.LayerNorm(modelDim);
        norm2 = nn.LayerNorm(modelDim);
        dropout = nn.Dropout(dropoutRate);
        dropout1 = nn.Dropout(dropoutRate);
        dropout2 = nn.Dropout(dropoutRate);
        RegisterComponents();
    }

    public MultiHeadAttention SelfAttention => self_attn;

    /// <summary>x (B, T, d); keyPadding (B, T) true = padded; attnMask (T, T) e.g. causal. → (B, T, d)</summary>
    public override Tensor forward(Tensor x, Tensor? keyPadding, Tensor? attnMask)
    {
        if (NormFirst)
        {
            x = x + dropout1.call(SelfAttend(norm1.call(x), keyPadding, attnMask));
            return x + dropout2.call(FeedForward(norm2.call(x)));
        }
        x = norm1.call(x + dropout1.call(SelfAttend(x, keyPadding, attnMask)));
        return norm2.call(x + dropout2.call(FeedForward(x)));
    }

    Tensor SelfAttend(Tensor x, Tensor? keyPadding, Tensor? attnMask) => self_attn.call(x, x, x, keyPadding, attnMask).Output;

    Tensor FeedForward(Tensor x) => linear2.call(dropout.call(nn.functional.relu(linear1.call(x))));
}
