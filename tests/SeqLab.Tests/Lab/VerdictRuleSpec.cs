using SeqLab.Lab;

namespace SeqLab.Tests;

/// <summary>Each experiment's verdict rule, on synthetic numbers.</summary>
public class VerdictRuleSpec
{
    static LongRangeExperiment.Point P(string family, int correct, int n = 100)
    {
        var (lo, hi) = Wilson.Interval(correct, n);
        return new(family, 7, 190, (double)correct / n, lo, hi, 1, correct, n);
    }

    static IReadOnlyList<LongRangeExperiment.Point> Far(int rnn, int lstm, int gru, int transformer) =>
        [P("rnn", rnn), P("lstm", lstm), P("gru", gru), P("transformer", transformer)];

    [Fact]
    public void LongRangeIsSupportedWhenTheTransformerIsAboveEveryRecurrentFamilyBeyondTheIntervals() =>
        Assert.Equal(Verdict.Supported, LongRangeExperiment.Judge(Far(17, 20, 30, 99), 1 / 6.0).Verdict);

    [Fact]
    public void LongRangeIsInconclusiveWhenTheIntervalsOverlap() =>
        Assert.Equal(Verdict.Inconclusive, LongRangeExperiment.Judge(Far(17, 20, 90, 95), 1 / 6.0).Verdict);

    [Fact]
    public void LongRangeIsInconclusiveWhenEveryFamilyIsAtChance() =>
        Assert.Equal(Verdict.Inconclusive, LongRangeExperiment.Judge(Far(17, 15, 18, 20), 1 / 6.0).Verdict);

    [Fact]
    public void LongRangeIsNotSupportedWhenARecurrentFamilyIsAboveTheTransformer() =>
        Assert.Equal(Verdict.NotSupported, LongRangeExperiment.Judge(Far(17, 98, 30, 40), 1 / 6.0).Verdict);

    [Fact]
    public void ADirectionThatFlipsBetweenSeedsIsInconclusiveAndSaysSo()
    {
        var supported = LongRangeExperiment.Judge(Far(17, 20, 30, 99), 1 / 6.0);
        var against = LongRangeExperiment.Judge(Far(17, 98, 30, 40), 1 / 6.0);
        var both = Assessment.AcrossSeeds(LongRangeExperiment.Rule(), [(1, supported), (2, against)]);
        Assert.Equal(Verdict.Inconclusive, both.Verdict);
        Assert.Contains("flips between seeds", both.Reason);
        Assert.Equal(
            Verdict.Supported,
            Assessment.AcrossSeeds(LongRangeExperiment.Rule(), [(1, supported), (2, supported)]).Verdict
        );
    }

    /// <summary>One label count's points; the rule pools whatever counts it is given.</summary>
    static IReadOnlyList<PretrainingExperiment.Point> Fewest(int lstm, int lm, int transformer, int mlm) =>
        [
            new("lstm-scratch", 48, 1, lstm, 400),
            new("lstm-word2vec", 48, 1, 100, 400),
            new("lstm-lm", 48, 1, lm, 400),
            new("transformer-scratch", 48, 1, transformer, 400),
            new("transformer-mlm", 48, 1, mlm, 400),
        ];

    [Fact]
    public void PretrainingIsSupportedWhenBothPretrainedEncodersBeatTheirScratchTwinsBeyondTheIntervals() =>
        Assert.Equal(Verdict.Supported, PretrainingExperiment.Judge(Fewest(120, 200, 110, 190)).Verdict);

    [Fact]
    public void PretrainingIsInconclusiveWhenOnlyOnePretrainedEncoderIsAhead() =>
        Assert.Equal(Verdict.Inconclusive, PretrainingExperiment.Judge(Fewest(120, 200, 110, 115)).Verdict);

    [Fact]
    public void PretrainingIsNotSupportedWhenAScratchModelBeatsItsPretrainedTwin() =>
        Assert.Equal(Verdict.NotSupported, PretrainingExperiment.Judge(Fewest(200, 120, 110, 190)).Verdict);

    [Fact]
    public void PretrainingPoolsTheLabelCountsSoOneTiedCountDoesNotDecide()
    {
        PretrainingExperiment.Point[] at200 =
        [
            new("lstm-scratch", 200, 1, 180, 400),
            new("lstm-word2vec", 200, 1, 180, 400),
            new("lstm-lm", 200, 1, 260, 400),
            new("transformer-scratch", 200, 1, 168, 400),
            new("transformer-mlm", 200, 1, 224, 400),
        ];
        var tiedAt48 = Fewest(156, 156, 156, 196);
        Assert.Equal(Verdict.Inconclusive, PretrainingExperiment.Judge(tiedAt48).Verdict);
        Assert.Equal(Verdict.Supported, PretrainingExperiment.Judge([.. tiedAt48, .. at200]).Verdict);
    }

    [Fact]
    public void VerdictsHaveTheirJsonSpellings()
    {
        Assert.Equal("not_supported", new Assessment(Verdict.NotSupported, "r", "x").Json);
        Assert.Equal("supported", new Assessment(Verdict.Supported, "r", "x").Json);
        Assert.Equal("inconclusive", new Assessment(Verdict.Inconclusive, "r", "x").Json);
    }

    [Fact]
    public void GradientsNeedEveryRecurrentFactorBelowHalfTheTransformers()
    {
        Assert.Equal(
            Verdict.Supported,
            GradientsExperiment
                .Judge(
                    new Dictionary<string, double>
                    {
                        ["rnn"] = 0.004,
                        ["lstm"] = 0.03,
                        ["gru"] = 0.02,
                        ["transformer"] = 0.99,
                    }
                )
                .Verdict
        );
        Assert.Equal(
            Verdict.Inconclusive,
            GradientsExperiment
                .Judge(
                    new Dictionary<string, double>
                    {
                        ["rnn"] = 0.004,
                        ["lstm"] = 0.7,
                        ["gru"] = 0.02,
                        ["transformer"] = 0.99,
                    }
                )
                .Verdict
        );
        Assert.Equal(
            Verdict.NotSupported,
            GradientsExperiment
                .Judge(
                    new Dictionary<string, double>
                    {
                        ["rnn"] = 1.0,
                        ["lstm"] = 0.03,
                        ["gru"] = 0.02,
                        ["transformer"] = 0.99,
                    }
                )
                .Verdict
        );
    }

    [Fact]
    public void AttentionNeedsTheCuesLanguageAndTheCueInTheTopThree()
    {
        Assert.Equal(Verdict.Supported, AttentionExperiment.Judge("suizos", 2, "alemán").Verdict);
        Assert.Equal(Verdict.Supported, AttentionExperiment.Judge("suizos", 2, "francés").Verdict); // Switzerland's
        Assert.Equal(Verdict.Inconclusive, AttentionExperiment.Judge("suizos", 2, "griego").Verdict);
        Assert.Equal(Verdict.NotSupported, AttentionExperiment.Judge("suizos", 9, "alemán").Verdict);
        Assert.Equal(Verdict.Inconclusive, AttentionExperiment.Judge("suizos", 1, "japonés").Verdict);
        Assert.Equal(Verdict.Inconclusive, AttentionExperiment.Judge(null, -1, "alemán").Verdict);
        Assert.Equal(Verdict.Supported, AttentionExperiment.Judge("creta", 1, "griego").Verdict);
    }

    [Fact]
    public void EffectiveContextIsInconclusiveForAnUndertrainedModel()
    {
        var under = EffectiveContextExperiment.Judge(
            new Dictionary<string, (double, double)> { ["lstm"] = (90, 200), ["transformer"] = (70, 200) },
            8,
            64
        );
        Assert.Equal(Verdict.Inconclusive, under.Verdict);
        Assert.Contains("undertrained", under.Reason);
        var trained = new Dictionary<string, (double, double)> { ["lstm"] = (60, 200), ["transformer"] = (70, 200) };
        Assert.Equal(Verdict.Supported, EffectiveContextExperiment.Judge(trained, 8, 64).Verdict);
        Assert.Equal(Verdict.NotSupported, EffectiveContextExperiment.Judge(trained, 64, 64).Verdict);
    }

    [Fact]
    public void ContextNeedsIdenticalStaticAndDifferentContextualVectors()
    {
        Assert.Equal(
            Verdict.Supported,
            ContextExperiment
                .Judge(1.0, new Dictionary<string, double> { ["lstm"] = 0.95, ["transformer"] = 0.97 })
                .Verdict
        );
        Assert.Equal(
            Verdict.Inconclusive,
            ContextExperiment
                .Judge(1.0, new Dictionary<string, double> { ["lstm"] = 0.9995, ["transformer"] = 0.97 })
                .Verdict
        );
        Assert.Equal(
            Verdict.NotSupported,
            ContextExperiment
                .Judge(1.0, new Dictionary<string, double> { ["lstm"] = 1.0, ["transformer"] = 0.97 })
                .Verdict
        );
    }

    [Fact]
    public void ParallelismCountsMustBeNForRecurrenceAndOneForAttention()
    {
        int[] ns = [4, 8];
        Assert.Equal(
            Verdict.Supported,
            ParallelismExperiment
                .Judge(ns, new Dictionary<string, long[]> { ["lstm"] = [4, 8], ["self-attention"] = [1, 1] })
                .Verdict
        );
        Assert.Equal(
            Verdict.NotSupported,
            ParallelismExperiment
                .Judge(ns, new Dictionary<string, long[]> { ["lstm"] = [4, 7], ["self-attention"] = [1, 1] })
                .Verdict
        );
    }
}
