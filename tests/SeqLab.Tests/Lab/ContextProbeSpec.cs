using SeqLab.Embeddings;
using SeqLab.Lab;
using SeqLab.Models;
using SeqLab.Training;

namespace SeqLab.Tests;

public class ContextProbeSpec
{
    [Fact]
    public void StaticVectorsGiveExactlyOneAndATrainedRecurrentModelLess()
    {
        Torch.Init();
        using var dir = new TempDir();
        var data = dir.File("c.txt", Corpora.Repetitive(200));
        var config = new ModelConfig
        {
            Family = ModelFamily.Lstm,
            EmbedDim = 16,
            HiddenSize = 16,
            MinCount = 1,
        };
        var options = new TrainingOptions
        {
            Steps = 10,
            SeqLen = 16,
            BatchSize = 8,
            EvalInterval = 10,
        };
        TestModels.Train(config, options, data, null, dir.Sub("m"));
        var vectors = new Word2Vec(
            new Word2Vec.Options
            {
                Dim = 10,
                MinCount = 1,
                Threads = 1,
            }
        ).Train(File.ReadLines(data).Select(l => (IReadOnlyList<string>)l.Split(' ')).ToList()).Vectors;

        var r = ContextProbe.Run(
            "banco",
            ["me senté en el banco del parque .", "fui al banco a sacar dinero ."],
            vectors,
            [Checkpoint.Load(dir.Sub("m"))]
        );
        Assert.Equal(1.0, r.Static.Mean);
        Assert.True(r.Contextual[0].Mean < 1.0, $"contextual similarity {r.Contextual[0].Mean}");
    }
}
