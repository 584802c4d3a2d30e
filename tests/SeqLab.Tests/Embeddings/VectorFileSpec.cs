using SeqLab.Embeddings;

namespace SeqLab.Tests;

/// <summary>
/// Word vectors in the files people have: word2vec text and binary and GloVe text, made by Debian's gensim
/// (tests/fixtures/make_vector_fixtures.py), read to the same floats and written back as gensim writes them.
/// </summary>
public class VectorFileSpec
{
    static string Fixture(string name) => Path.Combine(Repo.Root, "tests", "fixtures", "vectors", name);

    static void AssertSame(WordVectors expected, WordVectors actual)
    {
        Assert.Equal(expected.Words, actual.Words);
        Assert.Equal(expected.Dim, actual.Dim);
        for (int r = 0; r < expected.Count; r++)
            Assert.Equal(expected.Row(r).ToArray(), actual.Row(r).ToArray());
    }

    [Theory]
    [InlineData("gensim.txt", VectorFormat.Text)]
    [InlineData("gensim.bin", VectorFormat.Binary)]
    [InlineData("gensim.glove", VectorFormat.Glove)]
    public void EachOfGensimsFormatsIsRecognisedFromItsBytes(string file, VectorFormat format) =>
        Assert.Equal(format, VectorFile.Detect(Fixture(file)));

    [Fact]
    public void GensimsBinaryAndGloveFilesHoldTheSameFloatsAsItsText()
    {
        var text = WordVectors.Load(Fixture("gensim.txt"));
        Assert.Contains("préstamo", text.Words);
        AssertSame(text, WordVectors.Load(Fixture("gensim.bin")));
        AssertSame(text, WordVectors.Load(Fixture("gensim.glove")));
    }

    [Fact]
    public void BinaryIsWrittenByteForByteAsGensimWritesIt()
    {
        using var dir = new TempDir();
        WordVectors.Load(Fixture("gensim.txt")).Save(dir.Sub("v.bin"));
        Assert.Equal(File.ReadAllBytes(Fixture("gensim.bin")), File.ReadAllBytes(dir.Sub("v.bin")));
    }

    [Theory]
    [InlineData(VectorFormat.Text)]
    [InlineData(VectorFormat.Binary)]
    [InlineData(VectorFormat.Glove)]
    public void EveryFormatRoundTripsExactly(VectorFormat format)
    {
        using var dir = new TempDir();
        var v = WordVectors.Load(Fixture("gensim.bin"));
        v.Save(dir.Sub("v.out"), format);
        AssertSame(v, WordVectors.Load(dir.Sub("v.out")));
    }

    [Fact]
    public void WordTwoVecCsNewlineAfterEachRecordIsRead()
    {
        using var dir = new TempDir();
        var path = dir.Sub("c.bin");
        using (var f = File.Create(path))
        {
            f.Write("2 2\n"u8);
            foreach (var (word, a, b) in new[] { ("año", 1f, -2f), ("banco", 0.5f, 3f) })
            {
                f.Write(System.Text.Encoding.UTF8.GetBytes(word + " "));
                f.Write(BitConverter.GetBytes(a));
                f.Write(BitConverter.GetBytes(b));
                f.Write("\n"u8); // word2vec.c's separator
            }
        }
        var v = WordVectors.Load(path);
        Assert.Equal(["año", "banco"], v.Words);
        Assert.Equal([0.5f, 3f], v["banco"].ToArray());
    }

    [Fact]
    public void ATruncatedBinaryFileIsRefusedWithItsRecord()
    {
        using var dir = new TempDir();
        var bytes = File.ReadAllBytes(Fixture("gensim.bin"));
        var path = dir.Sub("cut.bin");
        File.WriteAllBytes(path, bytes[..(bytes.Length - 10)]);
        var e = Assert.Throws<SeqLabInputException>(() => WordVectors.Load(path));
        Assert.Contains("truncated", e.Message);
        Assert.Contains("record", e.Message);
    }

    [Fact]
    public void AGloveLineWithTheWrongNumberOfValuesIsRefusedWithItsLine()
    {
        using var dir = new TempDir();
        var path = dir.File("g.txt", "banco 1 2 3\nparque 1 2\n");
        var e = Assert.Throws<SeqLabInputException>(() => WordVectors.Load(path));
        Assert.Contains("g.txt:2", e.Message);
        Assert.Contains("as on the first line", e.Message);
    }
}
