using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeqLab.Attention;

/// <summary>
/// MultiHead(Q, K, V) = Concat(head_1, …, head_h) W^O with head_i = Attention(Q W_i^Q, K W_i^K, V W_i^V),
/// batch-first, with torch.nn.MultiheadAttention's parameter names (in_proj_weight = [W^Q; W^K; W^V],
/// in_proj_bias, out_proj.weight, out_proj.bias), so weights move between the two unchanged.
/// </summary>
public sealed class MultiHeadAttention : nn.Module<Tensor, Tensor, Tensor, Tensor?, Tensor?, (Tensor Output, Tensor? Weights)>
{
    public int ModelDim { get; }
    public int Heads { get; }
    public double Dropout { get; }
    /// <summary>Use libtorch's fused attention kernel unless the weights are asked for.</summary>
    public bool Fused { get; set; } = true;
    /// <summary>Return every head's attention weights (B, H, Tq, Tk) from the next calls (forces the reference path).</summary>
    public bool ReturnWeights { get; set; }
    /// <summary>With <see cref="ReturnWeights"/>: the weights of the latest call, for callers that reach the layer only through a stack.</summary>
    public Tensor? LastWeights { get; private set; }

    readonly Parameter in_proj_weight;
    readonly Parameter in_proj_bias;
    readonly Linear out_proj;

    public MultiHeadAttention(int modelDim, int heads, double dropout = 0.0) : base(nameof(MultiHeadAttention))
    {
        if (heads < 1 || modelDim % heads != 0)
            throw new SeqLabInputException($"the number of heads ({heads}) must divide d_model ({modelDim}); try heads = {Enumerable.Range(1, Math.Max(1, modelDim)).Last(h => h <= Math.Max(1, heads) && modelDim % h == 0)}.");
        (ModelDim, Heads, Dropout) = (modelDim, heads, dropout);
        in_proj_weight = nn.Parameter(empty(3 * modelDim, modelDim));
        in_proj_bias = nn.Parameter(zeros(3 * modelDim));
        out_proj = nn.Linear(modelDim, modelDim);
        using (no_grad())
        {
            nn.init.xavier_uniform_(in_proj_weight);   // as torch.nn.MultiheadAttention initialises it
            out_proj.bias!.zero_();
        }
        RegisterComponents();
    }

    /// <summary>
    /// query (B, Tq, E), key and value (B, Tk, E); keyPadding (B, Tk) bool, true = padded;
    /// attnMask (Tq, Tk), additive float or bool with true = blocked. Returns (B, Tq, E) and, when
    /// <see cref="ReturnWeights"/> is set, the per-head weights (B, H, Tq, Tk).
    /// </summary>
    public override (Tensor Output, Tensor? Weights) forward(Tensor query, Tensor key, Tensor value, Tensor? keyPadding, Tensor? attnMask)
    {
        long B = query.shape[0], Tq = query.shape[1], Tk = key.shape[1];
        int dk = ModelDim / Heads;
        var w = in_proj_weight.chunk(3, 0);                          // W^Q, W^K, W^V: (E, E) each
        var b = in_proj_bias.chunk(3, 0);
        Tensor Split(Tensor x, long t) => x.view(B, t, Heads, dk).transpose(1, 2); // (B, H, T, d_k)
        var q = Split(nn.functional.linear(query, w[0], b[0]), Tq);
        var k = Split(nn.functional.linear(key, w[1], b[1]), Tk);
        var v = Split(nn.functional.linear(value, w[2], b[2]), Tk);

        var mask = Masks.Combine(attnMask, keyPadding, query.dtype);
        var (heads, weights) = ScaledDotProductAttention.Forward(q, k, v, mask, training ? Dropout : 0.0, fused: Fused && !ReturnWeights);
        LastWeights = ReturnWeights ? weights : null;
        var concat = heads.transpose(1, 2).reshape(B, Tq, ModelDim); // (B, Tq, E)
        return (out_proj.call(concat), weights);
    }
}
