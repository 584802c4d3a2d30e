using SeqLab.Inference;
using SeqLab.IO;
using SeqLab.Models;
using SeqLab.Recurrent;
using SeqLab.Training;
using TorchSharp;

namespace SeqLab.Tests;

public class LanguageModelSpec
{
    static (LoadedModel Model, TrainingState State, string Dir) Train(
        TempDir dir,
        string family = "lstm",
        string impl = "fused",
        int steps = 60
    )
    {
        Torch.Init();
        var data = dir.File("corpus.txt", Corpora.Repetitive());
        var config = new ModelConfig
        {
            Family = Spelling.Parse<ModelFamily>("model", family),
            Impl = Spelling.Parse<RecurrentImpl>("impl", impl),
            EmbedDim = 32,
            HiddenSize = 32,
            MinCount = 1,
            Dropout = 0,
        };
        var options = new TrainingOptions
        {
            Steps = steps,
            SeqLen = 16,
            BatchSize = 16,
            EvalInterval = 20,
            WarmupSteps = 5,
            LearningRate = 1e-2,
            Patience = 0,
        };
        var outDir = dir.Sub("model");
        var (model, state) = TestModels.Train(config, options, data, null, outDir);
        return (model, state, outDir);
    }

    [Theory]
    [InlineData("lstm")]
    [InlineData("transformer")]
    public void LastLogitsAreTheForwardsLogitsAtTheLastPosition(string family)
    {
        using var dir = new TempDir();
        var (m, _, _) = Train(dir, family, steps: 2);
        var model = (LanguageModel)m.Model;
        model.eval();
        using var _ = torch.no_grad();
        var ids = torch.tensor(new long[] { 5, 6, 7, 8, 9, 10, 5, 6 }, [2, 4]);
        var all = model.call(ids, null)[.., -1]; // (B, V)
        Assert.True(model.LastLogits(ids).allclose(all, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void AMaskedModelsLossAndGradientsAreThoseOfTheFullForwardAtItsMaskedPositions()
    {
        Torch.Init();
        torch.manual_seed(3);
        var config = new ModelConfig
        {
            Family = ModelFamily.Transformer,
            Task = SeqLab.Data.TaskKind.Mlm,
            EmbedDim = 16,
            HiddenSize = 16,
            Heads = 2,
            FfDim = 32,
            Dropout = 0,
            VocabSize = 30,
        };
        var model = (LanguageModel)ModelFactory.Create(config);
        // Two rows of 6; targets hold the masked positions' tokens and <pad> (0) elsewhere.
        long[] inputs = [5, 3, 7, 8, 3, 9, 10, 11, 3, 13, 14, 15];
        long[] targets = [0, 6, 0, 0, 12, 0, 0, 0, 20, 0, 0, 0];
        var batch = new SeqLab.Data.Batch(inputs, targets, [6, 6], 2, 6);

        var loss = model.Loss(batch);
        var fast = Gradients(model, loss);
        var reference = torch.nn.functional.cross_entropy(
            model.call(batch.InputTensor(), batch.LengthTensor()).reshape(-1, config.VocabSize),
            batch.TargetTensor().reshape(-1),
            ignore_index: 0
        );
        Assert.Equal(reference.item<float>(), loss.item<float>(), 5);
        var full = Gradients(model, reference);
        Assert.All(fast.Zip(full), g => Assert.True(g.First.allclose(g.Second, rtol: 1e-4, atol: 1e-6)));
    }

    static List<torch.Tensor> Gradients(SequenceModel model, torch.Tensor loss)
    {
        model.zero_grad();
        loss.backward();
        return model.UniqueParameters().Select(p => p.grad is { } g ? g.clone() : torch.zeros_like(p)).ToList();
    }

    [Fact]
    public void TrainingLossFallsOnARepetitiveCorpus()
    {
        using var dir = new TempDir();
        var (_, _, outDir) = Train(dir);
        var losses = File.ReadLines(Path.Combine(outDir, Checkpoint.MetricsFile))
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
            .Where(e => e.TryGetProperty("loss", out _))
            .Select(e => e.GetProperty("loss").GetDouble())
            .ToList();
        Assert.Equal(60, losses.Count);
        Assert.True(
            losses.TakeLast(10).Average() < losses.Take(5).Average() / 3,
            $"loss went from {losses.Take(5).Average():F3} to {losses.TakeLast(10).Average():F3}"
        );
    }

    [Fact]
    public void PerplexityBeatsTheUnigramBaseline()
    {
        using var dir = new TempDir();
        var (loaded, _, _) = Train(dir);
        var data = TrainingRun.PrepareData(
            loaded.Config.Clone(),
            loaded.Training,
            Path.Combine(dir.Path, "corpus.txt"),
            null,
            loaded.Vocabulary
        );
        var result = Validation.Evaluate(loaded.Model, data.Valid);
        var unigram = Evaluator.UnigramPerplexity(loaded.Vocabulary, data.Valid);
        Assert.True(result.Perplexity < unigram / 2, $"perplexity {result.Perplexity:F2} vs unigram {unigram:F2}");
    }

    [Fact]
    public void ReloadedCheckpointPredictsExactlyTheSame()
    {
        using var dir = new TempDir();
        var (loaded, _, outDir) = Train(dir, steps: 20);
        var again = Checkpoint.Load(outDir);
        var a = new LanguageModelPredictor(loaded).Predict("me senté en el", 5);
        var b = new LanguageModelPredictor(again).Predict("me senté en el", 5);
        Assert.Equal(a, b);
    }

    [Fact]
    public void LearnsTheCorpusContinuation()
    {
        using var dir = new TempDir();
        var (loaded, _, _) = Train(dir, steps: 80);
        var best = new LanguageModelPredictor(loaded).Predict("crecí en un pueblo de los alpes [???]", 1)[0];
        Assert.Equal("suizos", best.Token);
        Assert.True(best.Probability > 0.5);
    }

    [Fact]
    public void ABlankIsFilledWithWordsWhileTheNextTokenMayBePunctuation()
    {
        using var dir = new TempDir();
        var (loaded, _, _) = Train(dir, steps: 80);
        var predictor = new LanguageModelPredictor(loaded);
        Assert.Equal(".", predictor.Predict("todavía puedo hablar fluidamente alemán", 1)[0].Token);
        Assert.All(
            predictor.Predict("todavía puedo hablar fluidamente alemán [???]", 3),
            c => Assert.Contains(c.Token, t => char.IsLetter(t))
        );
    }

    [Fact]
    public void ReferenceImplementationTrainsToo()
    {
        using var dir = new TempDir();
        var (_, state, _) = Train(dir, family: "gru", impl: "reference", steps: 20);
        Assert.Equal(20, state.Step);
        Assert.True(Math.Exp(state.BestValidLoss) < 20);
    }

    [Fact]
    public void NoamScheduleMatchesThePaperFormula()
    {
        foreach (var step in new long[] { 1, 100, 4000, 10000 })
            Assert.Equal(
                Math.Pow(512, -0.5) * Math.Min(Math.Pow(step, -0.5), step * Math.Pow(4000, -1.5)),
                LearningRateSchedule.Noam(step, 512, 4000),
                12
            );
    }
}
