using SeqLab.Data;
using System.Globalization;
using System.Text.Json;
using SeqLab.Embeddings;
using SeqLab.Lab;
using SeqLab.Models;
using SeqLab.Training;
using static TorchSharp.torch;

namespace SeqLab.Tests;

public class Word2VecSpec
{
    /// <summary>Two groups of 15 words; every sentence draws its words from one group only.</summary>
    static List<IReadOnlyList<string>> TwoGroups(int sentences, int seed)
    {
        var rng = new Random(seed);
        string[][] groups = [Enumerable.Range(0, 15).Select(i => $"a{i}").ToArray(), Enumerable.Range(0, 15).Select(i => $"b{i}").ToArray()];
        return Enumerable.Range(0, sentences).Select(_ =>
        {
            var g = groups[rng.Next(2)];
            return (IReadOnlyList<string>)Enumerable.Range(0, 8).Select(_ => g[rng.Next(g.Length)]).ToList();
        }).ToList();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void WordsThatOnlyCoOccurWithinAGroupHaveTheirNearestNeighboursInIt(bool skipGram)
    {
        var w2v = new Word2Vec(new Word2Vec.Options { Dim = 20, MinCount = 1, Epochs = 5, Threads = 1, SkipGram = skipGram, Sample = 0 });
        var (vectors, _) = w2v.Train(TwoGroups(2000, 1));
        var sameGroup = vectors.Words.SelectMany(w => vectors.Neighbors(w, 5).Select(n => n.Word[0] == w[0])).ToList();
        double share = sameGroup.Count(x => x) / (double)sameGroup.Count;
        Assert.True(share >= 0.9, $"{share:P1} of the 5 nearest neighbours share the word's group");
    }

    [Fact]
    public void OneThreadIsReproducibleForASeed()
    {
        var o = new Word2Vec.Options { Dim = 8, MinCount = 1, Epochs = 1, Threads = 1 };
        var a = new Word2Vec(o).Train(TwoGroups(200, 2)).Vectors;
        var b = new Word2Vec(o).Train(TwoGroups(200, 2)).Vectors;
        Assert.Equal(a["a1"].ToArray(), b["a1"].ToArray());
    }

    [Fact]
    public void TextFormatRoundTripsExactly()
    {
        using var dir = new TempDir();
        var (vectors, _) = new Word2Vec(new Word2Vec.Options { Dim = 7, MinCount = 1, Epochs = 1, Threads = 1 }).Train(TwoGroups(100, 3));
        vectors.Save(dir.Sub("v.txt"));
        var back = WordVectors.Load(dir.Sub("v.txt"));
        Assert.Equal(vectors.Words, back.Words);
        foreach (var w in vectors.Words) Assert.Equal(vectors[w].ToArray(), back[w].ToArray());
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
        var v = WordVectors.Load(dir.File("a.txt", "5 3\nhombre 1 0 0\nmujer 0 1 0\nrey 1 0 1\nreina 0 1 1\nperro -1 -1 0\n"));
        Assert.Equal("reina", v.Analogy("rey", "hombre", "mujer")[0].Word);
        Assert.DoesNotContain(v.Analogy("rey", "hombre", "mujer"), n => n.Word is "rey" or "hombre" or "mujer");
    }

    [Fact]
    public void PretrainedVectorsBecomeTheEmbeddingRowsOfTheirWords()
    {
        Torch.Init();
        using var dir = new TempDir();
        var data = dir.File("c.txt", Corpora.Repetitive(100));
        var config = new ModelConfig { Family = ModelFamily.Gru, EmbedDim = 3, HiddenSize = 8, MinCount = 1 };
        var taskData = TrainingRun.PrepareData(config, new TrainingOptions(), data, null);
        var model = ModelFactory.Create(config);
        var vectors = WordVectors.Load(dir.File("v.txt", "2 3\nbanco 1 2 3\nparque -1 0.5 0\n"));
        Assert.Equal(2, PretrainedEmbeddings.Apply(model, taskData.Vocabulary, vectors));
        Assert.Equal([1f, 2f, 3f], model.Embedding.weight![taskData.Vocabulary["banco"]].data<float>().ToArray());
    }
}

public class ContextProbeSpec
{
    [Fact]
    public void StaticVectorsGiveExactlyOneAndATrainedRecurrentModelLess()
    {
        Torch.Init();
        using var dir = new TempDir();
        var data = dir.File("c.txt", Corpora.Repetitive(200));
        var config = new ModelConfig { Family = ModelFamily.Lstm, EmbedDim = 16, HiddenSize = 16, MinCount = 1 };
        var options = new TrainingOptions { Steps = 10, SeqLen = 16, BatchSize = 8, EvalInterval = 10 };
        TrainingRun.Start(config, options, data, null, dir.Sub("m")).Run();
        var vectors = new Word2Vec(new Word2Vec.Options { Dim = 10, MinCount = 1, Threads = 1 })
            .Train(File.ReadLines(data).Select(l => (IReadOnlyList<string>)l.Split(' ')).ToList()).Vectors;

        var r = ContextProbe.Run("banco", ["me senté en el banco del parque .", "fui al banco a sacar dinero ."], vectors, [Checkpoint.Load(dir.Sub("m"))]);
        Assert.Equal(1.0, r.Static.Mean);
        Assert.True(r.Contextual[0].Mean < 1.0, $"contextual similarity {r.Contextual[0].Mean}");
    }
}

[Collection("cli")]
public class EmbedCliSpec
{
    [Fact]
    public void TrainNeighborsAnalogySimilarityEndToEnd()
    {
        using var dir = new TempDir();
        var data = dir.File("c.txt", Corpora.Repetitive(300));
        var vectors = dir.Sub("v.txt");
        Assert.Equal(0, CliRunner.Run("embed", "train", "--data", data, "--out", vectors, "--dim", "16", "--min-count", "1", "--threads", "1").ExitCode);
        var n = CliRunner.Run("embed", "neighbors", "--vectors", vectors, "--word", "banco", "--top", "3", "--json");
        Assert.Equal(0, n.ExitCode);
        Assert.Equal(3, JsonDocument.Parse(n.Stdout).RootElement.GetProperty("neighbors").GetArrayLength());
        var a = CliRunner.Run("embed", "analogy", "--vectors", vectors, "perro", "cocina", "jardín", "--json");
        Assert.Equal(0, a.ExitCode);
        Assert.True(JsonDocument.Parse(a.Stdout).RootElement.GetProperty("answers").GetArrayLength() > 0);
        var s = CliRunner.Run("embed", "similarity", "--vectors", vectors, "perro", "niña", "--json");
        Assert.InRange(JsonDocument.Parse(s.Stdout).RootElement.GetProperty("similarity").GetDouble(), -1, 1);
    }

    [Fact]
    public void FrozenPretrainedEmbeddingsAreUnchangedByTraining()
    {
        using var dir = new TempDir();
        var data = dir.File("c.txt", Corpora.Repetitive(200));
        var vectors = dir.File("v.txt", "2 4\nbanco 1 2 3 4\nparque -1 0.5 0 0.25\n");
        var r = CliRunner.Run("train", "--data", data, "--out", dir.Sub("m"), "--model", "gru", "--hidden-size", "8", "--min-count", "1", "--steps", "5",
            "--threads", "1", "--pretrained-embeddings", vectors, "--freeze-embeddings", "--untie-weights");
        Assert.Equal(0, r.ExitCode);
        var loaded = Checkpoint.Load(dir.Sub("m"));
        Assert.Equal(4, loaded.Config.EmbedDim);
        Assert.Equal([1f, 2f, 3f, 4f], loaded.Model.Embedding.weight![loaded.Vocabulary["banco"]].data<float>().ToArray());
    }

    [Fact]
    public void FreezingTiedEmbeddingsIsRefused()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("train", "--data", dir.File("c.txt", Corpora.Repetitive(50)), "--out", dir.Sub("m"), "--freeze-embeddings");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--untie-weights", r.Stderr);
    }

    [Fact]
    public void LabContextPrintsStaticOneAsJson()
    {
        using var dir = new TempDir();
        var data = dir.File("c.txt", Corpora.Repetitive(300));
        var r = CliRunner.Run("lab", "context", "--data", data, "--json", "--out", dir.Sub("lab"));
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(1.0, JsonDocument.Parse(r.Stdout).RootElement.GetProperty("static").GetProperty("similarity").GetDouble());
        Assert.True(File.Exists(Path.Combine(dir.Sub("lab"), "context.json")));
    }

    [Theory]
    [InlineData("3 2\nuno 1 2\ndos 3 4\n", ":4:")]                 // header promises more rows than there are
    [InlineData("2 2\nuno 1 2\ndos 3\n", ":3:")]                  // ragged row
    [InlineData("2 2\nuno 1 2\ndos 3 x\n", ":3:")]                // non-numeric value
    [InlineData("dos\nuno 1 2\n", ":1:")]                         // no "<count> <dim>" header
    [InlineData("1 2\nuno 1 2\ndos 3 4\n", ":3:")]                // more rows than the header
    public void BadVectorFilesAreRejectedNamingTheLine(string content, string line)
    {
        using var dir = new TempDir();
        var path = dir.File("bad.txt", content);
        var r = CliRunner.Run("embed", "neighbors", "--vectors", path, "--word", "uno");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(path + line, r.Stderr);
        Assert.Single(r.ErrorLines);
    }

    [Fact]
    public void UnknownWordIsABadInputNotACrash()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("embed", "neighbors", "--vectors", dir.File("v.txt", "1 2\nuno 1 2\n"), "--word", "banco");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("'banco'", r.Stderr);
    }

    [Fact]
    public void TrainRefusesToOverwriteVectors()
    {
        using var dir = new TempDir();
        var existing = dir.File("v.txt", "keep\n");
        var r = CliRunner.Run("embed", "train", "--data", dir.File("c.txt", Corpora.Repetitive(50)), "--out", existing);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("keep\n", File.ReadAllText(existing));
    }
}
