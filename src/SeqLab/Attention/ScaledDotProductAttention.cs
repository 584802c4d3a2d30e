using SeqLab.Native;

namespace SeqLab.Attention;

/// <summary>
/// Attention(Q, K, V) = softmax(Q Kᵀ / √d_k + mask) V (Vaswani et al. 2017, eq. 1). Every query
/// position reaches every key position in one matrix product: the "path length 1" of the lecture.
/// </summary>
public static class ScaledDotProductAttention
{
    /// <param name="q">(…, Tq, d_k)</param>
    /// <param name="k">(…, Tk, d_k)</param>
    /// <param name="v">(…, Tk, d_v)</param>
    /// <param name="mask">additive, broadcastable to (…, Tq, Tk), or null</param>
    /// <param name="dropout">dropout on the attention weights (training only)</param>
    /// <param name="fused">use libtorch's fused kernel (it cannot return the weights)</param>
    /// <param name="causal">a hint that <paramref name="mask"/> is exactly the causal mask: the fused kernel then
    /// skips the blocked half instead of adding −∞ to it (PyTorch's is_causal)</param>
    /// <returns>the output (…, Tq, d_v) and, from the reference path, the weights (…, Tq, Tk)</returns>
    public static (Tensor Output, Tensor? Weights) Forward(
        Tensor q,
        Tensor k,
        Tensor v,
        Tensor? mask = null,
        double dropout = 0.0,
        bool fused = false,
        bool causal = false
    )
    {
        if (fused && causal)
            return (nn.functional.scaled_dot_product_attention(q, k, v, null, dropout, is_casual: true), null);
        if (fused)
            return (nn.functional.scaled_dot_product_attention(q, k, v, mask, dropout), null);

        double dk = q.shape[^1];
        var scores = q.matmul(k.transpose(-2, -1)) / Math.Sqrt(dk); // (…, Tq, Tk)
        if (mask is not null)
            scores = scores + mask;
        var weights = Autocast.Full(scores).softmax(-1); // each row sums to 1 (in fp32 when the scores are bf16)
        var dropped = dropout > 0 ? nn.functional.dropout(weights, dropout, training: true) : weights;
        return (dropped.to(v.dtype).matmul(v), weights); // (…, Tq, d_v)
    }
}
