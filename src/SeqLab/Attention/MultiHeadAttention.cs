using SeqLab.Native;
using TorchSharp.Modules;

namespace SeqLab.Attention;

/// <summary>
/// MultiHead(Q, K, V) = Concat(head_1, …, head_h) W^O with head_i = Attention(Q W_i^Q, K W_i^K, V W_i^V),
/// batch-first, with torch.nn.MultiheadAttention's parameter names (in_proj_weight = [W^Q; W^K; W^V],
/// in_proj_bias, out_proj.weight, out_proj.bias), so weights move between the two unchanged.
/// </summary>
public sealed class MultiHeadAttention
    : nn.Module<Tensor, Tensor, Tensor, Tensor?, Tensor?, (Tensor Output, Tensor? Weights)>
{
    public int ModelDim { get; }
    public int Heads { get; }
    public double Dropout { get; }

    /// <summary>Use libtorch's fused attention kernel unless the weights are asked for.</summary>
    public bool Fused { get; set; } = true;

    /// <summary>Return every head's attention weights (B, H, Tq, Tk) from the next calls (forces the reference
    /// path).</summary>
    public bool ReturnWeights { get; set; }

    /// <summary>With <see cref="ReturnWeights"/>: the weights of the latest call, for callers that reach the layer only
    /// through a stack.</summary>
    public Tensor? LastWeights { get; private set; }

    readonly Parameter in_proj_weight;
    readonly Parameter in_proj_bias;
    readonly Linear out_proj;

    public MultiHeadAttention(int modelDim, int heads, double dropout = 0.0)
        : base(nameof(MultiHeadAttention))
    {
        if (heads < 1 || modelDim % heads != 0)
        {
            int divisor = Enumerable
                .Range(1, Math.Max(1, modelDim))
                .Last(h => h <= Math.Max(1, heads) && modelDim % h == 0);
            throw new SeqLabInputException(
                $"the number of heads ({heads}) must divide d_model ({modelDim}); try heads = {divisor}."
            );
        }
        (ModelDim, Heads, Dropout) = (modelDim, heads, dropout);
        in_proj_weight = nn.Parameter(empty(3 * modelDim, modelDim));
        in_proj_bias = nn.Parameter(zeros(3 * modelDim));
        out_proj = nn.Linear(modelDim, modelDim);
        using (no_grad())
        {
            nn.init.xavier_uniform_(in_proj_weight); // as torch.nn.MultiheadAttention initialises it
            out_proj.bias!.zero_();
        }
        RegisterComponents();
    }

    /// <summary>
    /// query (B, Tq, E), key and value (B, Tk, E); keyPadding (B, Tk) bool, true = padded;
    /// attnMask (Tq, Tk), additive float or bool with true = blocked. Returns (B, Tq, E) and, when
    /// <see cref="ReturnWeights"/> is set, the per-head weights (B, H, Tq, Tk).
    /// </summary>
    public override (Tensor Output, Tensor? Weights) forward(
        Tensor query,
        Tensor key,
        Tensor value,
        Tensor? keyPadding,
        Tensor? attnMask
    ) => Forward(query, key, value, keyPadding, attnMask, isCausal: false);

    /// <summary>As <see cref="forward"/>, with PyTorch's is_causal hint: true promises that attnMask is the causal
    /// mask.</summary>
    public (Tensor Output, Tensor? Weights) Forward(
        Tensor query,
        Tensor key,
        Tensor value,
        Tensor? keyPadding,
        Tensor? attnMask,
        bool isCausal
    )
    {
        long B = query.shape[0],
            Tq = query.shape[1],
            Tk = key.shape[1];
        int dk = ModelDim / Heads;
        Tensor Split(Tensor x, long t) => x.view(B, t, Heads, dk).transpose(1, 2); // (B, H, T, d_k)
        Tensor q,
            k,
            v;
        if (ReferenceEquals(query, key) && ReferenceEquals(key, value))
        {
            // Self-attention: one (E → 3E) projection instead of three, a larger and faster matrix product.
            var qkv = Autocast.Linear(query, in_proj_weight, in_proj_bias).chunk(3, -1); // 3 × (B, T, E)
            (q, k, v) = (Split(qkv[0], Tq), Split(qkv[1], Tk), Split(qkv[2], Tk));
        }
        else
        {
            var w = in_proj_weight.chunk(3, 0); // W^Q, W^K, W^V: (E, E) each
            var b = in_proj_bias.chunk(3, 0);
            q = Split(Autocast.Linear(query, w[0], b[0]), Tq);
            k = Split(Autocast.Linear(key, w[1], b[1]), Tk);
            v = Split(Autocast.Linear(value, w[2], b[2]), Tk);
        }

        bool fused = Fused && !ReturnWeights;
        bool causal = isCausal && keyPadding is null && fused && Tq == Tk;
        var mask = causal ? null : Masks.Combine(attnMask, keyPadding, q.dtype);
        var (heads, weights) = ScaledDotProductAttention.Forward(
            q,
            k,
            v,
            mask,
            training ? Dropout : 0.0,
            fused: fused,
            causal: causal
        );
        LastWeights = ReturnWeights ? weights : null;
        var concat = heads.transpose(1, 2).reshape(B, Tq, ModelDim); // (B, Tq, E)
        return (Autocast.Linear(concat, out_proj), weights);
    }

    /// <summary>
    /// Causal self-attention over the cache and <paramref name="x"/> (B, T, E), the T newest positions: their keys and
    /// values join the cache, and each new position attends to every cached one and to the new ones up to itself.
    /// Gives what <see cref="Forward"/> gives on the whole sequence with a causal mask, for the new positions.
    /// </summary>
    public Tensor Cached(Tensor x, KeyValueCache cache)
    {
        long B = x.shape[0],
            T = x.shape[1],
            past = cache.Length;
        int dk = ModelDim / Heads;
        Tensor Split(Tensor t) => t.view(B, T, Heads, dk).transpose(1, 2); // (B, H, T, d_k)
        var qkv = Autocast.Linear(x, in_proj_weight, in_proj_bias).chunk(3, -1);
        var (keys, values) = cache.Append(Split(qkv[1]), Split(qkv[2])); // (B, H, past + T, d_k)
        // New position i sees cached positions and new ones up to itself: columns past + i + 1 on are masked.
        var mask =
            T == 1
                ? null
                : triu(full(T, past + T, float.NegativeInfinity, dtype: keys.dtype, device: x.device), past + 1);
        var (heads, _) = ScaledDotProductAttention.Forward(Split(qkv[0]), keys, values, mask, 0.0, fused: Fused);
        return Autocast.Linear(heads.transpose(1, 2).reshape(B, T, ModelDim), out_proj); // (B, T, E)
    }
}
