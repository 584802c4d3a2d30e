namespace SeqLab.Attention;

/// <summary>
/// The keys and values a causal self-attention layer has computed for the positions so far, (B, H, T, d_k) each.
/// Decoding one more token then needs only that token's projections: the cost of a step stops growing with the
/// prefix's projections (attention still reads every cached key). The tensors live outside any dispose scope until
/// the cache is disposed.
/// </summary>
public sealed class KeyValueCache : IDisposable
{
    Tensor? keys,
        values;

    /// <summary>How many positions are cached.</summary>
    public long Length => keys?.shape[2] ?? 0;

    /// <summary>Appends the new positions' keys and values; returns everything cached, the new positions
    /// included.</summary>
    public (Tensor Keys, Tensor Values) Append(Tensor k, Tensor v)
    {
        var newKeys = (keys is null ? k.clone() : cat([keys, k], 2)).DetachFromDisposeScope();
        var newValues = (values is null ? v.clone() : cat([values, v], 2)).DetachFromDisposeScope();
        keys?.Dispose();
        values?.Dispose();
        (keys, values) = (newKeys, newValues);
        return (keys, values);
    }

    /// <summary>Keeps the rows <paramref name="rows"/> (B') in that order: a beam's hypotheses after a step.</summary>
    public void Reorder(Tensor rows)
    {
        if (keys is null || values is null)
            return;
        var (k, v) = (
            keys.index_select(0, rows).DetachFromDisposeScope(),
            values.index_select(0, rows).DetachFromDisposeScope()
        );
        keys.Dispose();
        values.Dispose();
        (keys, values) = (k, v);
    }

    public void Dispose()
    {
        keys?.Dispose();
        values?.Dispose();
        (keys, values) = (null, null);
    }
}
