using SeqLab.Inference;
using SeqLab.Models;
using SeqLab.Training;
using static TorchSharp.torch;

namespace SeqLab.Tests;

public class TransformerLanguageModelSpec
{
    static LanguageModel Untrained()
    {
        Torch.Init();
        manual_seed(2);
        var model = new LanguageModel(
            new ModelConfig
            {
                Family = ModelFamily.Transformer,
                EmbedDim = 16,
                HiddenSize = 16,
                Heads = 2,
                FfDim = 32,
                NumLayers = 2,
                VocabSize = 30,
                Dropout = 0,
            }
        );
        model.eval();
        return model;
    }

    [Fact]
    public void ChangingTokenTPlusOneNeverChangesOutputsUpToT()
    {
        var model = Untrained();
        var ids = tensor(new long[] { 5, 6, 7, 8, 9, 10 }, [1, 6]);
        var changed = ids.clone();
        changed[0, 4] = 20;
        using var _ = no_grad();
        var (a, b) = (model.call(ids, null), model.call(changed, null));
        Assert.True(a[0, ..4].allclose(b[0, ..4], atol: 1e-6));
        Assert.False(a[0, 4].allclose(b[0, 4], atol: 1e-6));
    }

    [Fact]
    public void PaddedPositionsDoNotChangeRealOnes()
    {
        var model = Untrained();
        var ids = tensor(new long[] { 5, 6, 7, 0, 0, 8, 9, 10, 11, 12 }, [2, 5]);
        var other = ids.clone();
        other[0, 3] = 17;
        other[0, 4] = 18;
        var lengths = tensor(new long[] { 3, 5 });
        using var _ = no_grad();
        Assert.True(model.call(ids, lengths)[0, ..3].allclose(model.call(other, lengths)[0, ..3], atol: 1e-6));
    }

    [Fact]
    public void LearnsTheCorpusContinuation()
    {
        Torch.Init();
        using var dir = new TempDir();
        var data = dir.File("corpus.txt", Corpora.Repetitive());
        var config = new ModelConfig
        {
            Family = ModelFamily.Transformer,
            EmbedDim = 32,
            HiddenSize = 32,
            Heads = 2,
            FfDim = 64,
            NumLayers = 2,
            MinCount = 1,
            Dropout = 0,
        };
        var options = new TrainingOptions
        {
            Steps = 80,
            SeqLen = 16,
            BatchSize = 16,
            EvalInterval = 40,
            WarmupSteps = 10,
            LearningRate = 3e-3,
            Patience = 0,
        };
        TestModels.Train(config, options, data, null, dir.Sub("m"));
        var best = new LanguageModelPredictor(Checkpoint.Load(dir.Sub("m"))).Predict(
            "crecí en un pueblo de los alpes [???]",
            1
        )[0];
        Assert.Equal("suizos", best.Token);
    }
}
