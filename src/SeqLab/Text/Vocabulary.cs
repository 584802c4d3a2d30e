using System.Text.Json;
using SeqLab.IO;

namespace SeqLab.Text;

/// <summary>
/// Token ↔ id, with the four special tokens first (&lt;pad&gt;=0, &lt;unk&gt;=1, &lt;bos&gt;=2, &lt;eos&gt;=3) and
/// the training counts kept, so a unigram baseline can be computed under the same vocabulary.
/// </summary>
public sealed class Vocabulary
{
    public const string Pad = "<pad>",
        Unk = "<unk>",
        Bos = "<bos>",
        Eos = "<eos>";
    public const int PadId = 0,
        UnkId = 1,
        BosId = 2,
        EosId = 3;
    public static readonly string[] Specials = [Pad, Unk, Bos, Eos];

    readonly List<string> _tokens;
    readonly List<long> _counts;
    readonly Dictionary<string, int> _ids;

    Vocabulary(List<string> tokens, List<long> counts)
    {
        _tokens = tokens;
        _counts = counts;
        _ids = new Dictionary<string, int>(tokens.Count, StringComparer.Ordinal);
        for (int i = 0; i < tokens.Count; i++)
            if (!_ids.TryAdd(tokens[i], i))
                throw new SeqLabInputException(
                    $"vocabulary lists '{tokens[i]}' twice; the checkpoint's vocab.json is corrupt, retrain the model."
                );
    }

    public int Count => _tokens.Count;
    public IReadOnlyList<string> Tokens => _tokens;

    /// <summary>How often each id was seen in the training text (&lt;unk&gt; counts the words left out).</summary>
    public IReadOnlyList<long> Counts => _counts;

    public int this[string token] => _ids.TryGetValue(token, out var id) ? id : UnkId;
    public string this[int id] => _tokens[id];

    public bool Contains(string token) => _ids.ContainsKey(token);

    public static bool IsSpecial(int id) => id < Specials.Length;

    /// <summary>The token that hides a word from a masked language model (BERT's [MASK]).</summary>
    public const string Mask = "<mask>";

    /// <summary>This vocabulary with <see cref="Mask"/> added at the end (as is, if it has it).</summary>
    public Vocabulary WithMask() => Contains(Mask) ? this : new Vocabulary([.. _tokens, Mask], [.. _counts, 0]);

    /// <summary>Keeps tokens seen at least <paramref name="minCount"/> times, most frequent first, up to <paramref
    /// name="maxSize"/> entries in all.</summary>
    public static Vocabulary Build(IEnumerable<string> tokens, int minCount = 1, int maxSize = int.MaxValue)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var t in tokens)
            counts[t] = counts.GetValueOrDefault(t) + 1;
        return FromCounts(counts, minCount, maxSize);
    }

    public static Vocabulary FromCounts(
        IReadOnlyDictionary<string, long> counts,
        int minCount = 1,
        int maxSize = int.MaxValue
    )
    {
        if (minCount < 1)
            throw new SeqLabInputException($"min-count must be at least 1 (got {minCount}).");
        if (maxSize < Specials.Length + 1)
            throw new SeqLabInputException(
                $"max vocabulary size must be at least {Specials.Length + 1} (got {maxSize})."
            );
        var tokens = new List<string>(Specials);
        var kept = new List<long> { 0, 0, 0, counts.GetValueOrDefault(Eos) };
        long unknown = counts.GetValueOrDefault(Unk);
        var ranked = counts
            .Where(kv => Array.IndexOf(Specials, kv.Key) < 0)
            .OrderByDescending(kv => kv.Value)
            .ThenBy(kv => kv.Key, StringComparer.Ordinal);
        foreach (var (token, count) in ranked)
        {
            if (count >= minCount && tokens.Count < maxSize)
            {
                tokens.Add(token);
                kept.Add(count);
            }
            else
                unknown += count;
        }
        kept[UnkId] = unknown;
        return new Vocabulary(tokens, kept);
    }

    /// <summary>
    /// The specials, then exactly <paramref name="vocabulary"/> in its order (a subword tokenizer's whole vocabulary,
    /// seen or not), with counts from <paramref name="stream"/>.
    /// </summary>
    public static Vocabulary FromTokens(IEnumerable<string> vocabulary, IEnumerable<string> stream)
    {
        var tokens = new List<string>(Specials);
        tokens.AddRange(vocabulary.Where(t => Array.IndexOf(Specials, t) < 0));
        var counts = new long[tokens.Count];
        var index = tokens.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i, StringComparer.Ordinal);
        foreach (var t in stream)
            counts[index.TryGetValue(t, out var i) ? i : UnkId]++;
        return new Vocabulary(tokens, [.. counts]);
    }

    public long[] Encode(IEnumerable<string> tokens) => tokens.Select(t => (long)this[t]).ToArray();

    public IEnumerable<string> Decode(IEnumerable<long> ids) => ids.Select(i => _tokens[(int)i]);

    record Stored(List<string> Tokens, List<long> Counts);

    public void Save(string path) =>
        IO.AtomicFile.WriteAllText(path, JsonSerializer.Serialize(new Stored(_tokens, _counts), Json.Options));

    /// <summary>
    /// A vocabulary from a token list where line i is token id i (e.g. one exported from PyTorch): a
    /// vocab.json of SeqLab's, or a text file with one token per line starting with the four specials.
    /// </summary>
    public static Vocabulary LoadAny(string path)
    {
        if (!File.Exists(path))
            throw new SeqLabInputException($"{path} does not exist; check --vocab.");
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            return Load(path);
        var tokens = File.ReadAllLines(path).Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        if (tokens.Count <= Specials.Length || !tokens.Take(Specials.Length).SequenceEqual(Specials))
            throw new SeqLabInputException(
                $"{path}: a token list must start with {string.Join(", ", Specials)} (ids 0–3), one token per line."
            );
        var duplicate = tokens.GroupBy(t => t).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new SeqLabInputException($"{path}: '{duplicate.Key}' is listed twice; each token needs one id.");
        return new Vocabulary(tokens, tokens.Select(_ => 0L).ToList());
    }

    public static Vocabulary Load(string path)
    {
        Stored? stored;
        try
        {
            stored = JsonSerializer.Deserialize<Stored>(File.ReadAllText(path), Json.Options);
        }
        catch (JsonException e)
        {
            throw new SeqLabInputException(
                $"{path} is not a valid vocabulary file ({e.Message}); retrain the model or restore the file."
            );
        }
        if (
            stored?.Tokens is null
            || stored.Counts is null
            || stored.Tokens.Count != stored.Counts.Count
            || stored.Tokens.Count < Specials.Length
            || !stored.Tokens.Take(Specials.Length).SequenceEqual(Specials)
        )
            throw new SeqLabInputException(
                $"{path} is not a valid vocabulary file (tokens, counts and the four special tokens are required); "
                    + $"retrain the model."
            );
        if (stored.Tokens.FindIndex(t => t is null) is >= 0 and var missing)
            throw new SeqLabInputException(
                $"{path}: token {missing} is null; every id needs a token. Restore the file or retrain."
            );
        if (stored.Tokens.GroupBy(t => t).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new SeqLabInputException($"{path}: '{twice.Key}' is listed twice; each token needs one id.");
        return new Vocabulary(stored.Tokens, stored.Counts);
    }
}
