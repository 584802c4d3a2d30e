using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SeqLab.IO;

namespace SeqLab.Text;

/// <summary>
/// BERT's WordPiece (Wu et al. 2016; Devlin et al. 2019), with Hugging Face's rules: the text is cleaned (control
/// characters dropped, whitespace made a space), CJK ideographs are spaced out, accents stripped and letters
/// lowercased as the model was trained; then split on whitespace and around every punctuation mark, and each word
/// is cut greedily into the longest pieces the vocabulary has ("préstamo" → "pr", "##est", "##amo"). A word that
/// cannot be cut, or is longer than 100 characters, becomes the unknown token. Special tokens written in the text
/// ("[MASK]") are kept whole. Stored as Hugging Face's tokenizer.json.
/// </summary>
public sealed class WordPieceTokenizer : ITokenizer
{
    public const string FileName = BpeTokenizer.FileName;
    public const string Prefix = "##";
    const int MaxCharsPerWord = 100;

    readonly string[] tokens; // in the file's numbering (vocab.txt's line order)
    readonly HashSet<string> known;

    /// <summary>The special tokens' names in the file ("[CLS]") → SeqLab's (&lt;bos&gt;).</summary>
    readonly Dictionary<string, string> specials;

    public string Name => "wordpiece";
    public bool Lowercase { get; }

    /// <summary>Whether accents are removed (NFD, then nonspacing marks dropped); null: when lowercasing, as in
    /// BERT.</summary>
    public bool? StripAccents { get; }
    public bool SplitChinese { get; }

    /// <summary>The tokens in the file's numbering (vocab.txt's order), special ones under their file names.</summary>
    public IReadOnlyList<string> Tokens => tokens;

    /// <summary>The file's name of each special role: unk, cls, sep, pad, mask.</summary>
    public SpecialNames Names { get; }

    public sealed record SpecialNames(string Unk, string Cls, string Sep, string Pad, string Mask)
    {
        public static readonly SpecialNames Bert = new("[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]");

        public IEnumerable<(string File, string SeqLab)> Pairs() =>
            [
                (Unk, Vocabulary.Unk),
                (Cls, Vocabulary.Bos),
                (Sep, Vocabulary.Eos),
                (Pad, Vocabulary.Pad),
                (Mask, Vocabulary.Mask),
            ];
    }

    public WordPieceTokenizer(
        IReadOnlyList<string> tokens,
        SpecialNames names,
        bool lowercase = true,
        bool? stripAccents = null,
        bool splitChinese = true
    )
    {
        this.tokens = [.. tokens];
        known = new HashSet<string>(tokens, StringComparer.Ordinal);
        Names = names;
        foreach (var (file, _) in names.Pairs())
            if (!known.Contains(file))
                throw new SeqLabInputException(
                    $"the WordPiece vocabulary has no {file} token; a BERT vocab.txt lists [PAD], [UNK], [CLS], [SEP] "
                        + "and [MASK] (or names them in special_tokens_map.json)."
                );
        specials = names.Pairs().ToDictionary(p => p.File, p => p.SeqLab, StringComparer.Ordinal);
        Lowercase = lowercase;
        StripAccents = stripAccents;
        SplitChinese = splitChinese;
    }

    /// <summary>The SeqLab name of a file token: a special one's role name, any other as it is.</summary>
    public string SeqLabName(string fileToken) => specials.GetValueOrDefault(fileToken, fileToken);

    public IReadOnlyList<string> Tokenize(string text) => [.. Words(text).SelectMany(w => w.Pieces)];

    /// <summary>The text's words (after cleaning and splitting), each with its pieces; a special token is a word of
    /// one piece.</summary>
    public IReadOnlyList<(string Word, string[] Pieces)> Words(string text)
    {
        var words = new List<(string, string[])>();
        foreach (var (segment, isSpecial) in SplitSpecials(text))
        {
            if (isSpecial)
            {
                words.Add((segment, [specials[segment]]));
                continue;
            }
            foreach (var word in PreTokenize(Normalize(segment)))
                words.Add((word, Pieces(word)));
        }
        return words;
    }

    /// <summary>The text around special tokens written in it, which are matched before any normalisation, as Hugging
    /// Face matches its added tokens.</summary>
    IEnumerable<(string Segment, bool Special)> SplitSpecials(string text)
    {
        int start = 0;
        while (start < text.Length)
        {
            int at = -1;
            string? which = null;
            foreach (var name in specials.Keys)
            {
                int i = text.IndexOf(name, start, StringComparison.Ordinal);
                if (i >= 0 && (at < 0 || i < at || (i == at && name.Length > which!.Length)))
                    (at, which) = (i, name);
            }
            if (which is null)
                break;
            if (at > start)
                yield return (text[start..at], false);
            yield return (which, true);
            start = at + which.Length;
        }
        if (start < text.Length)
            yield return (text[start..], false);
    }

    /// <summary>Hugging Face's BertNormalizer: clean, space out CJK ideographs, strip accents, lowercase.</summary>
    string Normalize(string text)
    {
        var sb = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; )
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var r, out int used) != System.Buffers.OperationStatus.Done)
            {
                i += Math.Max(used, 1); // a lone surrogate is not a character: dropped as control characters are
                continue;
            }
            i += used;
            if (r.Value == 0 || r.Value == 0xFFFD || IsControl(r))
                continue;
            if (IsWhitespace(r))
                sb.Append(' ');
            else if (SplitChinese && IsChinese(r.Value))
                sb.Append(' ').Append(r.ToString()).Append(' ');
            else
                sb.Append(r.ToString());
        }
        var s = sb.ToString();
        if (StripAccents ?? Lowercase)
            s = string.Concat(
                s.Normalize(NormalizationForm.FormD)
                    .Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            );
        return Lowercase ? s.ToLowerInvariant() : s;
    }

    /// <summary>BertPreTokenizer: split on whitespace, and every punctuation mark is a word of its own.</summary>
    static IEnumerable<string> PreTokenize(string text)
    {
        var word = new StringBuilder();
        foreach (var r in text.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(r) || IsPunctuation(r))
            {
                if (word.Length > 0)
                    yield return word.ToString();
                word.Clear();
                if (!Rune.IsWhiteSpace(r))
                    yield return r.ToString();
            }
            else
                word.Append(r.ToString());
        }
        if (word.Length > 0)
            yield return word.ToString();
    }

    /// <summary>Greedy longest-match-first: the longest prefix in the vocabulary, then the longest "##" piece of the
    /// rest, and so on; a word that cannot be cut is one unknown token.</summary>
    string[] Pieces(string word)
    {
        var runes = word.EnumerateRunes().Select(r => r.ToString()).ToArray();
        if (runes.Length > MaxCharsPerWord)
            return [Vocabulary.Unk];
        var pieces = new List<string>();
        for (int start = 0; start < runes.Length; )
        {
            string? piece = null;
            int end = runes.Length;
            for (; end > start; end--)
            {
                var candidate = (start > 0 ? Prefix : "") + string.Concat(runes[start..end]);
                if (known.Contains(candidate))
                {
                    piece = candidate;
                    break;
                }
            }
            if (piece is null)
                return [Vocabulary.Unk];
            pieces.Add(SeqLabName(piece));
            start = end;
        }
        return [.. pieces];
    }

    static bool IsWhitespace(Rune r) => r.Value is '\t' or '\n' or '\r' || Rune.IsWhiteSpace(r);

    static bool IsControl(Rune r) =>
        r.Value is not ('\t' or '\n' or '\r')
        && Rune.GetUnicodeCategory(r)
            is UnicodeCategory.Control
                or UnicodeCategory.Format
                or UnicodeCategory.Surrogate
                or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned;

    // ASCII punctuation includes $ + < = > ^ ` | ~, which Unicode files under symbols.
    static bool IsPunctuation(Rune r) =>
        r.Value is (>= 33 and <= 47) or (>= 58 and <= 64) or (>= 91 and <= 96) or (>= 123 and <= 126)
        || Rune.GetUnicodeCategory(r)
            is UnicodeCategory.ConnectorPunctuation
                or UnicodeCategory.DashPunctuation
                or UnicodeCategory.OpenPunctuation
                or UnicodeCategory.ClosePunctuation
                or UnicodeCategory.InitialQuotePunctuation
                or UnicodeCategory.FinalQuotePunctuation
                or UnicodeCategory.OtherPunctuation;

    static bool IsChinese(int cp) =>
        cp
            is (>= 0x4E00 and <= 0x9FFF)
                or (>= 0x3400 and <= 0x4DBF)
                or (>= 0x20000 and <= 0x2A6DF)
                or (>= 0x2A700 and <= 0x2B73F)
                or (>= 0x2B740 and <= 0x2B81F)
                or (>= 0x2B820 and <= 0x2CEAF)
                or (>= 0xF900 and <= 0xFAFF)
                or (>= 0x2F800 and <= 0x2FA1F);

    /// <summary>A continuation piece ("##amo") does not start a word.</summary>
    public bool StartsWord(string token) => !token.StartsWith(Prefix, StringComparison.Ordinal);

    public string Show(string token) => StartsWord(token) ? token : token[Prefix.Length..];

    /// <summary>Pieces glued back into words ("pr ##est ##amo" → "prestamo"), punctuation attached as in Spanish
    /// text.</summary>
    public string Detokenize(IEnumerable<string> pieces)
    {
        var words = new List<string>();
        foreach (var p in pieces)
            if (!StartsWord(p) && words.Count > 0)
                words[^1] += p[Prefix.Length..];
            else
                words.Add(p);
        return new WordTokenizer().Detokenize(words);
    }

    /// <summary>Hugging Face's tokenizer.json for this tokenizer: BertNormalizer, BertPreTokenizer, WordPiece and the
    /// [CLS] $A [SEP] template; the pad token in "padding".</summary>
    public void Save(string path)
    {
        var ids = new JsonObject();
        for (int i = 0; i < tokens.Length; i++)
            ids[tokens[i]] = i;
        int Id(string t) => Array.IndexOf(tokens, t);
        JsonObject Special(string t) =>
            new()
            {
                ["SpecialToken"] = new JsonObject { ["id"] = t, ["type_id"] = 0 },
            };
        JsonObject Template(string t) =>
            new()
            {
                ["id"] = t,
                ["ids"] = new JsonArray(Id(t)),
                ["tokens"] = new JsonArray(t),
            };
        var doc = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = new JsonObject
            {
                ["strategy"] = "BatchLongest",
                ["direction"] = "Right",
                ["pad_to_multiple_of"] = null,
                ["pad_id"] = Id(Names.Pad),
                ["pad_type_id"] = 0,
                ["pad_token"] = Names.Pad,
            },
            ["added_tokens"] = new JsonArray([
                .. Names
                    .Pairs()
                    .Select(p => p.File)
                    .OrderBy(Id)
                    .Select(t =>
                        (JsonNode)
                            new JsonObject
                            {
                                ["id"] = Id(t),
                                ["content"] = t,
                                ["single_word"] = false,
                                ["lstrip"] = false,
                                ["rstrip"] = false,
                                ["normalized"] = false,
                                ["special"] = true,
                            }
                    ),
            ]),
            ["normalizer"] = new JsonObject
            {
                ["type"] = "BertNormalizer",
                ["clean_text"] = true,
                ["handle_chinese_chars"] = SplitChinese,
                ["strip_accents"] = StripAccents,
                ["lowercase"] = Lowercase,
            },
            ["pre_tokenizer"] = new JsonObject { ["type"] = "BertPreTokenizer" },
            ["post_processor"] = new JsonObject
            {
                ["type"] = "TemplateProcessing",
                ["single"] = new JsonArray(
                    Special(Names.Cls),
                    new JsonObject
                    {
                        ["Sequence"] = new JsonObject { ["id"] = "A", ["type_id"] = 0 },
                    },
                    Special(Names.Sep)
                ),
                ["pair"] = new JsonArray(),
                ["special_tokens"] = new JsonObject
                {
                    [Names.Cls] = Template(Names.Cls),
                    [Names.Sep] = Template(Names.Sep),
                },
            },
            ["decoder"] = new JsonObject
            {
                ["type"] = "WordPiece",
                ["prefix"] = Prefix,
                ["cleanup"] = true,
            },
            ["model"] = new JsonObject
            {
                ["type"] = "WordPiece",
                ["unk_token"] = Names.Unk,
                ["continuing_subword_prefix"] = Prefix,
                ["max_input_chars_per_word"] = MaxCharsPerWord,
                ["vocab"] = ids,
            },
        };
        TokenizerJson.Write(path, doc);
    }

    /// <summary>Reads the tokenizer.json <see cref="Save"/> writes (a WordPiece model with a BertNormalizer; the
    /// special roles from the unknown token, the template, the padding and the one special token left).</summary>
    public static WordPieceTokenizer Load(string path)
    {
        SeqLabInputException Bad(string why) =>
            new($"{path}: {why}; import the BERT model again with `seqlab import --format hf-bert`.");
        var (root, model) = TokenizerJson.Read(path, "import the model again", Bad);
        if ((string?)model["type"] != "WordPiece" || model["vocab"] is not JsonObject vocab)
            throw Bad("not a WordPiece model with a vocab");
        var byId = new string?[vocab.Count];
        foreach (var (token, id) in vocab)
            if (id?.GetValueKind() != JsonValueKind.Number || (int)id < 0 || (int)id >= byId.Length)
                throw Bad($"token '{token}' has no id in 0…{byId.Length - 1}");
            else
                byId[(int)id] = token;
        if (Array.IndexOf(byId, null) is >= 0 and var hole)
            throw Bad($"no token has id {hole}");
        var norm = root["normalizer"] as JsonObject ?? throw Bad("no BertNormalizer");
        string unk = (string?)model["unk_token"] ?? throw Bad("no unk_token");
        var template = root["post_processor"]?["single"] as JsonArray;
        string cls = (string?)template?[0]?["SpecialToken"]?["id"] ?? throw Bad("no [CLS] template");
        string sep = (string?)template?[^1]?["SpecialToken"]?["id"] ?? throw Bad("no [SEP] template");
        string pad = (string?)root["padding"]?["pad_token"] ?? throw Bad("no pad token");
        var rest = (root["added_tokens"] as JsonArray ?? [])
            .Select(t => (string?)t?["content"])
            .Where(t => t is not null && t != unk && t != cls && t != sep && t != pad)
            .ToList();
        if (rest.Count != 1)
            throw Bad("the mask token is not the one added token besides [UNK], [CLS], [SEP] and [PAD]");
        return new WordPieceTokenizer(
            byId!,
            new SpecialNames(unk, cls, sep, pad, rest[0]!),
            norm["lowercase"]?.GetValue<bool>() ?? true,
            norm["strip_accents"]?.GetValue<bool>(),
            norm["handle_chinese_chars"]?.GetValue<bool>() ?? true
        );
    }
}
