namespace SeqLab.Attention;

/// <summary>
/// Attention masks as additive biases: 0 where a query may look, −∞ where it may not, so that
/// softmax gives the blocked keys exactly zero weight.
/// </summary>
internal static class Masks
{
    /// <summary>Causal (T, T): position t sees positions ≤ t only (the decoder's "no peeking ahead").</summary>
    public static Tensor Causal(long t, ScalarType dtype = ScalarType.Float32, Device? device = null) =>
        triu(full(t, t, float.NegativeInfinity, dtype: dtype, device: device), diagonal: 1);

    /// <summary>Key padding (B, T) bool, true at padded positions, from each row's real length.</summary>
    public static Tensor Padding(Tensor lengths, long t) =>
        arange(t, device: lengths.device).unsqueeze(0) >= lengths.unsqueeze(1);

    /// <summary>
    /// One additive mask for (B, H, Tq, Tk) scores from an optional (Tq, Tk) attention mask (additive
    /// float, or bool with true = blocked) and an optional (B, Tk) key-padding mask (true = padded).
    /// </summary>
    public static Tensor? Combine(Tensor? attnMask, Tensor? keyPadding, ScalarType dtype)
    {
        Tensor? mask = null;
        if (attnMask is not null)
            mask =
                attnMask.dtype == ScalarType.Bool
                    ? zeros(attnMask.shape, dtype: dtype, device: attnMask.device)
                        .masked_fill(attnMask, double.NegativeInfinity)
                    : attnMask.to(dtype); // (Tq, Tk)
        if (keyPadding is not null)
        {
            var pad = zeros(keyPadding.shape, dtype: dtype, device: keyPadding.device)
                .masked_fill(keyPadding, double.NegativeInfinity)
                .unsqueeze(1)
                .unsqueeze(1); // (B, 1, 1, Tk)
            mask = mask is null ? pad : mask + pad; // (B, 1, Tq, Tk)
        }
        return mask;
    }
}
