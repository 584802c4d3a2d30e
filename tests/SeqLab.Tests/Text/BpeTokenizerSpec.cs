using System.Text.Json;
using CsCheck;
using SeqLab.Text;

namespace SeqLab.Tests;

/// <summary>Byte-level BPE: exact round trips, a deterministic rule, and Hugging Face's file and ids both ways.</summary>
public class BpeTokenizerSpec
{
    static string Fixture(string name) => Path.Combine(Repo.Root, "tests", "fixtures", "bpe", name);

    static readonly string[] HeldOut = File.ReadAllLines(Fixture("heldout.txt")).Where(l => l.Length > 0).ToArray();

    static int[][] HuggingFaceIds(string key) =>
        JsonDocument
            .Parse(File.ReadAllText(Fixture("hf-ids.json")))
            .RootElement.GetProperty(key)
            .EnumerateArray()
            .Select(line => line.EnumerateArray().Select(i => i.GetInt32()).ToArray())
            .ToArray();

    [Fact]
    public void ATokenizerHuggingFaceTrainedGivesHuggingFacesIds()
    {
        var bpe = BpeTokenizer.Load(Fixture("hf-tokenizer.json"));
        var expected = HuggingFaceIds("hf");
        for (int i = 0; i < HeldOut.Length; i++)
            Assert.Equal(expected[i], bpe.Ids(HeldOut[i]));
    }

    [Fact]
    public void HuggingFaceGivesSeqLabsIdsWithATokenizerSeqLabTrained()
    {
        var bpe = BpeTokenizer.Load(Fixture("seqlab-tokenizer.json"));
        var expected = HuggingFaceIds("seqlab");
        for (int i = 0; i < HeldOut.Length; i++)
            Assert.Equal(expected[i], bpe.Ids(HeldOut[i]));
    }

    [Fact]
    public void TheSameTextAndSizeGiveTheSameFile()
    {
        using var dir = new TempDir();
        BpeTokenizer.Train(File.ReadAllLines(Fixture("train.txt")), 1000).Save(dir.Sub("t.json"));
        Assert.Equal(File.ReadAllText(Fixture("seqlab-tokenizer.json")), File.ReadAllText(dir.Sub("t.json")));
    }

    static readonly BpeTokenizer Small = BpeTokenizer.Train(File.ReadAllLines(Fixture("train.txt")), 600);

    static bool IsValidUtf16(string s)
    {
        for (int i = 0; i < s.Length; i++)
            if (
                char.IsHighSurrogate(s[i])
                    ? !(i + 1 < s.Length && char.IsLowSurrogate(s[++i]))
                    : char.IsLowSurrogate(s[i])
            )
                return false;
        return true;
    }

    [Fact]
    public void DecodingTheTokensOfAnyTextGivesTheTextBack() =>
        Gen.String[Gen.Char, 0, 200]
            .Where(IsValidUtf16)
            .Sample(text => Small.Detokenize(Small.Tokenize(text)) == text, iter: 2000);

    [Theory]
    [InlineData("¿Dónde está el niño? ¡Mañana!")]
    [InlineData("emoji 🤖🇪🇸 y más 👩‍👩‍👧")]
    [InlineData("acento combinado: e\u0301 n\u0303")]
    [InlineData("control\u0000\u0007\t\r\n y\u202e fin")]
    [InlineData("   espacios   al   final   ")]
    [InlineData("3,14159 y 12:30 y 1.000.000")]
    public void HardTextsRoundTrip(string text) => Assert.Equal(text, Small.Detokenize(Small.Tokenize(text)));

    [Fact]
    public void AVeryLongWordRoundTrips()
    {
        var word = string.Concat(Enumerable.Repeat("pneumonoultramicroscópico", 4000));
        Assert.Equal(word, Small.Detokenize(Small.Tokenize(word)));
    }

    [Fact]
    public void EveryTextHasOnlyKnownTokens()
    {
        var tokens = Small.Tokenize("ฉันชอบภาษาไทย — 日本語も — Ελληνικά");
        Assert.All(tokens, t => Assert.True(Small.Vocab.ContainsKey(t), t));
    }

    [Fact]
    public void AVocabularySmallerThanTheByteAlphabetIsRefused()
    {
        var e = Assert.Throws<SeqLabInputException>(() => BpeTokenizer.Train(["hola"], 100));
        Assert.Contains("smaller than the byte alphabet", e.Message);
    }

    [Fact]
    public void AnEmptyTextIsRefused() =>
        Assert.Contains("empty", Assert.Throws<SeqLabInputException>(() => BpeTokenizer.Train([], 300)).Message);

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("{\"model\": {\"type\": \"WordPiece\"}}", "model type is WordPiece")]
    [InlineData(
        "{\"pre_tokenizer\": {\"type\": \"ByteLevel\"}, \"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": [\"a\"]}}",
        "is not a pair"
    )]
    public void AMalformedOrForeignFileIsRefusedByName(string content, string mentions)
    {
        using var dir = new TempDir();
        var e = Assert.Throws<SeqLabInputException>(() => BpeTokenizer.Load(dir.File("t.json", content)));
        Assert.Contains("t.json", e.Message);
        Assert.Contains(mentions, e.Message);
    }
}
