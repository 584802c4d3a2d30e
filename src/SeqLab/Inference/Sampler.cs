namespace SeqLab.Inference;

/// <summary>
/// Picks the next token from logits: greedy when temperature is 0, otherwise sampling from
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
        var scores = logits.to(ScalarType.Float32).clone();
        foreach (var id in banned)
            scores[id] = float.NegativeInfinity;
        if (Temperature == 0)
            return scores.argmax().item<long>();

        scores = scores / Temperature;
        if (TopK > 0 && TopK < scores.shape[0])
        {
            var kth = scores.topk(TopK).values[-1];
            scores = scores.masked_fill(scores < kth, float.NegativeInfinity);
        }
        if (TopP < 1.0)
        {
            var (sorted, order) = scores.sort(descending: true);
            var cumulative = sorted.softmax(0).cumsum(0);
            var drop = (cumulative - sorted.softmax(0)) >= TopP; // tokens whose predecessors already reach p
            scores = scores.index_put_(float.NegativeInfinity, order.masked_select(drop));
        }
        return scores.softmax(0).multinomial(1, generator: generator).item<long>();
    }

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
