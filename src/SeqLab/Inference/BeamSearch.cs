namespace SeqLab.Inference;

/// <summary>
/// Beam search: keep the <c>width</c> most probable partial outputs, extend each by every token, keep
/// the best <c>width</c> again, and set aside those that end in &lt;eos&gt;. Finished outputs are
/// compared by log-probability divided by the GNMT length penalty ((5 + |y|) / 6)^α (Wu et al. 2016):
/// α = 0 ranks by raw probability, which favours short outputs; larger α favours longer ones.
/// Width 1 is greedy decoding.
/// </summary>
public static class BeamSearch
{
    public sealed record Hypothesis(long[] Tokens, double LogProbability, double Score);

    /// <param name="nextLogProbs">For N prefixes of equal length (the tokens produced so far), the
    /// log-probabilities of the next token: (N, V).</param>
    /// <param name="banned">tokens never produced (&lt;pad&gt;, &lt;bos&gt;, …).</param>
    public static Hypothesis Search(
        Func<long[][], Tensor> nextLogProbs,
        int width,
        int maxTokens,
        double lengthPenalty,
        long eos,
        IReadOnlyCollection<long> banned
    )
    {
        if (width < 1)
            throw new SeqLabInputException($"--beam must be at least 1 (got {width}).");
        if (maxTokens < 1)
            throw new SeqLabInputException($"--max-tokens must be at least 1 (got {maxTokens}).");
        if (double.IsNaN(lengthPenalty) || lengthPenalty < 0)
            throw new SeqLabInputException($"--length-penalty must be ≥ 0 (got {lengthPenalty}).");

        double Penalised(double logp, int length) => logp / Math.Pow((5.0 + length) / 6.0, lengthPenalty);
        var alive = new List<(long[] Tokens, double LogP)> { ([], 0.0) };
        var finished = new List<Hypothesis>();
        for (int step = 0; step < maxTokens && alive.Count > 0 && finished.Count < width; step++)
        {
            var candidates = new List<(long[] Tokens, double LogP)>();
            using (var scope = NewDisposeScope())
            {
                var logp = nextLogProbs(alive.Select(a => a.Tokens).ToArray()).to(ScalarType.Float32).clone(); // (N, V)
                foreach (var id in banned)
                    logp[.., id] = float.NegativeInfinity;
                var (values, indices) = logp.topk(Math.Min(width, (int)logp.shape[1]), dim: 1); // (N, width)
                var v = values.data<float>().ToArray();
                var ix = indices.data<long>().ToArray();
                int k = (int)values.shape[1];
                for (int n = 0; n < alive.Count; n++)
                for (int j = 0; j < k; j++)
                    if (float.IsFinite(v[n * k + j]))
                        candidates.Add(([.. alive[n].Tokens, ix[n * k + j]], alive[n].LogP + v[n * k + j]));
            }
            alive = [];
            foreach (var c in candidates.OrderByDescending(c => c.LogP).Take(width))
            {
                if (c.Tokens[^1] == eos)
                    finished.Add(new Hypothesis(c.Tokens[..^1], c.LogP, Penalised(c.LogP, c.Tokens.Length)));
                else
                    alive.Add(c);
            }
        }
        // Outputs cut off by maxTokens compete too, so there is always an answer.
        finished.AddRange(alive.Select(a => new Hypothesis(a.Tokens, a.LogP, Penalised(a.LogP, a.Tokens.Length))));
        return finished.MaxBy(h => h.Score) ?? new Hypothesis([], 0, 0);
    }
}
