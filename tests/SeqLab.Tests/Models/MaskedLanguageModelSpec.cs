using System.Text.Json;
using SeqLab.Inference;
using SeqLab.Training;

namespace SeqLab.Tests;

/// <summary>
/// `--task mlm`: BERT's pretraining on the Transformer encoder. The word in the blank is decided by the words after
/// it, which a masked language model reads and a causal one cannot.
/// </summary>
[Collection("cli")]
public class MaskedLanguageModelSpec
{
    /// <summary>The same left context for both animals; only the right context tells which one.</summary>
    static string Corpus(int lines, int seed)
    {
        var rng = new Random(seed);
        string[] left = ["veo un", "tengo un", "busco un", "quiero un"];
        return string.Join(
                "\n",
                Enumerable
                    .Range(0, lines)
                    .Select(_ =>
                        rng.Next(2) == 0
                            ? $"{left[rng.Next(4)]} gato que maúlla ."
                            : $"{left[rng.Next(4)]} perro que ladra ."
                    )
            ) + "\n";
    }

    static string Train(TempDir dir, params string[] extra)
    {
        string[] args =
        [
            "train",
            "--task",
            "mlm",
            "--model",
            "transformer",
            "--data",
            dir.File("c.txt", Corpus(600, 1)),
            "--out",
            dir.Sub("m"),
            "--embed-dim",
            "32",
            "--hidden-size",
            "32",
            "--heads",
            "2",
            "--ff-dim",
            "64",
            "--layers",
            "2",
            "--dropout",
            "0",
            "--seq-len",
            "16",
            "--lr",
            "3e-3",
            "--steps",
            "300",
            "--eval-interval",
            "100",
            "--threads",
            "1",
            .. extra,
        ];
        var r = CliRunner.Run(args);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return dir.Sub("m");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void ItFillsTheBlankFromTheWordsAfterIt()
    {
        using var dir = new TempDir();
        var m = Checkpoint.Load(Train(dir));
        var predictor = Predictors.For(m);
        Assert.Equal("gato", predictor.Predict("tengo un [???] que maúlla .", 3).Candidates[0].Token);
        Assert.Equal("perro", predictor.Predict("tengo un [???] que ladra .", 3).Candidates[0].Token);
    }

    [Fact]
    public void EvalReportsMaskedAccuracyOnFixedMasks()
    {
        using var dir = new TempDir();
        var model = Train(dir, "--steps", "20");
        var test = dir.File("t.txt", Corpus(100, 2));
        var first = CliRunner.Run("eval", "--model", model, "--data", test, "--json");
        var again = CliRunner.Run("eval", "--model", model, "--data", test, "--json");
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(first.Stdout, again.Stdout); // the same masks every time
        var e = JsonDocument.Parse(first.Stdout).RootElement;
        Assert.InRange(e.GetProperty("masked_accuracy").GetDouble(), 0, 1);
        long masked = e.GetProperty("masked_tokens").GetInt64(),
            tokens = e.GetProperty("tokens").GetInt64();
        Assert.InRange(masked / (double)tokens, 0.1, 0.2); // round(15% of 16) = 2 per window: 12.5% here
    }

    [Theory]
    [InlineData("lstm", "--model transformer")]
    [InlineData("gru", "--model transformer")]
    public void ARecurrentFamilyIsRefused(string family, string mentions)
    {
        using var dir = new TempDir();
        var r = CliRunner.Run(
            "train",
            "--task",
            "mlm",
            "--model",
            family,
            "--data",
            dir.File("c.txt", Corpus(50, 1)),
            "--out",
            dir.Sub("m")
        );
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(mentions, r.Stderr);
        Assert.False(Directory.Exists(dir.Sub("m")));
    }

    [Fact]
    public void PredictWithoutABlankIsRefused()
    {
        using var dir = new TempDir();
        var model = Train(dir, "--steps", "2");
        var r = CliRunner.Run("predict", "--model", model, "--text", "tengo un gato");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("[???]", r.Stderr);
    }
}
