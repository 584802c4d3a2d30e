namespace SeqLab;

/// <summary>
/// Derived seeds (for an epoch's data order, a step's dropout, a Word2Vec thread) that are the same in
/// every process. <see cref="HashCode.Combine{T1, T2}"/> is randomised per process, so a seed made with
/// it repeats a run only inside one process.
/// </summary>
public static class Seeds
{
    /// <summary>A 32-bit seed from the values, mixed with SplitMix64's finaliser.</summary>
    public static int Mix(params long[] values)
    {
        ulong h = 0x9E3779B97F4A7C15UL;
        foreach (var v in values)
        {
            h ^= (ulong)v;
            h = Finalize(h + 0x9E3779B97F4A7C15UL);
        }
        return (int)(h ^ (h >> 32));
    }

    static ulong Finalize(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
