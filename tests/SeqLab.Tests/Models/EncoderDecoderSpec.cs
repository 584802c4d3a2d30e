using SeqLab.Data;
using SeqLab.Data.Generated;
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
        var model = new Seq2SeqModel(
            new ModelConfig
            {
                Family = ModelFamily.Transformer,
                Task = TaskKind.Seq2Seq,
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
        string Write(string name, int examples, int seed) =>
            dir.File(
                name,
                string.Join(
                    "\n",
                    SymbolTasks
                        .Generate("reverse", new SymbolTasks.Options(examples, 5, 10, 10, seed))
                        .Select(p => $"{p.Source}\t{p.Target}")
                ) + "\n"
            );
        var config = new ModelConfig
        {
            Family = ModelFamily.Lstm,
            Task = TaskKind.Seq2Seq,
            Bidirectional = true,
            EmbedDim = 64,
            HiddenSize = 64,
            Dropout = 0,
            MinCount = 1,
        };
        var options = new TrainingOptions
        {
            Steps = 1200,
            BatchSize = 64,
            Schedule = Schedule.Cosine,
            LearningRate = 3e-3,
            EvalInterval = 1200,
            Patience = 0,
        };
        TestModels.Train(config, options, Write("train.tsv", 4000, 1), null, dir.Sub("m"));

        var score = new Seq2SeqPredictor(Checkpoint.Load(dir.Sub("m"))).Evaluate(
            PairedText.Read(Write("test.tsv", 200, 2), PairedText.Format.Translation)
        );
        Assert.True(score.ExactMatch >= 0.95, $"exact match {score.ExactMatch:P1}, BLEU {score.Bleu:F1}");
    }

    [Fact]
    public void RecurrentDecoderIgnoresPaddedSourcePositions()
    {
        Torch.Init();
        manual_seed(4);
        var model = new Seq2SeqModel(
            new ModelConfig
            {
                Family = ModelFamily.Gru,
                Task = TaskKind.Seq2Seq,
                EmbedDim = 8,
                HiddenSize = 8,
                VocabSize = 30,
                Dropout = 0,
            }
        );
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
        string Write(string name, int examples, int seed) =>
            dir.File(
                name,
                string.Join(
                    "\n",
                    SymbolTasks
                        .Generate("reverse", new SymbolTasks.Options(examples, 5, 20, 10, seed))
                        .Select(p => $"{p.Source}\t{p.Target}")
                ) + "\n"
            );
        var train = Write("train.tsv", 5000, 1);
        var test = Write("test.tsv", 300, 2);
        var config = new ModelConfig
        {
            Family = ModelFamily.Transformer,
            Task = TaskKind.Seq2Seq,
            EmbedDim = 64,
            HiddenSize = 64,
            Heads = 4,
            FfDim = 128,
            NumLayers = 2,
            Dropout = 0,
            MinCount = 1,
        };
        var options = new TrainingOptions
        {
            Steps = 900,
            BatchSize = 64,
            Schedule = Schedule.Cosine,
            LearningRate = 3e-3,
            EvalInterval = 900,
            Patience = 0,
        };
        TestModels.Train(config, options, train, null, dir.Sub("m"));

        var score = new Seq2SeqPredictor(Checkpoint.Load(dir.Sub("m"))).Evaluate(
            PairedText.Read(test, PairedText.Format.Translation)
        );
        Assert.True(score.ExactMatch >= 0.99, $"exact match {score.ExactMatch:P1}, BLEU {score.Bleu:F1}");
    }
}
