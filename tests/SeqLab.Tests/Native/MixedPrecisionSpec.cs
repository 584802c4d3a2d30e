using System.Text.Json;
using SeqLab.Data;
using SeqLab.Models;
using SeqLab.Native;
using SeqLab.Training;
using static TorchSharp.torch;

namespace SeqLab.Tests;

/// <summary>
/// `--precision bf16`: matrix products in bfloat16 on copies of fp32 master weights; the loss in fp32; gradients,
/// clipping and AdamW in fp32. Close to fp32 forward, trains the same, and leaves fp32 code untouched.
/// </summary>
[Collection("cli")]
public class MixedPrecisionSpec
{
    static SequenceModel Transformer(TaskKind task = TaskKind.Lm)
    {
        Torch.Init();
        manual_seed(7);
        var model = ModelFactory.Create(
            new ModelConfig
            {
                Family = ModelFamily.Transformer,
                Task = task,
                VocabSize = 50,
                EmbedDim = 32,
                HiddenSize = 32,
                NumLayers = 2,
                Heads = 4,
                FfDim = 64,
                Dropout = 0,
                MaxLength = 16,
                Labels = task == TaskKind.Classify ? ["a", "b"] : [],
            }
        );
        model.eval();
        return model;
    }

    static Tensor Ids() => randint(4, 50, [3, 12], generator: new Generator(1));

    [Fact]
    public void ABf16ForwardStaysWithinBf16RoundingOfFp32()
    {
        using var model = Transformer();
        using var _ = no_grad();
        var fp32 = model.call(Ids(), null);
        Tensor bf16;
        using (Autocast.Scope(Precision.Bf16))
            bf16 = model.call(Ids(), null);
        Assert.Equal(ScalarType.Float32, fp32.dtype);
        Assert.Equal(ScalarType.BFloat16, bf16.dtype); // the output layer ran in bf16
        double scale = fp32.abs().max().item<float>();
        double diff = (bf16.to(ScalarType.Float32) - fp32).abs().max().item<float>();
        Assert.True(diff < 0.05 * scale, $"bf16 differs by {diff} (largest logit {scale})");
        Assert.True(diff > 0, "the bf16 scope changed nothing: the products did not run in bf16");
    }

    [Fact]
    public void OutsideTheScopeNothingChanges()
    {
        using var model = Transformer();
        using var _ = no_grad();
        var before = model.call(Ids(), null);
        using (Autocast.Scope(Precision.Bf16))
        using (Autocast.Scope(Precision.Fp32)) // scopes nest: an fp32 scope inside a bf16 one is fp32
            Assert.Equal(0.0, (model.call(Ids(), null) - before).abs().max().item<float>());
        Assert.False(Autocast.Enabled);
        Assert.Equal(0.0, (model.call(Ids(), null) - before).abs().max().item<float>());
    }

    [Fact]
    public void GradientsAndWeightsStayFp32AndTheLossFalls()
    {
        using var model = Transformer();
        model.train();
        var options = new TrainingOptions { Precision = Precision.Bf16, LearningRate = 3e-3 };
        var parameters = model.UniqueParameters();
        var optimizer = TrainingStep.Optimizer(options, parameters);
        var ids = Ids().data<long>().ToArray();
        var inputs = ids.Select((_, i) => i % 12 == 0 ? 4L : ids[i - 1]).ToArray(); // each row's targets shifted right
        var batch = new Batch(inputs, ids, [12, 12, 12], 3, 12);
        var losses = new List<double>();
        for (int i = 0; i < 30; i++)
        {
            using var scope = NewDisposeScope();
            losses.Add(TrainingStep.Run(model, batch, optimizer, parameters, options.LearningRate, options).Loss);
        }
        Assert.All(parameters, p => Assert.Equal(ScalarType.Float32, p.dtype));
        Assert.All(parameters.Where(p => p.grad is not null), p => Assert.Equal(ScalarType.Float32, p.grad!.dtype));
        Assert.True(losses[^1] < 0.5 * losses[0], $"loss {losses[0]:F3} → {losses[^1]:F3}");
    }

    [Fact]
    public void AClassifierRunsItsHeadInBf16AndScoresInFp32()
    {
        using var model = Transformer(TaskKind.Classify);
        using var _ = no_grad();
        using var scope = Autocast.Scope(Precision.Bf16);
        Assert.Equal(ScalarType.Float32, model.call(Ids(), null).dtype);
    }

    [Fact]
    public void Bf16TrainingReachesFp32sValidationPerplexityWithin2Percent()
    {
        using var dir = new TempDir();
        var data = dir.File("c.txt", Corpora.Repetitive());
        double Perplexity(string precision)
        {
            var args = new List<string> { "train", "--task", "lm", "--model", "transformer", "--data", data };
            args.AddRange(["--out", dir.Sub(precision), "--layers", "1", "--hidden-size", "32", "--embed-dim", "32"]);
            args.AddRange(["--heads", "2", "--ff-dim", "64", "--min-count", "1", "--seq-len", "16", "--steps", "40"]);
            args.AddRange(["--threads", "1", "--precision", precision]);
            var r = CliRunner.Run([.. args]);
            Assert.True(r.ExitCode == 0, r.Stderr);
            var e = CliRunner.Run("eval", "--model", dir.Sub(precision), "--data", data, "--json");
            Assert.True(e.ExitCode == 0, e.Stderr);
            return JsonDocument.Parse(e.Stdout).RootElement.GetProperty("perplexity").GetDouble();
        }
        double fp32 = Perplexity("fp32"),
            bf16 = Perplexity("bf16");
        Assert.True(Math.Abs(bf16 / fp32 - 1) <= 0.02, $"fp32 {fp32:F3}, bf16 {bf16:F3}");
        Assert.Equal(
            "bf16",
            JsonDocument
                .Parse(File.ReadAllText(dir.Sub("bf16/training.json")))
                .RootElement.GetProperty("precision")
                .GetString()
        );
    }

    [Fact]
    public void AnUnknownPrecisionIsRefusedByName()
    {
        var r = CliRunner.Run("bench", "--preset", "rnn-lm", "--precision", "fp8");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("fp8", r.Stderr);
        Assert.Contains("bf16", r.Stderr);
    }

    [Fact]
    public void BenchReportsBf16AgainstFp32()
    {
        var r = CliRunner.Run(
            "bench",
            "--preset",
            "rnn-lm",
            "--steps",
            "1",
            "--threads",
            "1",
            "--precision",
            "bf16",
            "--json"
        );
        Assert.True(r.ExitCode == 0, r.Stderr);
        var doc = JsonDocument.Parse(r.Stdout).RootElement;
        Assert.Equal("bf16", doc.GetProperty("precision").GetString());
        Assert.True(doc.GetProperty("ratio_to_fp32").GetDouble() > 0);
    }
}
