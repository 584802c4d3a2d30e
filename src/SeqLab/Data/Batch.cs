using SeqLab.Text;

namespace SeqLab.Data;

/// <summary>
/// One batch as plain arrays, batch-first: <see cref="Inputs"/> is (Rows, Columns) token ids padded
/// with &lt;pad&gt;, <see cref="Lengths"/> the real length of each row, <see cref="Targets"/> either
/// (Rows, Columns) next tokens (lm), (Rows) labels (classify), or (Rows, TargetColumns) output
/// sequences &lt;bos&gt; y1 … yn &lt;eos&gt; padded (seq2seq). Tensors are made inside the step's dispose
/// scope, so a batch holds no native memory.
/// </summary>
public sealed record Batch(long[] Inputs, long[] Targets, long[] Lengths, int Rows, int Columns, int TargetColumns = 0)
{
    /// <summary>Tokens that count towards the loss (for tokens/s and averaging).</summary>
    public long Tokens =>
        TargetColumns > 0 ? Targets.Count(t => t != Vocabulary.PadId) - Rows // every token but <bos> is predicted
        : Targets.Length == Rows ? Lengths.Sum()
        : Targets.Count(t => t != Vocabulary.PadId);

    public Tensor InputTensor(Device? device = null) => tensor(Inputs, [Rows, Columns], device: device);

    public Tensor TargetTensor(Device? device = null) =>
        TargetColumns > 0 ? tensor(Targets, [Rows, TargetColumns], device: device)
        : Targets.Length == Rows ? tensor(Targets, [Rows], device: device)
        : tensor(Targets, [Rows, Columns], device: device);

    public Tensor LengthTensor() => tensor(Lengths, [Rows]);

    /// <summary>Pads variable-length rows into one batch (truncating each to <paramref name="maxLength"/>).</summary>
    public static Batch Pad(IReadOnlyList<long[]> rows, long[] targets, int maxLength)
    {
        int columns = Math.Max(1, rows.Max(r => Math.Min(r.Length, maxLength)));
        var inputs = new long[rows.Count * columns];
        var lengths = new long[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            int n = Math.Min(rows[i].Length, maxLength);
            Array.Copy(rows[i], 0, inputs, i * columns, n);
            lengths[i] = Math.Max(1, n);
        }
        return new Batch(inputs, targets, lengths, rows.Count, columns);
    }

    /// <summary>Source rows padded as inputs, target rows framed as &lt;bos&gt; y &lt;eos&gt; and padded
    /// (seq2seq).</summary>
    public static Batch Pairs(IReadOnlyList<long[]> sources, IReadOnlyList<long[]> targets, int maxLength)
    {
        var inputs = Pad(sources, [], maxLength);
        var framed = targets
            .Select(t => t.Take(maxLength - 2).Prepend(Vocabulary.BosId).Append(Vocabulary.EosId).ToArray())
            .ToList();
        int columns = framed.Max(t => t.Length);
        var flat = new long[framed.Count * columns];
        for (int i = 0; i < framed.Count; i++)
            Array.Copy(framed[i], 0, flat, i * columns, framed[i].Length);
        return inputs with { Targets = flat, TargetColumns = columns };
    }
}
