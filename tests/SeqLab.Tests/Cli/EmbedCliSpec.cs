using System.Text.Json;
using SeqLab.Training;

namespace SeqLab.Tests;

[Collection("cli")]
public class EmbedCliSpec
{
    [Fact]
    public void TrainNeighborsAnalogySimilarityEndToEnd()
    {
        using var dir = new TempDir();
        var data = dir.File("c.txt", Corpora.Repetitive(300));
        var vectors = dir.Sub("v.txt");
        Assert.Equal(
            0,
            CliRunner
                .Run(
                    "embed",
                    "train",
                    "--data",
                    data,
                    "--out",
                    vectors,
                    "--dim",
                    "16",
                    "--min-count",
                    "1",
                    "--threads",
                    "1"
                )
                .ExitCode
        );
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
    public void ConvertedVectorsAnswerTheSameInEveryFormat()
    {
        using var dir = new TempDir();
        var text = Path.Combine(Repo.Root, "tests", "fixtures", "vectors", "gensim.txt");
        string Neighbors(string vectors) =>
            CliRunner.Run("embed", "neighbors", "--vectors", vectors, "--word", "banco", "--top", "3", "--json").Stdout;
        foreach (var (file, format) in new[] { ("v.bin", "binary"), ("v.glove", "glove"), ("v.txt", "text") })
        {
            var r = CliRunner.Run("embed", "convert", "--vectors", text, "--out", dir.Sub(file), "--format", format);
            Assert.Equal(0, r.ExitCode);
            Assert.Equal(Neighbors(text), Neighbors(dir.Sub(file)));
        }
        // An existing file is not overwritten without --force.
        var again = CliRunner.Run("embed", "convert", "--vectors", text, "--out", dir.Sub("v.bin"));
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("--force", again.Stderr);
    }

    [Fact]
    public void FrozenPretrainedEmbeddingsAreUnchangedByTraining()
    {
        using var dir = new TempDir();
        var data = dir.File("c.txt", Corpora.Repetitive(200));
        var vectors = dir.File("v.txt", "2 4\nbanco 1 2 3 4\nparque -1 0.5 0 0.25\n");
        var r = CliRunner.Run(
            "train",
            "--data",
            data,
            "--out",
            dir.Sub("m"),
            "--model",
            "gru",
            "--hidden-size",
            "8",
            "--min-count",
            "1",
            "--steps",
            "5",
            "--threads",
            "1",
            "--pretrained-embeddings",
            vectors,
            "--freeze-embeddings",
            "--untie-weights"
        );
        Assert.Equal(0, r.ExitCode);
        var loaded = Checkpoint.Load(dir.Sub("m"));
        Assert.Equal(4, loaded.Config.EmbedDim);
        Assert.Equal(
            [1f, 2f, 3f, 4f],
            loaded.Model.Embedding.weight![loaded.Vocabulary["banco"]].data<float>().ToArray()
        );
    }

    [Theory]
    [InlineData("gensim.bin")]
    [InlineData("gensim.glove")]
    public void BinaryAndGloveVectorsStartAModelAsTextOnesDo(string file)
    {
        using var dir = new TempDir();
        var fixtures = Path.Combine(Repo.Root, "tests", "fixtures", "vectors");
        string[] args =
        [
            "train",
            "--data",
            dir.File("c.txt", Corpora.Repetitive(200)),
            "--model",
            "gru",
            "--hidden-size",
            "8",
            "--min-count",
            "1",
            "--steps",
            "2",
            "--threads",
            "1",
            "--freeze-embeddings",
            "--untie-weights",
            "--pretrained-embeddings",
        ];
        Assert.Equal(0, CliRunner.Run([.. args, Path.Combine(fixtures, file), "--out", dir.Sub("m")]).ExitCode);
        Assert.Equal(0, CliRunner.Run([.. args, Path.Combine(fixtures, "gensim.txt"), "--out", dir.Sub("t")]).ExitCode);
        var fromFile = Checkpoint.Load(dir.Sub("m"));
        var fromText = Checkpoint.Load(dir.Sub("t"));
        Assert.Equal(8, fromFile.Config.EmbedDim);
        Assert.True(fromFile.Model.Embedding.weight!.equal(fromText.Model.Embedding.weight!).all().item<bool>());
    }

    [Fact]
    public void FreezingTiedEmbeddingsIsRefused()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run(
            "train",
            "--data",
            dir.File("c.txt", Corpora.Repetitive(50)),
            "--out",
            dir.Sub("m"),
            "--freeze-embeddings"
        );
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
        Assert.Equal(
            1.0,
            JsonDocument.Parse(r.Stdout).RootElement.GetProperty("static").GetProperty("similarity").GetDouble()
        );
        Assert.True(File.Exists(Path.Combine(dir.Sub("lab"), "context.json")));
    }

    [Fact]
    public void LabContextWithOutDrawsOneBarPerKindOfVector()
    {
        using var dir = new TempDir();
        var (model, data) = CliRunner.TinyLanguageModel(dir);
        var r = CliRunner.Run("lab", "context", "--data", data, "--model", model, "--json", "--out", dir.Sub("lab"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        var plot = JsonDocument.Parse(r.Stdout).RootElement.GetProperty("plot").GetString()!;
        Assert.Equal(Path.Combine(dir.Sub("lab"), "context-banco.png"), plot);
        Assert.True(new FileInfo(plot).Length > 1000);
        var svg = File.ReadAllText(Path.ChangeExtension(plot, ".svg"));
        Assert.Contains("word2vec (static)", svg);
        Assert.Contains("gru lm", svg);
    }

    [Theory]
    [InlineData("3 2\nuno 1 2\ndos 3 4\n", ":4:")] // header promises more rows than there are
    [InlineData("2 2\nuno 1 2\ndos 3\n", ":3:")] // ragged row
    [InlineData("2 2\nuno 1 2\ndos 3 x\n", ":3:")] // non-numeric value
    [InlineData("dos\nuno 1 2\n", ":1:")] // neither a "<count> <dim>" header nor a GloVe line
    [InlineData("1 2\nuno 1 2\ndos 3 4\n", ":3:")] // more rows than the header
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
        var r = CliRunner.Run(
            "embed",
            "neighbors",
            "--vectors",
            dir.File("v.txt", "1 2\nuno 1 2\n"),
            "--word",
            "banco"
        );
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
