using SeqLab.Text;

namespace SeqLab.Data;

/// <summary>
/// Masked-language-model data, as BERT (Devlin et al. 2019, §3.1): the text as one stream of token ids cut into
/// windows of seq-len tokens; in each window 15% of the positions are chosen, and of those 80% become
/// &lt;mask&gt;, 10% a random token and 10% stay as they are. The targets are the original tokens at the chosen
/// positions only (&lt;pad&gt; = 0 elsewhere, which the loss ignores), so the model is scored on what it could not
/// see, from both sides.
/// </summary>
public static class MaskedLanguageData
{
    /// <summary>The first ordinary token's id: after the specials.</summary>
    static readonly int Ordinary = Vocabulary.Specials.Length;

    public const double ChosenShare = 0.15,
        MaskShare = 0.8,
        RandomShare = 0.1;

    /// <summary>
    /// Batches of masked windows. <paramref name="order"/> shuffles the windows (training); <paramref name="masking"/>
    /// draws the chosen positions and their replacements: a new seed per epoch in training, a fixed one for
    /// validation and evaluation so every run is scored on the same masks.
    /// </summary>
    public static IEnumerable<Batch> Batches(
        long[] stream,
        int seqLen,
        int batchSize,
        Vocabulary vocab,
        Random masking,
        Random? order = null
    )
    {
        if (seqLen < 2)
            throw new SeqLabInputException($"seq-len must be at least 2 for a masked language model (got {seqLen}).");
        if (!vocab.Contains(Vocabulary.Mask))
            throw new InvalidOperationException("a masked language model's vocabulary needs <mask>");
        var starts = new List<int>();
        for (int s = 0; s < stream.Length; s += seqLen)
            starts.Add(s);
        if (order is not null)
            LanguageModelData.Shuffle(starts, order);
        long mask = vocab[Vocabulary.Mask];
        for (int b = 0; b < starts.Count; b += batchSize)
        {
            var chunk = starts.Skip(b).Take(batchSize).ToList();
            int columns = chunk.Max(s => Math.Min(seqLen, stream.Length - s));
            var inputs = new long[chunk.Count * columns];
            var targets = new long[chunk.Count * columns];
            var lengths = new long[chunk.Count];
            for (int r = 0; r < chunk.Count; r++)
            {
                int n = Math.Min(seqLen, stream.Length - chunk[r]);
                Array.Copy(stream, chunk[r], inputs, r * columns, n);
                lengths[r] = n;
                foreach (int t in Chosen(n, masking))
                {
                    int i = r * columns + t;
                    targets[i] = inputs[i];
                    double u = masking.NextDouble();
                    if (u < MaskShare)
                        inputs[i] = mask;
                    else if (u < MaskShare + RandomShare) // any ordinary token: not a special, not <mask>
                    {
                        long other = Ordinary + masking.Next(vocab.Count - Ordinary - 1);
                        inputs[i] = other < mask ? other : other + 1; // an imported BERT's <mask> is not the last id
                    }
                }
            }
            yield return new Batch(inputs, targets, lengths, chunk.Count, columns);
        }
    }

    /// <summary>round(15% of n) distinct positions (at least one), drawn without replacement.</summary>
    static IEnumerable<int> Chosen(int n, Random rng)
    {
        int k = Math.Max(1, (int)Math.Round(n * ChosenShare));
        var positions = Enumerable.Range(0, n).ToArray();
        for (int i = 0; i < k; i++) // a partial Fisher–Yates shuffle: the first k are a uniform sample
        {
            int j = i + rng.Next(n - i);
            (positions[i], positions[j]) = (positions[j], positions[i]);
        }
        return positions.Take(k);
    }
}
