using SeqLab.Data.Generated;
using SeqLab.Figures;
using SeqLab.IO;
using SeqLab.Lab.Report;
using SeqLab.Models;
using SeqLab.Training;

namespace SeqLab.Lab;

/// <summary>
/// Vanishing gradients, measured (Bengio et al. 1994; Pascanu et al. 2013): ‖∂L/∂x_t‖, the gradient of
/// the loss at the end of a long-range example with respect to the embedding of the word at position t,
/// against the distance T − t, for each family untrained and trained; the fitted exponential decay
/// rate says how fast a recurrent network's memory of early words fades in the learning signal.
/// </summary>
public static class GradientsExperiment
{
    /// <summary>Mean ‖∂L/∂x_t‖ over examples, indexed by distance from the last token (0 = last).</summary>
    public static double[] GradientByDistance(LoadedModel m, IReadOnlyList<(string Label, string Text)> examples)
    {
        var classifier = (SequenceClassifier)m.Model;
        bool wasTraining = classifier.training;
        classifier.eval();
        var rows = new List<double[]>();
        foreach (var (label, text) in examples)
        {
            using var scope = NewDisposeScope();
            var ids = m.Vocabulary.Encode(m.Tokenizer.Tokenize(text));
            var x = classifier.Embedding.call(tensor(ids, [1, ids.Length])).detach().requires_grad_(true); // (1, T, E)
            var logits = classifier.Classify(x, null); // (1, C)
            var loss = nn.functional.cross_entropy(logits, tensor(new long[] { m.Config.Labels.IndexOf(label) }));
            loss.backward();
            var norms = x.grad![0].norm(1, keepdim: false).data<float>().ToArray(); // (T): ‖∂L/∂x_t‖
            rows.Add(norms.Reverse().Select(v => (double)v).ToArray()); // index = T − 1 − t
            foreach (var p in classifier.parameters())
                p.grad = null;
        }
        classifier.train(wasTraining);
        int span = rows.Min(r => r.Length);
        return Enumerable.Range(0, span).Select(k => rows.Average(r => r[k])).ToArray();
    }

    /// <summary>b in ln g(k) ≈ a − b·k (least squares over k ≥ 1): the decay per token of distance.</summary>
    public static double DecayRate(double[] g)
    {
        var pts = g.Select((v, k) => (k: (double)k, y: Math.Log(Math.Max(v, 1e-30)))).Skip(1).ToArray();
        double mk = pts.Average(p => p.k),
            my = pts.Average(p => p.y);
        return -pts.Sum(p => (p.k - mk) * (p.y - my)) / pts.Sum(p => (p.k - mk) * (p.k - mk));
    }

    /// <summary>The distance of the probed examples: inside the long-range models' training range.</summary>
    public static int Distance(LabSession s) => s.Pick(20, 100, 200);

    /// <summary>The verdict's rule, in words.</summary>
    public static string Rule(Texts? t = null) => (t ?? Texts.English)["gradients.rule"];

    /// <summary>The rule on the factors per 10 tokens of distance at initialization (family → factor).</summary>
    public static Assessment Judge(IReadOnlyDictionary<string, double> factorPer10Tokens, Texts? texts = null)
    {
        var x = texts ?? Texts.English;
        double t = factorPer10Tokens[ModelFamily.Transformer.Name()];
        var recurrent = factorPer10Tokens.Where(p => p.Key != ModelFamily.Transformer.Name()).ToList();
        string numbers = string.Join(", ", factorPer10Tokens.Select(p => x["gradients.factor", p.Key, p.Value]));
        if (recurrent.FirstOrDefault(p => p.Value >= t) is { Key: not null } worse)
            return new(Verdict.NotSupported, Rule(x), x["gradients.judge.against", worse.Key, numbers]);
        if (recurrent.All(p => p.Value < t / 2))
            return new(Verdict.Supported, Rule(x), x["gradients.judge.for", numbers]);
        return new(Verdict.Inconclusive, Rule(x), x["gradients.judge.close", numbers]);
    }

    public static LabResult Run(LabSession s)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int distance = Distance(s);
        var untrained = new Dictionary<string, double[]>();
        var trained = new Dictionary<string, double[]>();
        var perSeed = new List<(int Seed, Assessment A)>();
        var factorsPerSeed = new Dictionary<int, Dictionary<string, double>>();
        var initialFactors = new Dictionary<int, Dictionary<string, double>>();
        int exampleCount = 0;
        foreach (var seed in s.Seeds)
        {
            var data = LongRangeExperiment.Data(s, seed);
            var examples = LongRange
                .Generate(s.Pick(3, 8, 16), distance, seed * 7919 + 3)
                .Select(e => (e.Language, e.Text))
                .ToList();
            exampleCount = examples.Count;
            foreach (var f in LongRangeExperiment.Families)
            {
                var family = f.Name();
                s.Log($"gradients: {family}, seed {seed}");
                var m = LongRangeExperiment.Train(s, f, seed, data);
                var g = GradientByDistance(m, examples);
                manual_seed(seed);
                // The same architecture with fresh weights.
                var fresh = m with
                {
                    Model = ModelFactory.Create(m.Config.Clone()),
                };
                var g0 = GradientByDistance(fresh, examples);
                fresh.Model.Dispose();
                // The figure shows the first seed; the verdict reads every seed.
                if (seed == s.Seeds[0])
                    (trained[family], untrained[family]) = (g, g0);
                factorsPerSeed.TryAdd(seed, []);
                factorsPerSeed[seed][family] = Math.Exp(-10 * DecayRate(g));
                initialFactors.TryAdd(seed, []);
                initialFactors[seed][family] = Math.Exp(-10 * DecayRate(g0));
            }
            perSeed.Add((seed, Judge(initialFactors[seed], s.T)));
        }
        var t = s.T;
        var assessment = Assessment.AcrossSeeds(Rule(t), perSeed, t);
        var decayUntrained = untrained.ToDictionary(p => p.Key, p => DecayRate(p.Value));
        var decayTrained = trained.ToDictionary(p => p.Key, p => DecayRate(p.Value));
        Plots.Series[] Series(Dictionary<string, double[]> g, Dictionary<string, double> b) =>
            g.Select(p => new Plots.Series(
                    t["gradients.plot.series", p.Key, Math.Exp(-10 * b[p.Key])],
                    Enumerable.Range(0, p.Value.Length).Select(k => (double)k).ToArray(),
                    p.Value
                ))
                .ToArray();
        var plots = new List<string>
        {
            Plots.Lines(
                s.PlotPath("gradients-untrained"),
                t["gradients.plot.untrained"],
                t["gradients.plot.x"],
                t["gradients.plot.y"],
                Series(untrained, decayUntrained),
                logY: true
            ),
            Plots.Lines(
                s.PlotPath("gradients-trained"),
                t["gradients.plot.trained", s.Seeds[0]],
                t["gradients.plot.x"],
                t["gradients.plot.y"],
                Series(trained, decayTrained),
                logY: true
            ),
        };
        var table = new List<string[]>
        {
            new[] { t["table.model"], t["gradients.table.untrained"] }
                .Concat(s.Seeds.Select(seed => t["gradients.table.trained", seed]))
                .Append(t["gradients.table.ratio"])
                .ToArray(),
        };
        foreach (var f in LongRangeExperiment.Families.Select(f => f.Name()))
            table.Add(
                new[] { f, Math.Exp(-10 * decayUntrained[f]).ToString("G3") }
                    .Concat(s.Seeds.Select(seed => factorsPerSeed[seed][f].ToString("G3")))
                    .Append((trained[f][0] / trained[f][^1]).ToString("G3"))
                    .ToArray()
            );
        string Factors(Dictionary<string, double> decay) =>
            string.Join(
                ", ",
                LongRangeExperiment
                    .Families.Select(f => f.Name())
                    .Select(f => string.Create(t.Culture, $"{f} {Math.Exp(-10 * decay[f]):G2}"))
            );
        var finding =
            t[
                "gradients.finding",
                untrained.First().Value.Length,
                Factors(decayUntrained),
                Factors(decayTrained),
                s.Seeds[0]
            ] + assessment.Closing(t);
        return new LabResult(
            "gradients",
            t["gradients.title"],
            t["gradients.claim"],
            finding,
            plots,
            table,
            new
            {
                distance,
                examples = exampleCount,
                seeds = s.Seeds,
                untrained,
                trained,
                decay_per_token_untrained = decayUntrained,
                decay_per_token_trained = decayTrained,
                factor_per_10_tokens_trained = factorsPerSeed.ToDictionary(p => p.Key.ToString(), p => p.Value),
                factor_per_10_tokens_untrained = initialFactors.ToDictionary(p => p.Key.ToString(), p => p.Value),
                verdicts_per_seed = Assessment.PerSeedJson(perSeed),
            },
            clock.Elapsed.TotalSeconds,
            Assessment: assessment
        );
    }
}
