namespace SeqLab.Inference;

/// <summary>
/// Corpus BLEU (Papineni et al. 2002) on tokens: the geometric mean of modified n-gram precisions
/// (n = 1…4, counts clipped by the reference, summed over the corpus) times the brevity penalty
/// exp(1 − r/c) when the output is shorter than the references. 0–100, no smoothing.
/// </summary>
public static class Bleu
{
    public static double Corpus(
        IReadOnlyList<IReadOnlyList<string>> hypotheses,
        IReadOnlyList<IReadOnlyList<string>> references,
        int maxOrder = 4
    )
    {
        if (hypotheses.Count != references.Count)
            throw new ArgumentException("one reference per hypothesis");
        var matches = new long[maxOrder];
        var totals = new long[maxOrder];
        long hypLength = 0,
            refLength = 0;
        for (int i = 0; i < hypotheses.Count; i++)
        {
            hypLength += hypotheses[i].Count;
            refLength += references[i].Count;
            for (int n = 1; n <= maxOrder; n++)
            {
                var refCounts = NGrams(references[i], n);
                foreach (var (gram, count) in NGrams(hypotheses[i], n))
                {
                    matches[n - 1] += Math.Min(count, refCounts.GetValueOrDefault(gram));
                    totals[n - 1] += count;
                }
            }
        }
        if (hypLength == 0 || matches.Any(m => m == 0))
            return 0;
        double logPrecision = Enumerable.Range(0, maxOrder).Average(n => Math.Log((double)matches[n] / totals[n]));
        double brevity = hypLength >= refLength ? 1 : Math.Exp(1 - (double)refLength / hypLength);
        return 100 * brevity * Math.Exp(logPrecision);
    }

    static Dictionary<string, int> NGrams(IReadOnlyList<string> tokens, int n)
    {
        var counts = new Dictionary<string, int>();
        for (int i = 0; i + n <= tokens.Count; i++)
        {
            var key = string.Join('\u0001', tokens.Skip(i).Take(n));
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        return counts;
    }
}
