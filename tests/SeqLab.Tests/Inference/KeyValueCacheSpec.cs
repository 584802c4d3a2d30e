using SeqLab.Inference;
using SeqLab.Models;
using SeqLab.Training;
using static TorchSharp.torch;

namespace SeqLab.Tests;

/// <summary>Decoding with cached keys and values gives what re-reading the whole prefix gives.</summary>
public class KeyValueCacheSpec
{
    static LoadedModel Transformer(TempDir dir, bool normFirst, bool learnedPositions)
    {
        var config = new ModelConfig
        {
            Family = ModelFamily.Transformer,
            EmbedDim = 32,
            HiddenSize = 32,
            Heads = 4,
            FfDim = 64,
            NumLayers = 2,
            MinCount = 1,
            NormFirst = normFirst,
            LearnedPositions = learnedPositions,
            MaxLength = 128,
        };
        var options = new TrainingOptions
        {
            Steps = 40,
            SeqLen = 24,
            BatchSize = 8,
            EvalInterval = 40,
            LearningRate = 3e-3,
        };
        return TestModels.Train(config, options, dir.File("c.txt", Corpora.Repetitive(200)), null, dir.Sub("m")).Model;
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void StepByStepLogitsEqualTheFullForward(bool normFirst, bool learnedPositions)
    {
        using var dir = new TempDir();
        var m = Transformer(dir, normFirst, learnedPositions);
        var lm = (LanguageModel)m.Model;
        long[] ids = [3, 5, 6, 7, 8, 9, 10, 5, 6, 11];
        using var _ = no_grad();
        var full = lm.call(tensor(ids, [1, ids.Length]), null); // (1, T, V)
        var caches = lm.NewCache()!;
        var first = lm.Step(tensor(ids[..4], [1, 4]), caches); // a prompt of 4, then one token at a time
        var steps = new List<Tensor> { first };
        for (int t = 4; t < ids.Length; t++)
            steps.Add(lm.Step(tensor(new[] { ids[t] }, [1, 1]), caches));
        var cached = cat(steps, 1);
        Assert.True(
            full.allclose(cached, rtol: 1e-4, atol: 1e-5),
            $"max difference {(full - cached).abs().max().item<float>()}"
        );
        foreach (var c in caches)
            c.Dispose();
    }

    // Greedy only: sampling draws against probabilities that agree to ~1e-6, so a draw on a knife's edge may differ.
    [Theory]
    [InlineData(0.0)]
    public void GenerationIsTheSameWithAndWithoutTheCache(double temperature)
    {
        using var dir = new TempDir();
        var m = Transformer(dir, normFirst: true, learnedPositions: false);
        var sampler = new Sampler(temperature);
        foreach (var prompt in new[] { "me senté en el", "crecí en un pueblo de los", "fui al banco" })
        {
            var withCache = new LanguageModelPredictor(m).Generate(prompt, 40, sampler, seed: 5);
            var without = new LanguageModelPredictor(m) { UseCache = false }.Generate(prompt, 40, sampler, seed: 5);
            Assert.Equal(without, withCache);
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void BeamSearchIsTheSameWithAndWithoutTheCache(int beam)
    {
        using var dir = new TempDir();
        var m = Transformer(dir, normFirst: false, learnedPositions: true);
        foreach (var prompt in new[] { "me senté en el", "la niña lee", "todavía puedo hablar" })
        {
            var withCache = new LanguageModelPredictor(m).Generate(prompt, 20, new Sampler(0), seed: 1, beam: beam);
            var without = new LanguageModelPredictor(m) { UseCache = false }.Generate(
                prompt,
                20,
                new Sampler(0),
                seed: 1,
                beam: beam
            );
            Assert.Equal(without, withCache);
        }
    }

    [Fact]
    public void TheEncoderDecoderDecodesTheSameWithAndWithoutTheCache()
    {
        using var dir = new TempDir();
        var pairs = dir.File(
            "r.tsv",
            string.Join(
                '\n',
                SeqLab
                    .Data.Generated.SymbolTasks.Generate(
                        "reverse",
                        new SeqLab.Data.Generated.SymbolTasks.Options(300, 3, 8, 8, 1)
                    )
                    .Select(p => $"{p.Source}\t{p.Target}")
            ) + "\n"
        );
        var config = new ModelConfig
        {
            Family = ModelFamily.Transformer,
            Task = SeqLab.Data.TaskKind.Seq2Seq,
            EmbedDim = 32,
            HiddenSize = 32,
            Heads = 4,
            FfDim = 64,
            NumLayers = 2,
            MinCount = 1,
        };
        var options = new TrainingOptions
        {
            Steps = 60,
            BatchSize = 16,
            EvalInterval = 60,
            LearningRate = 3e-3,
        };
        var (m, _) = TestModels.Train(config, options, pairs, null, dir.Sub("m"));
        var sources = new[] { "a b c d", "h g f e d c b", "c c a" };
        foreach (var source in sources)
        foreach (var beam in new[] { 1, 4 })
            Assert.Equal(
                new Seq2SeqPredictor(m) { UseCache = false }.Output(source, beam),
                new Seq2SeqPredictor(m).Output(source, beam)
            );
        var ids = sources.Select(s => new Seq2SeqPredictor(m).Source(s)).ToList();
        Assert.Equal(
            new Seq2SeqPredictor(m) { UseCache = false }.GreedyBatch(ids),
            new Seq2SeqPredictor(m).GreedyBatch(ids)
        );
    }
}
