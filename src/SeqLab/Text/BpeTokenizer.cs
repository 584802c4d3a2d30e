using System.Text.Json;
using System.Text.Json.Nodes;
using SeqLab.IO;

namespace SeqLab.Text;

/// <summary>
/// Byte-level byte-pair encoding (Sennrich et al. 2016; GPT-2's byte-level variant), stored as Hugging Face's
/// tokenizer.json. A word (see <see cref="ByteLevel"/>) starts as its bytes and is rewritten by the merges in the
/// order they were learned; the 256 byte symbols are always in the vocabulary, so no text has an unknown token, and
/// decoding returns the text exactly.
/// </summary>
public sealed class BpeTokenizer : ITokenizer
{
    public const string FileName = "tokenizer.json";

    /// <summary>The byte alphabet: the smallest vocabulary a byte-level BPE can have.</summary>
    public const int Alphabet = 256;

    readonly Dictionary<string, int> vocab;
    readonly List<(string Left, string Right)> merges;
    readonly Dictionary<(string, string), int> ranks;
    readonly Dictionary<string, string[]> cache = new(StringComparer.Ordinal);

    public string Name => "bpe";

    /// <summary>Token → id, in the file's numbering (the byte symbols first, then each merge's result).</summary>
    public IReadOnlyDictionary<string, int> Vocab => vocab;

    /// <summary>The merges in the order they apply.</summary>
    public IReadOnlyList<(string Left, string Right)> Merges => merges;

    /// <summary>The tokens in id order.</summary>
    public IReadOnlyList<string> Tokens => [.. vocab.OrderBy(p => p.Value).Select(p => p.Key)];

    BpeTokenizer(Dictionary<string, int> vocab, List<(string, string)> merges)
    {
        this.vocab = vocab;
        this.merges = merges;
        ranks = merges.Select((m, i) => (m, i)).ToDictionary(p => p.m, p => p.i);
    }

    public IReadOnlyList<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        foreach (var word in ByteLevel.Words(text))
            tokens.AddRange(Word(word));
        return tokens;
    }

    /// <summary>The text's token ids in this tokenizer's own numbering (a piece outside the vocabulary is left out, as
    /// Hugging Face does without an unknown token).</summary>
    public int[] Ids(string text) => [.. Tokenize(text).Where(vocab.ContainsKey).Select(t => vocab[t])];

    public string Show(string token) => ByteLevel.Decode(token).Trim();

    public string Detokenize(IEnumerable<string> tokens) => ByteLevel.Decode(string.Concat(tokens));

    /// <summary>
    /// One word's pieces: repeatedly merge the adjacent pair whose merge was learned first (every occurrence, left to
    /// right), until no adjacent pair has a merge.
    /// </summary>
    string[] Word(string word)
    {
        lock (cache)
            if (cache.TryGetValue(word, out var hit))
                return hit;
        var parts = word.Select(c => c.ToString()).ToList();
        while (parts.Count > 1)
        {
            int best = int.MaxValue;
            for (int i = 0; i + 1 < parts.Count; i++)
                if (ranks.TryGetValue((parts[i], parts[i + 1]), out int r) && r < best)
                    best = r;
            if (best == int.MaxValue)
                break;
            var (left, right) = merges[best];
            var merged = new List<string>(parts.Count);
            for (int i = 0; i < parts.Count; i++)
            {
                if (i + 1 < parts.Count && parts[i] == left && parts[i + 1] == right)
                {
                    merged.Add(left + right);
                    i++;
                }
                else
                    merged.Add(parts[i]);
            }
            parts = merged;
        }
        var result = parts.ToArray();
        lock (cache)
            if (cache.Count < 1 << 20)
                cache[word] = result;
        return result;
    }

    /// <summary>
    /// Learns merges from <paramref name="lines"/> until the vocabulary has <paramref name="vocabSize"/> tokens (or
    /// every word of the text is a single token). The rule: merge the adjacent pair that occurs most often, counting
    /// every word of the text with its frequency; among pairs equally often, the one whose left symbol, then right
    /// symbol, is first in ordinal order. The same text and size always give the same tokenizer.
    /// </summary>
    public static BpeTokenizer Train(IEnumerable<string> lines, int vocabSize) => BpeTrainer.Train(lines, vocabSize);

    internal static BpeTokenizer Create(Dictionary<string, int> vocab, List<(string, string)> merges) =>
        new(vocab, merges);

    /// <summary>Writes Hugging Face's tokenizer.json: a BPE model with a ByteLevel pre-tokenizer and decoder.</summary>
    public void Save(string path)
    {
        var byteLevel = new JsonObject
        {
            ["type"] = "ByteLevel",
            ["add_prefix_space"] = false,
            ["trim_offsets"] = true,
            ["use_regex"] = true,
        };
        var vocabJson = new JsonObject();
        foreach (var (token, id) in vocab.OrderBy(p => p.Value))
            vocabJson[token] = id;
        var doc = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = new JsonArray(),
            ["normalizer"] = null,
            ["pre_tokenizer"] = byteLevel.DeepClone(),
            ["post_processor"] = null,
            ["decoder"] = byteLevel.DeepClone(),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["dropout"] = null,
                ["unk_token"] = null,
                ["continuing_subword_prefix"] = null,
                ["end_of_word_suffix"] = null,
                ["fuse_unk"] = false,
                ["byte_fallback"] = false,
                ["ignore_merges"] = false,
                ["vocab"] = vocabJson,
                ["merges"] = new JsonArray([.. merges.Select(m => (JsonNode)new JsonArray(m.Left, m.Right))]),
            },
        };
        TokenizerJson.Write(path, doc);
    }

    /// <summary>
    /// Reads a tokenizer.json written by SeqLab or by Hugging Face <c>tokenizers</c>: a BPE model over a ByteLevel
    /// pre-tokenizer, with merges as ["a", "b"] pairs or as "a b" strings. Anything else is refused by name.
    /// </summary>
    public static BpeTokenizer Load(string path)
    {
        SeqLabInputException Bad(string why) =>
            new($"{path}: {why}; give a byte-level BPE tokenizer.json (`seqlab tokenizer train`).");
        var (root, model) = TokenizerJson.Read(path, "train one with `seqlab tokenizer train`", Bad);
        var type = model["type"]?.GetValueKind() == JsonValueKind.String ? (string?)model["type"] : null;
        if (type != "BPE")
            throw Bad($"the model type is {type ?? "missing"}, and SeqLab reads BPE");
        var pre = root["pre_tokenizer"];
        if ((string?)pre?["type"] != "ByteLevel" || pre["add_prefix_space"]?.GetValue<bool>() == true)
            throw Bad("the pre-tokenizer is not ByteLevel without a prefix space");
        if (model["vocab"] is not JsonObject vocabJson)
            throw Bad("no vocab");
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (token, id) in vocabJson)
            vocab[token] =
                id?.GetValueKind() == JsonValueKind.Number ? (int)id : throw Bad($"token '{token}' has no numeric id");
        var merges = new List<(string, string)>();
        foreach (var m in model["merges"] as JsonArray ?? throw Bad("no merges"))
        {
            (string, string) pair = m switch
            {
                JsonArray { Count: 2 } a => ((string)a[0]!, (string)a[1]!),
                JsonValue v
                    when v.GetValueKind() == JsonValueKind.String && ((string)v!).Split(' ') is [var l, var r] => (
                    l,
                    r
                ),
                _ => throw Bad($"merge {m?.ToJsonString()} is not a pair"),
            };
            if (!vocab.ContainsKey(pair.Item1 + pair.Item2))
                throw Bad($"merge ({pair.Item1}, {pair.Item2}) makes a token that is not in the vocabulary");
            merges.Add(pair);
        }
        // A tokenizer trained elsewhere may lack bytes its text never had; SeqLab's own always has all 256.
        return new BpeTokenizer(vocab, merges);
    }
}
