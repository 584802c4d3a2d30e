using SeqLab.Data;
using SeqLab.Data.Generated;
using SeqLab.Figures;
using SeqLab.Inference;
using SeqLab.IO;
using SeqLab.Lab.Report;
using SeqLab.Models;
using SeqLab.Training;

namespace SeqLab.Lab;

/// <summary>
/// The lecture's long-range claim, measured: RNN, LSTM, GRU and Transformer classifiers with the same
/// parameter budget (±10%) and the same number of training steps learn to fill "… hablar fluidamente
/// [???]" from a cue 10…200 tokens earlier (10…1 000 at full scale). One model per family learns every
/// distance at once; its held-out accuracy is read per distance bucket, with a 95% Wilson interval,
/// beside chance and two bag-of-words baselines (without the cue: must stay at chance — no shortcut;
/// with it: order-free, every word one step away). Repeated for each seed of the session.
/// </summary>
public static class LongRangeExperiment
{
    public static readonly ModelFamily[] Families =
    [
        ModelFamily.Rnn,
        ModelFamily.Lstm,
        ModelFamily.Gru,
        ModelFamily.Transformer,
    ];
    static readonly string[] Names = [.. Families.Select(f => f.Name())];

    /// <summary>The verdict's rule, in words.</summary>
    public static string Rule(Texts? t = null) => (t ?? Texts.English)["long-range.rule"];

    /// <summary>The shortest and longest cue-to-blank distance the models learn and are tested on.</summary>
    public static (int Min, int Max) Range(LabSession s) => s.Pick((5, 40), (10, 200), (10, 1000));

    /// <summary>Equal-width distance buckets over <see cref="Range"/>: the points of the accuracy curve.</summary>
    public static IReadOnlyList<(int Low, int High)> Buckets(LabSession s)
    {
        var (min, max) = Range(s);
        int count = s.Pick(8, 8, 10);
        return Enumerable
            .Range(0, count)
            .Select(i => (min + (max - min) * i / count + (i == 0 ? 0 : 1), min + (max - min) * (i + 1) / count))
            .ToArray();
    }

    /// <summary>Training steps per model, the same for every family: the budget is steps (examples seen), not
    /// seconds.</summary>
    public static long Steps(LabSession s) => s.Pick(8, 200, 400);

    public sealed record Split(
        string Train,
        string Valid,
        List<LongRange.Example> TrainExamples,
        IReadOnlyList<List<LongRange.Example>> Test
    );

    /// <summary>A seed's data: fresh training examples for every step (one pass), a validation set, and a test set per
    /// bucket.</summary>
    public static Split Data(LabSession s, int seed)
    {
        var (min, max) = Range(s);
        var options = Training(s);
        int n = (int)(options.Steps!.Value * options.BatchSize);
        var train = LongRange.Generate(n, min, max, seed * 7919 + 1);
        var valid = LongRange.Generate(s.Pick(40, 200, 400), min, max, seed * 7919 + 2);
        var test = Buckets(s)
            .Select((b, i) => LongRange.Generate(s.Pick(24, 100, 100), b.Low, b.High, seed * 7919 + 100 + i))
            .ToList();
        string Write(string name, List<LongRange.Example> examples)
        {
            var path = s.DataPath($"long-range-seed{seed}-{name}.tsv");
            AtomicFile.WriteAllText(path, string.Join('\n', examples.Select(e => $"{e.Language}\t{e.Text}")) + "\n");
            return path;
        }
        return new Split(Write("train", train), Write("valid", valid), train, test);
    }

    /// <summary>
    /// d = 64, 2 layers for every family, each read out at the blank: the recurrent families' last state,
    /// the Transformer's last position (4 heads, feed-forward 128, pre-LN), so the cue must travel to the
    /// blank through the architecture (through 10…200 steps of recurrence, or one step of attention).
    /// No dropout: every example is fresh, so there is nothing to overfit.
    /// </summary>
    public static ModelConfig Config(LabSession s, ModelFamily family)
    {
        int d = s.Pick(16, 64, 64);
        return new ModelConfig
        {
            Family = family,
            Task = TaskKind.Classify,
            EmbedDim = d,
            HiddenSize = d,
            NumLayers = 2,
            Heads = s.Pick(2, 4, 4),
            FfDim = 2 * d,
            Pooling = Pooling.Last,
            NormFirst = family == ModelFamily.Transformer,
            MinCount = 1,
            MaxLength = Range(s).Max + 64,
            Dropout = 0,
        };
    }

    /// <summary>
    /// The recipe (README: "What makes the Transformer learn it fast"): AdamW 5e-3, 30 warm-up steps,
    /// batches of similar length, and a curriculum from the shortest distances to the longest.
    /// </summary>
    public static TrainingOptions Training(LabSession s) =>
        new()
        {
            LearningRate = 5e-3,
            WarmupSteps = s.Pick(2, 30, 50),
            BatchSize = 32,
            LengthBuckets = true,
            Curriculum = true,
            Steps = Steps(s),
            EvalInterval = (int)Steps(s),
            Patience = 0,
        };

    /// <summary>Trains one family for one seed with the shared budget (cached in the session, and across
    /// runs).</summary>
    public static LoadedModel Train(LabSession s, ModelFamily family, int seed, Split data)
    {
        var config = Config(s, family);
        // Size every family to the Transformer's parameter count, measured with this data's vocabulary.
        var sized = config.Clone();
        TrainingRun.PrepareData(sized, new TrainingOptions(), data.Train, data.Valid); // fills vocab_size and labels
        if (family != ModelFamily.Transformer)
        {
            config.VocabSize = sized.VocabSize;
            config.Labels = sized.Labels;
            var reference = Config(s, ModelFamily.Transformer);
            reference.VocabSize = sized.VocabSize;
            reference.Labels = sized.Labels;
            config.HiddenSize = ParameterBudget.HiddenSizeFor(config, ParameterBudget.Count(reference)).HiddenSize;
        }
        return s.Model($"long-range/{family.Name()}", config, Training(s), data.Train, data.Valid, seed);
    }

    /// <summary>
    /// The playground's models: the given families trained by this experiment's recipe for one seed (once;
    /// a later call with the same session folder loads them).
    /// </summary>
    public static List<LoadedModel> Models(LabSession s, int seed, params ModelFamily[] families)
    {
        var data = Data(s, seed);
        return families.Select(f => Train(s, f, seed, data)).ToList();
    }

    /// <summary>How many of <paramref name="examples"/> the model answers right (any language of the cue's place: one,
    /// or Switzerland's three).</summary>
    public static int Correct(LoadedModel m, IReadOnlyList<LongRange.Example> examples) =>
        Evaluator.Labels(m, examples.Select(e => e.Text)).Zip(examples).Count(p => p.Second.Answers.Contains(p.First));

    /// <summary>One point of the curve: a family's accuracy in one distance bucket for one seed, with its 95% Wilson
    /// interval.</summary>
    public sealed record Point(
        string Family,
        int Bucket,
        double Distance,
        double Accuracy,
        double Low,
        double High,
        int Seed,
        int Correct,
        int Examples
    );

    /// <summary>The rule, for one seed, on the farthest bucket's points (one per family).</summary>
    public static Assessment Judge(IReadOnlyList<Point> farthest, double chance, Texts? texts = null)
    {
        var x = texts ?? Texts.English;
        var t = farthest.Single(p => p.Family == ModelFamily.Transformer.Name());
        var recurrent = farthest.Where(p => p.Family != ModelFamily.Transformer.Name()).ToList();
        string Show(Point p) => x["long-range.point", p.Family, p.Accuracy, p.Low, p.High];
        string numbers = x["long-range.numbers", t.Distance, string.Join(", ", farthest.Select(Show)), chance];
        if (recurrent.FirstOrDefault(r => r.Low > t.High) is { } better)
            return new(Verdict.NotSupported, Rule(x), x["long-range.judge.against", better.Family, numbers]);
        if (t.Low > chance && recurrent.All(r => t.Low > r.High))
            return new(Verdict.Supported, Rule(x), x["long-range.judge.for", numbers]);
        return new(Verdict.Inconclusive, Rule(x), x["long-range.judge.overlap", numbers]);
    }

    // Baselines' keys in the curve (the table and plot show them in the session's language).
    const string NoCue = "bow-no-cue",
        WithCue = "bow-cue";

    /// <summary>Everything measured over the seeds: the families' curve, the bag-of-words baselines, sizes and training
    /// times.</summary>
    sealed record Measured(
        List<Point> Curve,
        List<Point> BowNoCue,
        List<Point> BowCue,
        Dictionary<string, long> Parameters,
        Dictionary<string, List<double>> Seconds,
        List<(int Seed, Assessment A)> PerSeed
    );

    public static LabResult Run(LabSession s)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var buckets = Buckets(s);
        double chance = LongRange.Chance;
        var t = s.T;
        var m = Measure(s, buckets.Count, chance);
        var assessment = Assessment.AcrossSeeds(Rule(t), m.PerSeed, t);

        // The figure and table: each family's accuracy per bucket, pooled over seeds (mean; interval of the pooled
        // counts).
        var pooled = Names
            .Select(f => (f, Pooled(m.Curve.Where(p => p.Family == f), f).ToList()))
            .Append((NoCue, Pooled(m.BowNoCue, "").ToList()))
            .Append((WithCue, Pooled(m.BowCue, "").ToList()))
            .ToDictionary(l => l.Item1, l => l.Item2);
        var plot = Plots.Lines(
            s.PlotPath("long-range-accuracy"),
            t[s.Seeds.Count > 1 ? "long-range.plot.title-seeds" : "long-range.plot.title", s.Seeds.Count],
            t["long-range.plot.x"],
            t["long-range.plot.y"],
            pooled.Select(l => new Plots.Series(
                l.Key is NoCue or WithCue ? t[$"long-range.{l.Key}"] : l.Key,
                l.Value.Select(p => p.Distance).ToArray(),
                l.Value.Select(p => p.Accuracy).ToArray(),
                l.Value.Select(p => p.Low).ToArray(),
                l.Value.Select(p => p.High).ToArray()
            )),
            reference: (chance, t["long-range.plot.chance", chance])
        );
        var budget = Training(s);
        return new LabResult(
            "long-range",
            t["long-range.title"],
            t["long-range.claim"],
            Finding(s, m, pooled, chance, assessment),
            [plot],
            Table(t, m, pooled, buckets.Count),
            new
            {
                range = new[] { Range(s).Min, Range(s).Max },
                buckets = buckets.Select(b => new[] { b.Low, b.High }),
                seeds = s.Seeds,
                curve = m.Curve.Select(p => new
                {
                    family = p.Family,
                    distance = p.Distance,
                    accuracy = p.Accuracy,
                    low = p.Low,
                    high = p.High,
                    seed = p.Seed,
                    examples = p.Examples,
                }),
                baselines = m
                    .BowNoCue.Concat(m.BowCue)
                    .Select(p => new
                    {
                        name = p.Family,
                        distance = p.Distance,
                        accuracy = p.Accuracy,
                        low = p.Low,
                        high = p.High,
                        seed = p.Seed,
                    }),
                parameters = m.Parameters,
                chance,
                budget_steps = budget.Steps,
                batch_size = budget.BatchSize,
                training_seconds = m.Seconds,
                bag_of_words_no_cue = m.BowNoCue.Select(p => p.Accuracy),
                bag_of_words_with_cue = m.BowCue.Select(p => p.Accuracy),
                verdicts_per_seed = Assessment.PerSeedJson(m.PerSeed),
            },
            clock.Elapsed.TotalSeconds,
            Assessment: assessment
        );
    }

    /// <summary>For each seed: the bag-of-words baselines and every family's accuracy in every distance bucket, and the
    /// seed's verdict.</summary>
    static Measured Measure(LabSession s, int buckets, double chance)
    {
        var m = new Measured([], [], [], [], [], []);
        var splits = s.Seeds.ToDictionary(seed => seed, seed => Data(s, seed));
        // Every (seed, family) model trains and is tested on its own (no dropout), several at a time.
        var jobs = s
            .Seeds.SelectMany(seed => Families.Select(family => (Seed: seed, Family: family)))
            .Select(job =>
                (Func<(LoadedModel Model, int[] Correct)>)(
                    () =>
                    {
                        s.Log($"long-range: {job.Family.Name()}, seed {job.Seed}");
                        var model = Train(s, job.Family, job.Seed, splits[job.Seed]);
                        return (model, splits[job.Seed].Test.Select(test => Correct(model, test)).ToArray());
                    }
                )
            )
            .ToList();
        var done = s.Concurrently(jobs);
        int next = 0;
        foreach (var seed in s.Seeds)
        {
            var data = splits[seed];
            for (int b = 0; b < buckets; b++)
            {
                m.BowNoCue.Add(Baseline(NoCue, data, b, seed, e => e.TextWithoutCue));
                m.BowCue.Add(Baseline(WithCue, data, b, seed, e => e.Text));
            }
            foreach (var family in Families)
            {
                var f = family.Name();
                var (model, correct) = done[next++];
                m.Parameters[f] = model.Model.UniqueParameters().Sum(p => p.numel());
                m.Seconds.TryAdd(f, []);
                m.Seconds[f].Add(model.Manifest.State.ElapsedSeconds);
                for (int b = 0; b < buckets; b++)
                    m.Curve.Add(At(f, b, data.Test[b], seed, correct[b]));
            }
            var farthest = Names
                .Select(f => m.Curve.Single(p => p.Seed == seed && p.Family == f && p.Bucket == buckets - 1))
                .ToList();
            m.PerSeed.Add((seed, Judge(farthest, chance, s.T)));
        }
        return m;
    }

    /// <summary>A bag-of-words classifier's point on one bucket: trained on the training texts as <paramref
    /// name="text"/> shows them.</summary>
    static Point Baseline(string name, Split data, int bucket, int seed, Func<LongRange.Example, string> text)
    {
        var test = data.Test[bucket];
        var bow = new BagOfWords().Fit(data.TrainExamples.Select(e => (e.Language, text(e))));
        int correct = test.Count(e => e.Answers.Contains(bow.Predict(text(e))));
        return At(name, bucket, test, seed, correct);
    }

    static Point At(string name, int bucket, IReadOnlyList<LongRange.Example> test, int seed, int correct)
    {
        var (lo, hi) = Wilson.Interval(correct, test.Count);
        return new Point(
            name,
            bucket,
            test.Average(e => e.Distance),
            (double)correct / test.Count,
            lo,
            hi,
            seed,
            correct,
            test.Count
        );
    }

    /// <summary>One point per bucket with every seed's examples counted together.</summary>
    static IEnumerable<Point> Pooled(IEnumerable<Point> points, string name) =>
        points
            .GroupBy(p => p.Bucket)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                int c = g.Sum(p => p.Correct),
                    n = g.Sum(p => p.Examples);
                var (lo, hi) = Wilson.Interval(c, n);
                return new Point(name, g.Key, g.Average(p => p.Distance), (double)c / n, lo, hi, 0, c, n);
            });

    static List<string[]> Table(Texts t, Measured m, Dictionary<string, List<Point>> pooled, int buckets)
    {
        string Cell(string family, int b)
        {
            var points = m.Curve.Where(p => p.Family == family && p.Bucket == b).ToList();
            double mean = points.Average(p => p.Accuracy);
            return points.Count == 1
                ? $"{mean:P0}"
                : $"{mean:P0} ({points.Min(p => p.Accuracy):P0}–{points.Max(p => p.Accuracy):P0})";
        }
        var table = new List<string[]>
        {
            new[] { t["table.model"], t["table.parameters"] }
                .Concat(pooled[ModelFamily.Transformer.Name()].Select(p => $"d≈{p.Distance:F0}"))
                .ToArray(),
        };
        foreach (var f in Names)
            table.Add(
                new[] { f, m.Parameters[f].ToString("N0") }
                    .Concat(Enumerable.Range(0, buckets).Select(b => Cell(f, b)))
                    .ToArray()
            );
        foreach (var name in new[] { NoCue, WithCue })
            table.Add(
                new[] { t[$"long-range.{name}"], "–" }.Concat(pooled[name].Select(p => $"{p.Accuracy:P0}")).ToArray()
            );
        return table;
    }

    static string Finding(
        LabSession s,
        Measured m,
        Dictionary<string, List<Point>> pooled,
        double chance,
        Assessment assessment
    )
    {
        var t = s.T;
        var far = Names.ToDictionary(f => f, f => pooled[f][^1]);
        string Describe(string f) =>
            far[f].Low <= chance && chance <= far[f].High
                ? t["long-range.at-chance", f, far[f].Accuracy]
                : t["long-range.point", f, far[f].Accuracy, far[f].Low, far[f].High];
        var best = Names.FirstOrDefault(f => Names.Where(o => o != f).All(o => far[f].Low > far[o].High));
        var budget = Training(s);
        string transformer = ModelFamily.Transformer.Name();
        return t[
                "long-range.finding",
                far[transformer].Distance,
                string.Join(", ", Names.Select(Describe)),
                best is null ? t["long-range.no-best"] : t["long-range.best", best],
                chance,
                m.BowNoCue.Average(p => p.Accuracy),
                m.BowCue.Average(p => p.Accuracy),
                budget.Steps,
                budget.BatchSize,
                string.Join(", ", Names.Select(f => t["seconds.of", f, m.Seconds[f].Average()])),
                m.Parameters[transformer]
            ] + assessment.Closing(t);
    }
}
