using SeqLab.Data;
using SeqLab.IO;
using SeqLab.Models;
using SeqLab.Training;

namespace SeqLab.Tests;

public class ClassificationSpec
{
    [Theory]
    [InlineData("rnn")]
    [InlineData("lstm")]
    [InlineData("gru")]
    public void EachFamilyLearnsAKeywordNearTheEnd(string family)
    {
        Torch.Init();
        using var dir = new TempDir();
        var train = dir.File("train.tsv", Corpora.KeywordNearEnd(600, seed: 1));
        var test = dir.File("test.tsv", Corpora.KeywordNearEnd(200, seed: 2));
        var config = new ModelConfig
        {
            Family = Spelling.Parse<ModelFamily>("model", family),
            Task = TaskKind.Classify,
            EmbedDim = 16,
            HiddenSize = 32,
            MinCount = 1,
            Dropout = 0,
        };
        var options = new TrainingOptions
        {
            Steps = 150,
            BatchSize = 16,
            EvalInterval = 50,
            WarmupSteps = 10,
            LearningRate = 1e-2,
            Patience = 0,
        };
        var run = TrainingRun.Start(config, options, train, test, dir.Sub("m"));
        run.Run();
        // The final weights, on the held-out file.
        var accuracy = Validation.Evaluate(run.Model, run.Data.Valid).Accuracy;
        Assert.True(accuracy >= 0.95, $"{family}: held-out accuracy {accuracy:P1}");
    }
}
