using SeqLab.Attention;

namespace SeqLab.Inference;

/// <summary>
/// Turns one decoding step over cached keys and values into what <see cref="BeamSearch"/> and
/// <see cref="Sampler.Continue"/> call: the next-token scores for a list of prefixes. The first call reads the start
/// (a prompt, or &lt;bos&gt;); each later one keeps the caches' rows of the prefixes' parents (a prefix minus its
/// last token), in order, and feeds only the last tokens.
/// </summary>
static class CachedDecoding
{
    /// <param name="first">the scores (1, V) after the start, filling the caches.</param>
    /// <param name="step">the scores (N, V) after the last tokens (N), the caches already holding their
    /// prefixes.</param>
    public static Func<long[][], Tensor> Prefixes(KeyValueCache[] caches, Func<Tensor> first, Func<long[], Tensor> step)
    {
        var rows = new Dictionary<string, int>(StringComparer.Ordinal); // prefix → its row after the last call
        static string Key(IEnumerable<long> prefix) => string.Join(',', prefix);
        return prefixes =>
        {
            using var _ = no_grad();
            Tensor scores;
            if (rows.Count == 0)
                scores = first();
            else
            {
                using var parents = tensor(prefixes.Select(p => (long)rows[Key(p[..^1])]).ToArray());
                foreach (var c in caches)
                    c.Reorder(parents);
                scores = step([.. prefixes.Select(p => p[^1])]);
            }
            rows = prefixes.Select((p, i) => (Key(p), i)).ToDictionary(x => x.Item1, x => x.i, StringComparer.Ordinal);
            return scores;
        };
    }
}
