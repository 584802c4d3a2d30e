namespace SeqLab.Inference;

/// <summary>
/// Picks the next token from logits: greedy when temperature is 0 (or below 1e-6), otherwise sampling from
/// softmax(logits / T), optionally restricted to the k most likely tokens (top-k) and/or the
/// smallest set whose probability reaches p (nucleus, top-p).
/// </summary>
public sealed record Sampler(double Temperature = 1.0, int TopK = 0, double TopP = 1.0)
{
    public void Validate()
    {
        if (double.IsNaN(Temperature) || Temperature < 0)
            throw new SeqLabInputException($"--temperature must be ≥ 0 (got {Temperature}); 0 means greedy.");
        if (TopK < 0)
            throw new SeqLabInputException($"--top-k must be ≥ 0 (got {TopK}); 0 means no limit.");
        if (double.IsNaN(TopP) || TopP <= 0 || TopP > 1)
            throw new SeqLabInputException($"--top-p must be in (0, 1] (got {TopP}).");
    }

    /// <param name="logits">(V) scores for the next token.</param>
    /// <param name="banned">token ids never to produce (e.g. &lt;pad&gt;).</param>
    public long Next(Tensor logits, IEnumerable<long> banned, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        // In float64, shifted so the best score is 0: any temperature the options accept stays finite.
        var scores = logits.to(ScalarType.Float64).clone();
        foreach (var id in banned)
            scores[id] = double.NegativeInfinity;
        if (Temperature < GreedyBelow)
            return scores.argmax().item<long>();

        scores = (scores - scores.max()) / Temperature;
        scores = scores.nan_to_num(nan: double.NegativeInfinity); // −∞ / T stays −∞; nothing becomes NaN
        if (TopK > 0 && TopK < scores.shape[0])
        {
            var kth = scores.topk(TopK).values[-1];
            scores = scores.masked_fill(scores < kth, double.NegativeInfinity);
        }
        if (TopP < 1.0)
        {
            var (sorted, order) = scores.sort(descending: true);
            var probabilities = sorted.softmax(0);
            var drop = (probabilities.cumsum(0) - probabilities) >= TopP; // predecessors already reach p
            drop[0] = false; // the likeliest token always stays
            scores = scores.index_put_(double.NegativeInfinity, order.masked_select(drop));
        }
        return scores.softmax(0).multinomial(1, generator: generator).item<long>();
    }

    /// <summary>Temperatures this small are greedy: dividing by them would only overflow.</summary>
    const double GreedyBelow = 1e-6;

    /// <summary>
    /// Samples a continuation token by token until <paramref name="eos"/> or <paramref name="maxTokens"/>.
    /// <paramref name="nextLogits"/> maps the tokens produced so far to the next token's (V) scores.
    /// </summary>
    public long[] Continue(
        Func<long[], Tensor> nextLogits,
        int maxTokens,
        long eos,
        IReadOnlyCollection<long> banned,
        int seed
    )
    {
        Validate();
        var generator = new Generator().manual_seed(seed);
        var produced = new List<long>();
        while (produced.Count < maxTokens)
        {
            using var scope = NewDisposeScope();
            long next = Next(nextLogits([.. produced]), banned, generator);
            if (next == eos)
                break;
            produced.Add(next);
        }
        return [.. produced];
    }
}
