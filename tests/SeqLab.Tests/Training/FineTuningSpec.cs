using SeqLab.Data;
using SeqLab.Models;
using SeqLab.Training;
using static TorchSharp.torch;

namespace SeqLab.Tests;

/// <summary>`train --task classify --init-from DIR`: the encoder of a pretrained lm or mlm, its vocabulary and
/// tokenizer; `--freeze-encoder` keeps it as it was; `--head-lr` gives the head its own rate; mismatches are
/// refused.</summary>
[Collection("cli")]
public class FineTuningSpec
{
    static readonly string[] Small = ["--embed-dim", "16", "--hidden-size", "16", "--threads", "1"];

    static (string Labelled, string Pretrained) Pretrain(TempDir dir, string family, string task)
    {
        var tsv = dir.File("k.tsv", Corpora.KeywordNearEnd(200, 1));
        var text = dir.File("t.txt", string.Join("\n", File.ReadLines(tsv).Select(l => l.Split('\t')[1])) + "\n");
        string[] transformer = family == "transformer" ? ["--heads", "2", "--ff-dim", "32"] : [];
        string[] args =
        [
            "train",
            "--task",
            task,
            "--model",
            family,
            "--data",
            text,
            "--out",
            dir.Sub("pre"),
            "--steps",
            "6",
            "--seq-len",
            "16",
            .. Small,
            .. transformer,
        ];
        var r = CliRunner.Run(args);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return (tsv, dir.Sub("pre"));
    }

    static CliRunner.Result FineTune(TempDir dir, string tsv, string pretrained, params string[] extra) =>
        CliRunner.Run([
            "train",
            "--task",
            "classify",
            "--data",
            tsv,
            "--init-from",
            pretrained,
            "--out",
            dir.Sub("ft"),
            "--steps",
            "4",
            "--threads",
            "1",
            .. extra,
        ]);

    static Dictionary<string, Tensor> Encoder(LoadedModel m) =>
        m
            .Model.state_dict()
            .Where(kv => kv.Key.StartsWith("embedding.") || kv.Key.StartsWith("encoder."))
            .ToDictionary(kv => kv.Key, kv => kv.Value);

    [Theory]
    [InlineData("transformer", "mlm")]
    [InlineData("transformer", "lm")]
    [InlineData("lstm", "lm")] // ULMFiT's recipe
    public void AFrozenPretrainedEncoderIsCopiedAndKeptWhileTheHeadLearns(string family, string task)
    {
        using var dir = new TempDir();
        var (tsv, pretrained) = Pretrain(dir, family, task);
        var r = FineTune(dir, tsv, pretrained, "--freeze-encoder");
        Assert.True(r.ExitCode == 0, r.Stderr);

        var source = Checkpoint.Load(pretrained);
        var tuned = Checkpoint.Load(dir.Sub("ft"), best: false);
        Assert.Equal(TaskKind.Classify, tuned.Config.Task);
        Assert.Equal(source.Vocabulary.Tokens, tuned.Vocabulary.Tokens);
        var before = Encoder(source);
        Assert.All(Encoder(tuned), kv => Assert.True(kv.Value.equal(before[kv.Key]).all().item<bool>(), kv.Key));
        Assert.NotEmpty(Encoder(tuned));
    }

    [Fact]
    public void WithoutFreezingTheEncoderLearnsToo()
    {
        using var dir = new TempDir();
        var (tsv, pretrained) = Pretrain(dir, "transformer", "mlm");
        Assert.Equal(0, FineTune(dir, tsv, pretrained).ExitCode);
        var before = Encoder(Checkpoint.Load(pretrained));
        var after = Encoder(Checkpoint.Load(dir.Sub("ft"), best: false));
        Assert.Contains(after, kv => !kv.Value.equal(before[kv.Key]).all().item<bool>());
    }

    [Fact]
    public void ADifferentArchitectureIsRefusedByName()
    {
        using var dir = new TempDir();
        var (tsv, pretrained) = Pretrain(dir, "transformer", "mlm");
        var r = FineTune(dir, tsv, pretrained, "--hidden-size", "32", "--embed-dim", "32");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("is 32 here but 16 in the pretrained model", r.Stderr);
        Assert.False(Directory.Exists(dir.Sub("ft")));
    }

    [Fact]
    public void AClassifierIsNotAPretrainedLanguageModel()
    {
        using var dir = new TempDir();
        var tsv = dir.File("k.tsv", Corpora.KeywordNearEnd(100, 1));
        string[] args =
        [
            "train",
            "--task",
            "classify",
            "--data",
            tsv,
            "--out",
            dir.Sub("cls"),
            "--steps",
            "2",
            .. Small,
        ];
        Assert.Equal(0, CliRunner.Run(args).ExitCode);
        var r = FineTune(dir, tsv, dir.Sub("cls"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--task lm or mlm", r.Stderr);
    }

    [Fact]
    public void TheHeadKeepsItsOwnLearningRateUnderTheSchedule()
    {
        Torch.Init();
        var config = new ModelConfig
        {
            Family = ModelFamily.Gru,
            Task = TaskKind.Classify,
            EmbedDim = 8,
            HiddenSize = 8,
            VocabSize = 20,
            Labels = ["a", "b"],
        };
        using var model = ModelFactory.Create(config);
        var options = new TrainingOptions { LearningRate = 1e-3, HeadLearningRate = 1e-2 };
        var parameters = model.UniqueParameters();
        var optimizer = TrainingStep.Optimizer(options, parameters, model);
        var batch = Batch.Pad(
            [
                [5, 6, 7],
                [8, 9],
            ],
            [0, 1],
            16
        );
        using (NewDisposeScope())
            TrainingStep.Run(model, batch, optimizer, parameters, 5e-4, options); // the schedule halves the rate
        var rates = optimizer.ParamGroups.Select(g => g.LearningRate).ToList();
        Assert.Equal([5e-4, 5e-3], rates);
        Assert.Equal(2, optimizer.ParamGroups.Count());
    }
}
