using System.Text.Json.Nodes;
using SeqLab.Text;

namespace SeqLab.Tests;

/// <summary>
/// SeqLab's WordPiece tokenizes as Hugging Face's own (the Rust `tokenizers`, run by
/// tests/fixtures/make_hf_bert_fixture.py through its Node binding; the cases are committed): cleaning, CJK, accents,
/// casing, punctuation, the greedy longest match, the unknown word and the 100-character limit, and special tokens
/// written in the text.
/// </summary>
public class WordPieceTokenizerSpec
{
    static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "hf-bert", name);

    static IReadOnlyList<string> Vocab() => File.ReadAllLines(Fixture("vocab.txt")).Where(l => l.Length > 0).ToList();

    static WordPieceTokenizer Tokenizer(bool lowercase, bool? stripAccents) =>
        new(Vocab(), WordPieceTokenizer.SpecialNames.Bert, lowercase, stripAccents);

    public static TheoryData<string> Settings() => ["uncased", "lowercase-keep-accents", "cased"];

    [Theory]
    [MemberData(nameof(Settings))]
    public void TokenizesAsHuggingFaceDoes(string setting)
    {
        var doc = JsonNode.Parse(File.ReadAllText(Fixture("wordpiece_cases.json")))![setting]!;
        var tokenizer = Tokenizer((bool)doc["lowercase"]!, (bool?)doc["strip_accents"]);
        var names = WordPieceTokenizer.SpecialNames.Bert.Pairs().ToDictionary(p => p.SeqLab, p => p.File);
        foreach (var c in doc["cases"]!.AsArray())
        {
            var expected = c!["tokens"]!.AsArray().Select(t => (string)t!).ToArray()[1..^1]; // without [CLS] [SEP]
            var ours = tokenizer.Tokenize((string)c["text"]!).Select(t => names.GetValueOrDefault(t, t)).ToArray();
            Assert.Equal(expected, ours);
        }
    }

    [Fact]
    public void ContinuationPiecesDoNotStartWordsAndGlueBack()
    {
        var t = Tokenizer(true, null);
        var pieces = t.Tokenize("un préstamo");
        Assert.Equal(["un", "pr", "##est", "##amo"], pieces);
        Assert.False(t.StartsWord("##amo"));
        Assert.Equal("amo", t.Show("##amo"));
        Assert.Equal("un prestamo", t.Detokenize(pieces));
    }

    [Fact]
    public void SpecialTokensInTheTextBecomeSeqLabsSpecials()
    {
        var t = Tokenizer(true, null);
        Assert.Equal(["fui", "al", Vocabulary.Mask, "a"], t.Tokenize("Fui al [MASK] a"));
        Assert.Equal([Vocabulary.Unk], t.Tokenize("xyzzy🙂"));
    }

    [Fact]
    public void SavedAsHuggingFaceTokenizerJsonAndReadBack()
    {
        using var dir = new TempDir();
        var path = dir.Sub("tokenizer.json");
        var t = new WordPieceTokenizer(Vocab(), WordPieceTokenizer.SpecialNames.Bert, lowercase: true, false, true);
        t.Save(path);
        var back = WordPieceTokenizer.Load(path);
        Assert.Equal(t.Tokens, back.Tokens);
        Assert.Equal(t.Names, back.Names);
        Assert.Equal(
            (t.Lowercase, t.StripAccents, t.SplitChinese),
            (back.Lowercase, back.StripAccents, back.SplitChinese)
        );
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Equal("WordPiece", (string?)root["model"]!["type"]);
        Assert.Equal("BertNormalizer", (string?)root["normalizer"]!["type"]);
    }

    [Fact]
    public void AVocabularyWithoutASpecialTokenIsRefusedByName()
    {
        var e = Assert.Throws<SeqLabInputException>(() =>
            new WordPieceTokenizer(Vocab().Where(t => t != "[MASK]").ToList(), WordPieceTokenizer.SpecialNames.Bert)
        );
        Assert.Contains("[MASK]", e.Message);
    }
}
