using SeqLab.Inference;
using SeqLab.Models;
using SeqLab.Training;

namespace SeqLab.Tests;

public class AttentionMapSpec
{
    [Fact]
    public void EveryLayerAndHeadGivesCausalRowsThatSumToOne()
    {
        Torch.Init();
        using var dir = new TempDir();
        var data = dir.File("corpus.txt", Corpora.Repetitive(100));
        var config = new ModelConfig
        {
            Family = ModelFamily.Transformer,
            EmbedDim = 16,
            HiddenSize = 16,
            Heads = 2,
            FfDim = 32,
            NumLayers = 2,
            MinCount = 1,
        };
        var options = new TrainingOptions
        {
            Steps = 2,
            SeqLen = 8,
            BatchSize = 4,
            EvalInterval = 2,
        };
        TestModels.Train(config, options, data, null, dir.Sub("m"));

        var map = AttentionMaps.For(Checkpoint.Load(dir.Sub("m")), "crecí en un pueblo de los alpes suizos");
        Assert.Equal((2, 2), (map.Layers, map.Heads));
        Assert.Equal(9, map.Tokens.Count); // <eos> + 8 words
        foreach (var row in map.Weights.SelectMany(l => l).SelectMany(h => h.Select((r, q) => (r, q))))
        {
            Assert.Equal(1.0, row.r.Sum(), 4);
            Assert.All(row.r.Skip(row.q + 1), w => Assert.Equal(0f, w)); // no weight on later words
        }
    }
}
