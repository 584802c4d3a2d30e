using SeqLab.IO;
using SeqLab.Data.Generated;
using System.Text.Json;
using SeqLab.Data;
using SeqLab.Inference;
using SeqLab.Models;
using SeqLab.Text;
using SeqLab.Training;
using static TorchSharp.torch;

namespace SeqLab.Tests;

public class EncoderDecoderSpec
{
    static Seq2SeqModel Untrained()
    {
        Torch.Init();
        manual_seed(3);
        var model = new Seq2SeqModel(new ModelConfig { Family = ModelFamily.Transformer, Task = TaskKind.Seq2Seq, EmbedDim = 16, HiddenSize = 16, Heads = 2, FfDim = 32, NumLayers = 2, VocabSize = 30, Dropout = 0 });
        model.eval();
        return model;
    }

    [Fact]
    public void ChangingOutputTokenTPlusOneNeverChangesPredictionsUpToT()
    {
        var model = Untrained();
        using var _ = no_grad();
        var (memory, padding) = model.Encode(tensor(new long[] { 5, 6, 7, 8 }, [1, 4]), null);
        var output = tensor(new long[] { Vocabulary.BosId, 9, 10, 11, 12 }, [1, 5]);
        var changed = output.clone();
        changed[0, 3] = 20;
        var (a, b) = (model.Decode(output, memory, padding), model.Decode(changed, memory, padding));
        Assert.True(a[0, ..3].allclose(b[0, ..3], atol: 1e-6));
        Assert.False(a[0, 3].allclose(b[0, 3], atol: 1e-6));
    }

    [Fact]
    public void PaddedSourcePositionsDoNotChangeTheOutput()
    {
        var model = Untrained();
        using var _ = no_grad();
        var source = tensor(new long[] { 5, 6, 7, 0, 0, 8, 9, 10, 11, 12 }, [2, 5]);
        var other = source.clone();
        other[0, 3] = 17;
        other[0, 4] = 18;
        var lengths = tensor(new long[] { 3, 5 });
        var output = tensor(new long[] { Vocabulary.BosId, 9, 10, Vocabulary.BosId, 11, 12 }, [2, 3]);
        var (m1, p1) = model.Encode(source, lengths);
        var (m2, p2) = model.Encode(other, lengths);
        Assert.True(model.Decode(output, m1, p1)[0].allclose(model.Decode(output, m2, p2)[0], atol: 1e-6));
    }

    [Fact, Trait("Category", "Slow")]
    public void ARecurrentEncoderDecoderWithAttentionLearnsToReverse()
    {
        Torch.Init(2);
        using var dir = new TempDir();
        string Write(string name, int examples, int seed) => dir.File(name, string.Join("\n",
            SymbolTasks.Generate("reverse", new SymbolTasks.Options(examples, 5, 10, 10, seed)).Select(p => $"{p.Source}\t{p.Target}")) + "\n");
        var config = new ModelConfig { Family = ModelFamily.Lstm, Task = TaskKind.Seq2Seq, Bidirectional = true, EmbedDim = 64, HiddenSize = 64, Dropout = 0, MinCount = 1 };
        var options = new TrainingOptions { Steps = 1200, BatchSize = 64, Schedule = Schedule.Cosine, LearningRate = 3e-3, EvalInterval = 1200, Patience = 0 };
        TrainingRun.Start(config, options, Write("train.tsv", 4000, 1), null, dir.Sub("m")).Run();

        var score = new Seq2SeqPredictor(Checkpoint.Load(dir.Sub("m"))).Evaluate(PairedText.Read(Write("test.tsv", 200, 2), PairedText.Format.Translation));
        Assert.True(score.ExactMatch >= 0.95, $"exact match {score.ExactMatch:P1}, BLEU {score.Bleu:F1}");
    }

    [Fact]
    public void RecurrentDecoderIgnoresPaddedSourcePositions()
    {
        Torch.Init();
        manual_seed(4);
        var model = new Seq2SeqModel(new ModelConfig { Family = ModelFamily.Gru, Task = TaskKind.Seq2Seq, EmbedDim = 8, HiddenSize = 8, VocabSize = 30, Dropout = 0 });
        model.eval();
        using var _ = no_grad();
        var source = tensor(new long[] { 5, 6, 7, 0, 0, 8, 9, 10, 11, 12 }, [2, 5]);
        var other = source.clone();
        other[0, 3] = 17;
        var lengths = tensor(new long[] { 3, 5 });
        var output = tensor(new long[] { Vocabulary.BosId, 9, Vocabulary.BosId, 11 }, [2, 2]);
        var (m1, p1) = model.Encode(source, lengths);
        var (m2, p2) = model.Encode(other, lengths);
        Assert.True(model.Decode(output, m1, p1)[0].allclose(model.Decode(output, m2, p2)[0], atol: 1e-6));
    }

    [Fact, Trait("Category", "Slow")]
    public void LearnsToReverseHeldOutSequencesOfFiveToTwentySymbols()
    {
        Torch.Init(2);
        using var dir = new TempDir();
        string Write(string name, int examples, int seed) => dir.File(name, string.Join("\n",
            SymbolTasks.Generate("reverse", new SymbolTasks.Options(examples, 5, 20, 10, seed)).Select(p => $"{p.Source}\t{p.Target}")) + "\n");
        var train = Write("train.tsv", 5000, 1);
        var test = Write("test.tsv", 300, 2);
        var config = new ModelConfig { Family = ModelFamily.Transformer, Task = TaskKind.Seq2Seq, EmbedDim = 64, HiddenSize = 64, Heads = 4, FfDim = 128, NumLayers = 2, Dropout = 0, MinCount = 1 };
        var options = new TrainingOptions { Steps = 900, BatchSize = 64, Schedule = Schedule.Cosine, LearningRate = 3e-3, EvalInterval = 900, Patience = 0 };
        TrainingRun.Start(config, options, train, null, dir.Sub("m")).Run();

        var score = new Seq2SeqPredictor(Checkpoint.Load(dir.Sub("m"))).Evaluate(PairedText.Read(test, PairedText.Format.Translation));
        Assert.True(score.ExactMatch >= 0.99, $"exact match {score.ExactMatch:P1}, BLEU {score.Bleu:F1}");
    }
}

public class BeamSearchSpec
{
    // A toy model over tokens 0..4 with <eos> = 3: after nothing, A (=4) 0.55, B (=1) 0.45; after A every
    // token is 0.25 or less; after B, <eos> 0.9. Greedy takes A; the likelier whole output is "B".
    static Tensor Toy(long[][] prefixes)
    {
        var rows = prefixes.Select(p => p switch
        {
            [] => new[] { 0f, 0.45f, 0f, 0f, 0.55f },
            [4, ..] => [0.25f, 0.25f, 0.25f, 0.25f, 0f],
            _ => [0f, 0.05f, 0f, 0.9f, 0.05f],
        }).SelectMany(r => r).ToArray();
        return tensor(rows, [prefixes.Length, 5]).log();
    }

    [Fact]
    public void GreedyTakesTheLocallyBestFirstToken()
    {
        Torch.Init();
        var greedy = BeamSearch.Search(Toy, width: 1, maxTokens: 5, lengthPenalty: 0, eos: 3, banned: []);
        Assert.Equal(4, greedy.Tokens[0]);
    }

    [Fact]
    public void BeamSearchFindsTheLikelierWholeOutput()
    {
        Torch.Init();
        var beam = BeamSearch.Search(Toy, width: 2, maxTokens: 5, lengthPenalty: 0, eos: 3, banned: []);
        Assert.Equal([1L], beam.Tokens);
        Assert.Equal(Math.Log(0.45 * 0.9), beam.LogProbability, 5);
    }

    [Fact]
    public void BannedTokensAreNeverProduced()
    {
        Torch.Init();
        var beam = BeamSearch.Search(Toy, width: 2, maxTokens: 5, lengthPenalty: 0, eos: 3, banned: [1L]);
        Assert.DoesNotContain(1L, beam.Tokens);
    }
}

public class BleuSpec
{
    static IReadOnlyList<string> T(string s) => s.Split(' ');

    [Fact]
    public void IdenticalOutputsScoreOneHundred() =>
        Assert.Equal(100, Bleu.Corpus([T("a b c d e")], [T("a b c d e")]), 6);

    [Fact]
    public void ShortOutputsPayTheBrevityPenalty() =>
        // Every n-gram of "a b c d" is in the reference, so BLEU = BP = exp(1 − 6/4).
        Assert.Equal(100 * Math.Exp(1 - 6.0 / 4), Bleu.Corpus([T("a b c d")], [T("a b c d e f")]), 6);

    [Fact]
    public void RepeatedWordsAreClippedByTheReference() =>
        // Unigram precision 2/7 ("the" counts at most twice); no bigram matches, so BLEU is 0.
        Assert.Equal(0, Bleu.Corpus([T("the the the the the the the")], [T("the cat is on the mat")]));
}

public class TrainingPresetSpec
{
    [Fact]
    public void PaperPresetIsTheRecipeOfVaswaniEtAl()
    {
        var o = TrainingOptions.Paper();
        Assert.Equal((OptimizerKind.Adam, 0.9, 0.98, 1e-9, 0.1, Schedule.Noam, 4000), (o.Optimizer, o.Beta1, o.Beta2, o.Eps, o.LabelSmoothing, o.Schedule, o.WarmupSteps));
        Assert.Equal(Math.Pow(512, -0.5) * Math.Pow(4000, -0.5), LearningRateSchedule.At(o, 4000, null, 512), 12);
    }
}

[Collection("cli")]
public class Seq2SeqCliSpec
{
    [Fact]
    public void DataTrainEvalPredictGenerateEndToEnd()
    {
        using var dir = new TempDir();
        string train = dir.Sub("reverse.tsv"), test = dir.Sub("test.jsonl"), model = dir.Sub("m");
        Assert.Equal(0, CliRunner.Run("data", "reverse", "--out", train, "--examples", "400", "--max-length", "8").ExitCode);
        Assert.Equal(0, CliRunner.Run("data", "reverse", "--out", test, "--examples", "20", "--max-length", "8", "--seed", "9").ExitCode);
        Assert.Equal(400, File.ReadAllLines(train).Length);
        Assert.Equal(0, CliRunner.Run("train", "--task", "seq2seq", "--model", "transformer", "--data", train, "--out", model, "--hidden-size", "32", "--embed-dim", "32",
            "--heads", "2", "--ff-dim", "64", "--layers", "1", "--steps", "30", "--batch-size", "32", "--eval-interval", "15", "--threads", "1", "--preset", "paper", "--warmup", "10").ExitCode);

        var eval = CliRunner.Run("eval", "--model", model, "--data", test, "--json");
        Assert.Equal(0, eval.ExitCode);
        var e = JsonDocument.Parse(eval.Stdout).RootElement;
        Assert.Equal(20, e.GetProperty("examples").GetInt32());
        Assert.InRange(e.GetProperty("exact_match").GetDouble(), 0, 1);
        Assert.InRange(e.GetProperty("bleu").GetDouble(), 0, 100);

        var predict = CliRunner.Run("predict", "--model", model, "--text", "a b c", "--beam", "3", "--json");
        Assert.Equal(0, predict.ExitCode);
        Assert.True(JsonDocument.Parse(predict.Stdout).RootElement.TryGetProperty("output", out _));
        var generate = CliRunner.Run("generate", "--model", model, "--prompt", "a b c", "--temperature", "1", "--top-k", "3", "--json");
        Assert.Equal(0, generate.ExitCode);
    }

    [Fact]
    public void Seq2SeqDefaultsToTheTransformerWithItsOwnLearningRate()
    {
        using var dir = new TempDir();
        var data = dir.File("r.tsv", "a b\tb a\nc d\td c\ne f\tf e\ng h\th g\na c\tc a\n");
        Assert.Equal(0, CliRunner.Run("train", "--task", "seq2seq", "--data", data, "--out", dir.Sub("m"), "--steps", "1", "--hidden-size", "8", "--embed-dim", "8", "--heads", "2", "--ff-dim", "8", "--min-count", "1").ExitCode);
        var loaded = Checkpoint.Load(dir.Sub("m"));
        Assert.Equal(("transformer", 1e-3), (loaded.Config.Family.Name(), loaded.Training.LearningRate));
        Assert.Equal(0, CliRunner.Run("train", "--task", "seq2seq", "--data", data, "--out", dir.Sub("n"), "--steps", "1", "--hidden-size", "8", "--embed-dim", "8", "--heads", "2", "--ff-dim", "8", "--min-count", "1", "--lr", "0.003").ExitCode);
        Assert.Equal(0.003, Checkpoint.Load(dir.Sub("n")).Training.LearningRate);
    }

    [Fact]
    public void DataRefusesToOverwriteAnExistingFile()
    {
        using var dir = new TempDir();
        var existing = dir.File("keep.tsv", "precious\n");
        var r = CliRunner.Run("data", "reverse", "--out", existing);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("precious\n", File.ReadAllText(existing));
    }
}

public class AttentionMapSpec
{
    [Fact]
    public void EveryLayerAndHeadGivesCausalRowsThatSumToOne()
    {
        Torch.Init();
        using var dir = new TempDir();
        var data = dir.File("corpus.txt", Corpora.Repetitive(100));
        var config = new ModelConfig { Family = ModelFamily.Transformer, EmbedDim = 16, HiddenSize = 16, Heads = 2, FfDim = 32, NumLayers = 2, MinCount = 1 };
        var options = new TrainingOptions { Steps = 2, SeqLen = 8, BatchSize = 4, EvalInterval = 2 };
        TrainingRun.Start(config, options, data, null, dir.Sub("m")).Run();

        var map = AttentionMaps.For(Checkpoint.Load(dir.Sub("m")), "crecí en un pueblo de los alpes suizos");
        Assert.Equal((2, 2), (map.Layers, map.Heads));
        Assert.Equal(9, map.Tokens.Count);                         // <eos> + 8 words
        foreach (var row in map.Weights.SelectMany(l => l).SelectMany(h => h.Select((r, q) => (r, q))))
        {
            Assert.Equal(1.0, row.r.Sum(), 4);
            Assert.All(row.r.Skip(row.q + 1), w => Assert.Equal(0f, w));   // no weight on later words
        }
    }
}
