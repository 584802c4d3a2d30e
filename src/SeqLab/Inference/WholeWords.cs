using SeqLab.Text;
using SeqLab.Training;

namespace SeqLab.Inference;

/// <summary>
/// A [???] blank filled with whole words by a subword language model. A word is a piece that starts one (" banco")
/// followed by pieces that continue it ("s"); its probability is the product of its pieces' probabilities and of the
/// boundary after it (the next piece does not continue the word), summed over the ways to spell it. A beam keeps the
/// likeliest partial words.
/// </summary>
static class WholeWords
{
    public static IReadOnlyList<Candidate> Rank(
        LoadedModel m,
        long[] context,
        int top,
        int beam = 16,
        int maxPieces = 8
    )
    {
        var kinds = Kinds(m);
        var words = new Dictionary<string, double>(StringComparer.Ordinal);
        var frontier = new List<(long[] Pieces, double LogP)> { ([], 0) };
        for (int depth = 0; depth <= maxPieces && frontier.Count > 0; depth++)
        {
            var probabilities = Next(m, context, frontier);
            var next = new List<(long[] Pieces, double LogP)>();
            for (int h = 0; h < frontier.Count; h++)
            {
                var (pieces, logP) = frontier[h];
                var p = probabilities[h];
                if (pieces.Length > 0)
                {
                    double continues = 0;
                    for (int id = 0; id < p.Length; id++)
                        if (kinds[id] == Kind.Continues)
                            continues += p[id];
                    var word = m.Tokenizer.Detokenize(pieces.Select(i => m.Vocabulary[(int)i])).Trim();
                    if (IsWord(word)) // not half of a letter's bytes
                        words[word] = words.GetValueOrDefault(word) + Math.Exp(logP) * Math.Max(0, 1 - continues);
                }
                if (depth == maxPieces)
                    continue;
                var wanted = pieces.Length == 0 ? Kind.Starts : Kind.Continues;
                foreach (
                    var id in Enumerable
                        .Range(0, p.Length)
                        .Where(i => kinds[i] == wanted)
                        .OrderByDescending(i => p[i])
                        .Take(beam)
                )
                    if (p[id] > 0)
                        next.Add(([.. pieces, id], logP + Math.Log(p[id])));
            }
            frontier = [.. next.OrderByDescending(x => x.LogP).Take(beam)];
        }
        return [.. words.OrderByDescending(w => w.Value).Take(top).Select(w => new Candidate(w.Key, w.Value))];
    }

    enum Kind
    {
        Other,
        Starts,
        Continues,
    }

    /// <summary>
    /// Each vocabulary id, judged on its bytes (a piece may hold half of an accented letter): one that starts a word
    /// (a space, then letter bytes), one that continues it (letter bytes only), or other. ASCII letters and every byte
    /// of a multi-byte character count as letter bytes; a finished word is kept only if it reads as letters.
    /// </summary>
    static Kind[] Kinds(LoadedModel m) => KindsByVocabulary.GetValue(m.Vocabulary, Classify);

    /// <summary>Decoding every piece's bytes is a pass over the whole vocabulary: done once per vocabulary, not on
    /// every blank the playground is asked to fill.</summary>
    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Vocabulary, Kind[]> KindsByVocabulary = new();

    static Kind[] Classify(Vocabulary vocabulary) =>
        [
            .. vocabulary.Tokens.Select(
                (token, id) =>
                {
                    if (Vocabulary.IsSpecial(id))
                        return Kind.Other;
                    var bytes = ByteLevel.Bytes(token);
                    static bool Letters(ReadOnlySpan<byte> b)
                    {
                        foreach (var x in b)
                            if (!(x >= 0x80 || (x | 0x20) is >= (byte)'a' and <= (byte)'z'))
                                return false;
                        return b.Length > 0;
                    }
                    return bytes.Length > 1 && bytes[0] == ' ' && Letters(bytes.AsSpan(1)) ? Kind.Starts
                        : Letters(bytes) ? Kind.Continues
                        : Kind.Other;
                }
            ),
        ];

    static bool IsWord(string text) =>
        text.Length > 0
        && text.All(c =>
            char.IsLetter(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.NonSpacingMark
        );

    /// <summary>The next piece's probabilities after the context and each hypothesis's pieces: (N, V) in one
    /// batch.</summary>
    static float[][] Next(LoadedModel m, long[] context, List<(long[] Pieces, double LogP)> frontier)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        int max = m.Config.MaxLength;
        var rows = frontier.Select(h => context.Concat(h.Pieces).TakeLast(max).ToArray()).ToArray();
        var probabilities = m
            .Model.call(tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]), null)[.., -1]
            .softmax(-1)
            .to(ScalarType.Float32);
        var flat = probabilities.data<float>().ToArray();
        int V = (int)probabilities.shape[1];
        return [.. Enumerable.Range(0, rows.Length).Select(r => flat.AsSpan(r * V, V).ToArray())];
    }
}
