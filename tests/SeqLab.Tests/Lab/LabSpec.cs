using System.Text.Json;
using SeqLab.Data.Generated;
using SeqLab.IO;
using SeqLab.Lab;
using SeqLab.Models;

namespace SeqLab.Tests;

/// <summary>Every experiment at a tiny scale: its output's structure and one invariant each.</summary>
public class LabSpec
{
    [Fact]
    public void ASecondRunContinuesTheLanguageModelsAndReusesTheLongRangeModels()
    {
        using var dir = new TempDir();
        JsonElement TrainedFor(LabResult r) => Numbers(r).GetProperty("trained_for").GetProperty("lstm/seed1");
        var first = TrainedFor(EffectiveContextExperiment.Run(Tiny(dir)));
        var second = TrainedFor(EffectiveContextExperiment.Run(Tiny(dir)));
        Assert.Equal(2 * first.GetProperty("steps").GetInt64(), second.GetProperty("steps").GetInt64());

        var a = Tiny(dir);
        LongRangeExperiment.Run(a);
        var b = Tiny(dir);
        var model = LongRangeExperiment.Train(b, ModelFamily.Gru, 1, LongRangeExperiment.Data(b, 1));
        Assert.Equal(LongRangeExperiment.Steps(b), model.Manifest.State.Step);
        Assert.False(b.Trained["long-range/gru/seed1"].Continued);
    }

    [Fact]
    public void ALongRangeModelCutShortIsTrainedToItsBudgetNotReused()
    {
        using var dir = new TempDir();
        var a = Tiny(dir);
        var data = LongRangeExperiment.Data(a, 1);
        LongRangeExperiment.Train(a, ModelFamily.Gru, 1, data).Model.Dispose();
        // What a demo stopped mid-training leaves: the checkpoint of an earlier step.
        var manifest = Path.Combine(dir.Sub("lab"), "models", "long-range-gru-seed1", "manifest.json");
        long budget = LongRangeExperiment.Steps(a);
        File.WriteAllText(
            manifest,
            File.ReadAllText(manifest)
                .Replace($"\"step\": {budget},", "\"step\": 3,")
                .Replace($"\"batch_in_epoch\": {budget},", "\"batch_in_epoch\": 3,")
        );

        var b = Tiny(dir);
        var model = LongRangeExperiment.Train(b, ModelFamily.Gru, 1, LongRangeExperiment.Data(b, 1));

        Assert.Equal(budget, model.Manifest.State.Step);
        Assert.True(b.Trained["long-range/gru/seed1"].Continued);
    }

    [Fact]
    public void ModelsTrainedSideBySideEqualTheSameModelsTrainedOneAfterAnother()
    {
        using var dir = new TempDir();
        Torch.Init();
        float[] Weights(LabSession s)
        {
            var data = LongRangeExperiment.Data(s, 1);
            var jobs = LongRangeExperiment
                .Families.Select(f =>
                    (Func<float[]>)(
                        () =>
                            LongRangeExperiment
                                .Train(s, f, 1, data)
                                .Model.parameters()
                                .SelectMany(p => p.data<float>().ToArray())
                                .ToArray()
                    )
                )
                .ToList();
            return s.Concurrently(jobs).SelectMany(w => w).ToArray();
        }
        // Two at a time (one libtorch thread each) against one after another on one thread.
        var sideBySide = Weights(new LabSession(dir.Sub("a"), LabScale.Tiny, threads: 2));
        var oneByOne = Weights(new LabSession(dir.Sub("b"), LabScale.Tiny, threads: 1));
        Assert.Equal(oneByOne, sideBySide);
    }

    static LabSession Tiny(TempDir dir)
    {
        Torch.Init();
        return new LabSession(dir.Sub("lab"), LabScale.Tiny, threads: 1)
        {
            Corpus = dir.File("corpus.txt", Corpora.Repetitive(300)),
        };
    }

    static JsonElement Numbers(LabResult r) => JsonSerializer.SerializeToElement(r.Numbers, SeqLab.IO.Json.Options);

    [Fact]
    public void TheFullScaleRunsOneSeedUnlessAskedForMore()
    {
        Assert.Equal(1, LabSession.DefaultSeeds(LabScale.Full, usual: 2));
        Assert.Equal(2, LabSession.DefaultSeeds(LabScale.Small, usual: 2));
        Assert.Equal(2, LabSession.DefaultSeeds(LabScale.Tiny, usual: 2));
    }

    [Fact]
    public void LongRangeBagOfWordsWithoutTheCueStaysAtChance()
    {
        using var dir = new TempDir();
        var r = LongRangeExperiment.Run(Tiny(dir));
        var n = Numbers(r);
        var noCue = n.GetProperty("bag_of_words_no_cue").EnumerateArray().Select(a => a.GetDouble()).ToList();
        Assert.InRange(noCue.Average(), 0, 0.35); // chance is 21%; a few test examples per bucket at this scale
        var parameters = LongRangeExperiment
            .Families.Select(f => n.GetProperty("parameters").GetProperty(f.Name()).GetDouble())
            .ToList();
        Assert.All(parameters, p => Assert.InRange(p / parameters[^1], 0.9, 1.1)); // same budget ±10%
        Assert.All(r.Plots, p => Assert.True(File.Exists(p) && File.Exists(Path.ChangeExtension(p, ".svg")), p));
    }

    [Fact]
    public void LongRangeAnswerDependsOnlyOnTheCue()
    {
        var examples = LongRange.Generate(300, 30, 5);
        Assert.All(examples, e => Assert.True(e.Distance >= 30));
        // Every language shares every filler sentence and every final sentence; only the cue differs.
        var finals = examples.GroupBy(e => e.Language).Select(g => g.Select(e => e.Final).ToHashSet()).ToList();
        Assert.All(finals, f => Assert.Equal(finals[0].Count, f.Count));
        Assert.All(examples, e => Assert.DoesNotContain(e.Language, e.TextWithoutCue));
    }

    [Fact]
    public void LongRangeSwissAlpsAreACueOfSwitzerlandsThreeLanguages()
    {
        var swiss = LongRange.Generate(2000, 10, 7).Where(e => e.Place == LongRange.SwissAlps).ToList();
        string[] three = ["alemán", "francés", "italiano"];
        Assert.All(swiss, e => Assert.Equal(three, e.Answers));
        // Labelled with each of the three about equally often (a third each of some 140 examples).
        Assert.All(three, l => Assert.InRange(swiss.Count(e => e.Language == l) / (double)swiss.Count, 0.22, 0.45));
        Assert.Equal(["griego"], LongRange.LanguagesOf("en Creta"));
    }

    [Fact]
    public void LongRangeChanceIsTheBestConstantAnswersAccuracy()
    {
        // alemán is right for its own 7 places and for the Swiss place among francés' and italiano's 7.
        Assert.Equal((1 + 1 / 7.0 + 1 / 7.0) / 6, LongRange.Chance, 12);
        var examples = LongRange.Generate(20000, 10, 3);
        Assert.InRange(
            examples.Count(e => e.Answers.Contains("alemán")) / 20000.0,
            LongRange.Chance - 0.01,
            LongRange.Chance + 0.01
        );
    }

    [Fact]
    public void ParallelismCountsNSequentialStepsForRecurrenceAndOneForAttention()
    {
        using var dir = new TempDir();
        var n = Numbers(ParallelismExperiment.Run(Tiny(dir)));
        var lengths = n.GetProperty("n").EnumerateArray().Select(x => x.GetInt64()).ToList();
        foreach (var layer in new[] { "rnn", "lstm", "gru" })
            Assert.Equal(
                lengths,
                n.GetProperty("sequential_steps").GetProperty(layer).EnumerateArray().Select(x => x.GetInt64())
            );
        Assert.All(
            n.GetProperty("sequential_steps").GetProperty("self-attention").EnumerateArray(),
            x => Assert.Equal(1, x.GetInt64())
        );
        Assert.All(n.GetProperty("ms_vs_n").GetProperty("lstm").EnumerateArray(), x => Assert.True(x.GetDouble() > 0));
    }

    [Fact]
    public void GradientNormsAreFinitePositiveAndCoverTheWholeDistance()
    {
        using var dir = new TempDir();
        var s = Tiny(dir);
        var n = Numbers(GradientsExperiment.Run(s));
        foreach (var kind in new[] { "untrained", "trained" })
        foreach (var family in LongRangeExperiment.Families)
        {
            var g = n.GetProperty(kind).GetProperty(family.Name()).EnumerateArray().Select(x => x.GetDouble()).ToList();
            Assert.True(g.Count > GradientsExperiment.Distance(s), $"{kind} {family}: {g.Count} positions");
            Assert.All(g, v => Assert.True(double.IsFinite(v) && v > 0));
        }
    }

    [Fact]
    public void AttentionOfTheWordBeforeTheBlankSumsToOne()
    {
        using var dir = new TempDir();
        var r = AttentionExperiment.Run(Tiny(dir));
        var n = Numbers(r);
        Assert.Equal(1.0, n.GetProperty("blank_attention_last_layer").EnumerateArray().Sum(x => x.GetDouble()), 4);
        Assert.Equal("suizos", n.GetProperty("tokens")[n.GetProperty("cue_index").GetInt32()].GetString());
        Assert.Equal(1 + n.GetProperty("layers").GetInt32(), r.Plots.Count);
    }

    [Fact]
    public void EffectiveContextPerturbingNothingChangesNothing()
    {
        using var dir = new TempDir();
        var n = Numbers(EffectiveContextExperiment.Run(Tiny(dir)));
        foreach (var family in EffectiveContextExperiment.Families)
        foreach (var p in new[] { "truncate", "shuffle" })
            Assert.Equal(
                0.0,
                n.GetProperty("loss_increase")
                    .GetProperty(family.Name())
                    .GetProperty(p)
                    .EnumerateArray()
                    .Last()
                    .GetDouble()
            ); // k = the whole window
    }

    [Fact]
    public void ContextStaticSimilarityIsExactlyOne()
    {
        using var dir = new TempDir();
        var r = ContextExperiment.Run(Tiny(dir));
        Assert.Null(r.Skipped);
        Assert.Equal(1.0, Numbers(r).GetProperty("static").GetDouble());
    }

    [Fact]
    public void WithoutACorpusTheRealTextExperimentsSaySoInsteadOfFailing()
    {
        using var dir = new TempDir();
        var s = new LabSession(dir.Sub("lab"), LabScale.Tiny, threads: 1) { Corpus = dir.Sub("missing.txt") };
        Assert.Throws<SeqLabInputException>(() => EffectiveContextExperiment.Run(s));
    }
}
