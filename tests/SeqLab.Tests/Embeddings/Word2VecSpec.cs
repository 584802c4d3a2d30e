using SeqLab.Embeddings;
using SeqLab.Models;
using SeqLab.Training;

namespace SeqLab.Tests;

public class Word2VecSpec
{
    /// <summary>Two groups of 15 words; every sentence draws its words from one group only.</summary>
    static List<IReadOnlyList<string>> TwoGroups(int sentences, int seed)
    {
        var rng = new Random(seed);
        string[][] groups =
        [
            Enumerable.Range(0, 15).Select(i => $"a{i}").ToArray(),
            Enumerable.Range(0, 15).Select(i => $"b{i}").ToArray(),
        ];
        return Enumerable
            .Range(0, sentences)
            .Select(_ =>
            {
                var g = groups[rng.Next(2)];
                return (IReadOnlyList<string>)Enumerable.Range(0, 8).Select(_ => g[rng.Next(g.Length)]).ToList();
            })
            .ToList();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void WordsThatOnlyCoOccurWithinAGroupHaveTheirNearestNeighboursInIt(bool skipGram)
    {
        var w2v = new Word2Vec(
            new Word2Vec.Options
            {
                Dim = 20,
                MinCount = 1,
                Epochs = 5,
                Threads = 1,
                SkipGram = skipGram,
                Sample = 0,
            }
        );
        var (vectors, _) = w2v.Train(TwoGroups(2000, 1));
        var sameGroup = vectors.Words.SelectMany(w => vectors.Neighbors(w, 5).Select(n => n.Word[0] == w[0])).ToList();
        double share = sameGroup.Count(x => x) / (double)sameGroup.Count;
        Assert.True(share >= 0.9, $"{share:P1} of the 5 nearest neighbours share the word's group");
    }

    [Fact]
    public void OneThreadIsReproducibleForASeed()
    {
        var o = new Word2Vec.Options
        {
            Dim = 8,
            MinCount = 1,
            Epochs = 1,
            Threads = 1,
        };
        var a = new Word2Vec(o).Train(TwoGroups(200, 2)).Vectors;
        var b = new Word2Vec(o).Train(TwoGroups(200, 2)).Vectors;
        Assert.Equal(a["a1"].ToArray(), b["a1"].ToArray());
    }

    [Fact]
    public void TextFormatRoundTripsExactly()
    {
        using var dir = new TempDir();
        var (vectors, _) = new Word2Vec(
            new Word2Vec.Options
            {
                Dim = 7,
                MinCount = 1,
                Epochs = 1,
                Threads = 1,
            }
        ).Train(TwoGroups(100, 3));
        vectors.Save(dir.Sub("v.txt"));
        var back = WordVectors.Load(dir.Sub("v.txt"));
        Assert.Equal(vectors.Words, back.Words);
        foreach (var w in vectors.Words)
            Assert.Equal(vectors[w].ToArray(), back[w].ToArray());
        Assert.Equal($"{vectors.Count} 7", File.ReadLines(dir.Sub("v.txt")).First());
    }

    [Fact]
    public void AGensimStyleFileLoads()
    {
        using var dir = new TempDir();
        // gensim writes "word v1 … vd"; word2vec.c leaves a space before the newline. Both load.
        var path = dir.File("g.txt", "3 4\nrey 0.1 -0.2 3e-05 1.0\nreina 0.5 0.25 -0.125 0 \nañoranza 1 2 3 4\n");
        var v = WordVectors.Load(path);
        Assert.Equal(["rey", "reina", "añoranza"], v.Words);
        Assert.Equal([0.1f, -0.2f, 3e-05f, 1.0f], v["rey"].ToArray());
        Assert.Equal(4, v.Dim);
    }

    [Fact]
    public void AnalogyIsAMinusBPlusCWithTheInputsLeftOut()
    {
        using var dir = new TempDir();
        var v = WordVectors.Load(
            dir.File("a.txt", "5 3\nhombre 1 0 0\nmujer 0 1 0\nrey 1 0 1\nreina 0 1 1\nperro -1 -1 0\n")
        );
        Assert.Equal("reina", v.Analogy("rey", "hombre", "mujer")[0].Word);
        Assert.DoesNotContain(v.Analogy("rey", "hombre", "mujer"), n => n.Word is "rey" or "hombre" or "mujer");
    }

    [Fact]
    public void PretrainedVectorsBecomeTheEmbeddingRowsOfTheirWords()
    {
        Torch.Init();
        using var dir = new TempDir();
        var data = dir.File("c.txt", Corpora.Repetitive(100));
        var config = new ModelConfig
        {
            Family = ModelFamily.Gru,
            EmbedDim = 3,
            HiddenSize = 8,
            MinCount = 1,
        };
        var taskData = TrainingRun.PrepareData(config, new TrainingOptions(), data, null);
        var model = ModelFactory.Create(config);
        var vectors = WordVectors.Load(dir.File("v.txt", "2 3\nbanco 1 2 3\nparque -1 0.5 0\n"));
        Assert.Equal(2, PretrainedEmbeddings.Apply(model, taskData.Vocabulary, vectors));
        Assert.Equal([1f, 2f, 3f], model.Embedding.weight![taskData.Vocabulary["banco"]].data<float>().ToArray());
    }
}
