using SeqLab.Text;

namespace SeqLab.Data;

/// <summary>
/// Language-model data: the text as one stream of token ids (each line ends with &lt;eos&gt;), cut into
/// contiguous windows of seq-len + 1 tokens; a window's first seq-len tokens are the input and its
/// last seq-len the targets (the same window shifted by one).
/// </summary>
public static class LanguageModelData
{
    /// <summary>The lines' tokens, each line closed by &lt;eos&gt;; with <paramref name="clsSep"/> also opened by
    /// &lt;bos&gt;, as BERT reads a sentence: [CLS] … [SEP].</summary>
    public static IEnumerable<string> TokenStream(
        IEnumerable<TextSource.Line> lines,
        ITokenizer tokenizer,
        bool clsSep = false
    )
    {
        foreach (var line in lines)
        {
            if (string.IsNullOrWhiteSpace(line.Text))
                continue;
            if (clsSep)
                yield return Vocabulary.Bos;
            foreach (var t in tokenizer.Tokenize(line.Text))
                yield return t;
            yield return Vocabulary.Eos;
        }
    }

    public static long[] Encode(
        IEnumerable<TextSource.Line> lines,
        ITokenizer tokenizer,
        Vocabulary vocab,
        bool clsSep = false
    ) => TokenStream(lines, tokenizer, clsSep).Select(t => (long)vocab[t]).ToArray();

    /// <summary>Start offsets of the windows: non-overlapping, each with seq-len + 1 tokens (the last one may be
    /// shorter).</summary>
    public static List<int> WindowStarts(int streamLength, int seqLen)
    {
        var starts = new List<int>();
        for (int s = 0; s + 1 < streamLength; s += seqLen)
            starts.Add(s);
        return starts;
    }

    /// <summary>
    /// Batches of windows, batch-first (B, T). With <paramref name="rng"/> the window order is shuffled
    /// (training); without it the windows come in text order (evaluation), so every target token is
    /// scored exactly once.
    /// </summary>
    public static IEnumerable<Batch> Batches(long[] stream, int seqLen, int batchSize, Random? rng = null)
    {
        if (seqLen < 1)
            throw new SeqLabInputException($"seq-len must be at least 1 (got {seqLen}).");
        if (batchSize < 1)
            throw new SeqLabInputException($"batch size must be at least 1 (got {batchSize}).");
        var starts = WindowStarts(stream.Length, seqLen);
        if (rng is not null)
            Shuffle(starts, rng);
        for (int b = 0; b < starts.Count; b += batchSize)
        {
            var chunk = starts.Skip(b).Take(batchSize).ToList();
            int columns = chunk.Max(s => Math.Min(seqLen, stream.Length - 1 - s));
            var inputs = new long[chunk.Count * columns];
            var targets = new long[chunk.Count * columns]; // <pad> = 0 = ignored by the loss
            var lengths = new long[chunk.Count];
            for (int r = 0; r < chunk.Count; r++)
            {
                int n = Math.Min(seqLen, stream.Length - 1 - chunk[r]);
                Array.Copy(stream, chunk[r], inputs, r * columns, n);
                Array.Copy(stream, chunk[r] + 1, targets, r * columns, n);
                lengths[r] = n;
            }
            yield return new Batch(inputs, targets, lengths, chunk.Count, columns);
        }
    }

    public static int BatchCount(int streamLength, int seqLen, int batchSize) =>
        (WindowStarts(streamLength, seqLen).Count + batchSize - 1) / batchSize;

    internal static void Shuffle<T>(IList<T> items, Random rng)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
