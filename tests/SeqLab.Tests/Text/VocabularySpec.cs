using SeqLab.Text;

namespace SeqLab.Tests;

public class VocabularySpec
{
    static readonly string[] Words = ["el", "banco", "el", "parque", "el", "banco", "raro"];

    [Fact]
    public void SpecialTokensComeFirst()
    {
        var v = Vocabulary.Build(Words);
        Assert.Equal(Vocabulary.Specials, v.Tokens.Take(4));
        Assert.Equal(0, v["<pad>"]);
        Assert.Equal(3, v["<eos>"]);
    }

    [Fact]
    public void OrdersByFrequencyAndMapsUnknownsToUnk()
    {
        var v = Vocabulary.Build(Words);
        Assert.Equal("el", v[4]);
        Assert.Equal("banco", v[5]);
        Assert.Equal(Vocabulary.UnkId, v["nunca-visto"]);
    }

    [Fact]
    public void MinCountDropsRareWordsAndCountsThemAsUnknown()
    {
        var v = Vocabulary.Build(Words, minCount: 2);
        Assert.False(v.Contains("raro"));
        Assert.False(v.Contains("parque"));
        Assert.Equal(2, v.Counts[Vocabulary.UnkId]);
    }

    [Fact]
    public void MaxSizeIncludesTheSpecials()
    {
        var v = Vocabulary.Build(Words, maxSize: 5);
        Assert.Equal(5, v.Count);
        Assert.Equal("el", v[4]);
    }

    [Fact]
    public void SaveAndLoadRoundTrip()
    {
        using var dir = new TempDir();
        var v = Vocabulary.Build(Words);
        v.Save(dir.Sub("vocab.json"));
        var back = Vocabulary.Load(dir.Sub("vocab.json"));
        Assert.Equal(v.Tokens, back.Tokens);
        Assert.Equal(v.Counts, back.Counts);
    }

    [Fact]
    public void EncodeDecodeRoundTripsKnownWords()
    {
        var v = Vocabulary.Build(Words);
        Assert.Equal(Words, v.Decode(v.Encode(Words)));
    }
}
