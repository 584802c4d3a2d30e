using SeqLab.Inference;
using SeqLab.Models;
using SeqLab.Training;

namespace SeqLab.Tests;

public class ContextualVectorSpec
{
    [Fact]
    public void BancoGetsDifferentVectorsInDifferentSentencesAndEqualOnesInEqualSentences()
    {
        Torch.Init();
        using var dir = new TempDir();
        var data = dir.File("corpus.txt", Corpora.Repetitive());
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
            Patience = 0,
        };
        TestModels.Train(config, options, data, null, dir.Sub("m"));
        var loaded = Checkpoint.Load(dir.Sub("m"));

        float[] Banco(string s) => ContextualVectors.For(loaded, s).First(t => t.Token == "banco").Vector;
        var park = Banco("me senté en el banco del parque");
        var money = Banco("fui al banco a sacar dinero");
        Assert.True(SeqLab.Embeddings.WordVectors.Cosine(park, money) < 1 - 1e-3);
        Assert.Equal(park, Banco("me senté en el banco del parque"));
    }
}
