using SeqLab.Data;
using SeqLab.Figures;
using SeqLab.Inference;
using SeqLab.IO;
using SeqLab.Lab.Report;
using SeqLab.Models;
using SeqLab.Training;

namespace SeqLab.Lab;

/// <summary>
/// How much context a language model really uses (Khandelwal et al. 2018, "Sharp Nearby, Fuzzy Far
/// Away"): at test time, keep the last k tokens and truncate (drop) or shuffle everything before
/// them, and measure how much the loss of the next token rises. An LSTM and a Transformer LM trained
/// on the same real Spanish text with the same budget.
/// </summary>
public static class EffectiveContextExperiment
{
    public static readonly ModelFamily[] Families = [ModelFamily.Lstm, ModelFamily.Transformer];
    static readonly string[] Names = [.. Families.Select(f => f.Name())];

    /// <summary>The quality a language model must reach before its use of context means anything: perplexity ≤ 0.4 ×
    /// the unigram baseline's.</summary>
    public const double QualityGate = 0.4;

    /// <summary>The verdict's rule, in words.</summary>
    public static string Rule(Texts? t = null) => (t ?? Texts.English)["effective-context.rule"];

    /// <summary>The rule for one seed: each model's perplexity and unigram perplexity, and the LSTM's effective context
    /// (k) against the window.</summary>
    public static Assessment Judge(
        IReadOnlyDictionary<string, (double Perplexity, double Unigram)> quality,
        int lstmEffectiveK,
        int window,
        Texts? t = null
    )
    {
        t ??= Texts.English;
        var under = quality.Where(q => q.Value.Perplexity > QualityGate * q.Value.Unigram).ToList();
        if (under.Count > 0)
            return new(
                Verdict.Inconclusive,
                Rule(t),
                t[
                    "effective-context.undertrained",
                    string.Join(
                        ", ",
                        under.Select(q =>
                            t[
                                "effective-context.above-gate",
                                q.Key,
                                q.Value.Perplexity,
                                QualityGate,
                                q.Value.Unigram,
                                QualityGate * q.Value.Unigram
                            ]
                        )
                    )
                ]
            );
        string ok = string.Join(
            ", ",
            quality.Select(q =>
                t["effective-context.below-gate", q.Key, q.Value.Perplexity, QualityGate * q.Value.Unigram]
            )
        );
        return lstmEffectiveK < window
            ? new(Verdict.Supported, Rule(t), t["effective-context.judge.for", ok, lstmEffectiveK, window])
            : new(Verdict.NotSupported, Rule(t), t["effective-context.judge.against", ok, window]);
    }

    /// <summary>Mean loss of the token after each window, the windows perturbed beyond the last k tokens.</summary>
    public static double Loss(
        LoadedModel m,
        IReadOnlyList<long[]> windows,
        IReadOnlyList<long> targets,
        int k,
        string perturbation,
        int seed
    )
    {
        var rng = new Random(seed);
        var inputs = windows
            .Select(w =>
            {
                if (k >= w.Length)
                    return w;
                if (perturbation == "truncate")
                    return w[^k..];
                var far = w[..^k].ToArray();
                LanguageModelData.Shuffle(far, rng);
                return far.Concat(w[^k..]).ToArray();
            })
            .ToList();
        bool wasTraining = m.Model.training;
        m.Model.eval();
        double sum = 0;
        using (no_grad())
            for (int b = 0; b < inputs.Count; b += 64)
            {
                using var scope = NewDisposeScope();
                var chunk = inputs.Skip(b).Take(64).ToList();
                var x = tensor(chunk.SelectMany(r => r).ToArray(), [chunk.Count, chunk[0].Length]);
                var logits = ((LanguageModel)m.Model).LastLogits(x); // (B, V)
                var y = tensor(targets.Skip(b).Take(chunk.Count).ToArray());
                sum += nn.functional.cross_entropy(logits, y, reduction: nn.Reduction.Sum).item<float>();
            }
        m.Model.train(wasTraining);
        return sum / inputs.Count;
    }

    public static LabResult Run(LabSession s)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (corpus, problem) = Corpus.Resolve(s);
        var t = s.T;
        string title = t["effective-context.title"],
            claim = t["effective-context.claim"];
        if (corpus is null)
            return LabResult.Skip("effective-context", title, claim, problem, clock.Elapsed.TotalSeconds, t);

        int L = CorpusModels.ContextLength(s);
        var ks = Enumerable.Range(0, 12).Select(i => 1 << i).Where(k => k < L).Append(L).ToArray();
        var m = Measure(s, corpus, L, ks);
        var (increases, baseline, effective, perSeed, quality, trainedFor) = (
            m.Increases,
            m.Baseline,
            m.Effective,
            m.PerSeed,
            m.Quality,
            m.TrainedFor
        );
        var assessment = Assessment.AcrossSeeds(Rule(t), perSeed, t);
        var xs = ks.Select(k => (double)k).ToArray();
        string Series(string f, string perturbation) => $"{f}, {t[$"effective-context.{perturbation}"]}";
        var plot = Plots.Lines(
            s.PlotPath("effective-context"),
            t["effective-context.plot.title", L],
            t["effective-context.plot.x"],
            t["effective-context.plot.y"],
            Names.SelectMany(f => increases[f].Select(p => new Plots.Series(Series(f, p.Key), xs, p.Value))),
            logX: true,
            reference: (0, t["effective-context.plot.no-change"])
        );
        var table = new List<string[]>
        {
            new[] { t["table.model"], t["effective-context.table.full"] }.Concat(ks.Select(k => $"k={k}")).ToArray(),
        };
        var zero = 0.0.ToString("F3", t.Culture);
        foreach (var f in Names)
        foreach (var (p, v) in increases[f])
            table.Add(
                new[] { Series(f, p), baseline[f].ToString("F3", t.Culture) }
                    .Concat(v.Select(x => Math.Abs(x) < 0.0005 ? zero : x.ToString("+0.000;-0.000", t.Culture)))
                    .ToArray()
            );
        var finding =
            t[
                "effective-context.finding",
                corpus.Description,
                L,
                string.Join(
                    "; ",
                    Names.Select(f =>
                        t[
                            "effective-context.model",
                            f,
                            effective[f]["truncate"],
                            effective[f]["shuffle"],
                            increases[f]["truncate"][0]
                        ]
                    )
                ),
                string.Join(
                    "; ",
                    quality.Select(q =>
                        t[
                            "effective-context.seed-quality",
                            q.Key,
                            string.Join(
                                ", ",
                                q.Value.Select(v =>
                                    t["effective-context.quality", v.Key, v.Value.Perplexity, v.Value.Unigram]
                                )
                            )
                        ]
                    )
                ),
                string.Join(
                    ", ",
                    s.Seeds.SelectMany(seed =>
                        Names.Select(f =>
                            t["effective-context.trained", f, seed, s.Trained[$"corpus/{f}/seed{seed}"].Steps]
                        )
                    )
                )
            ] + assessment.Closing(t);
        return new LabResult(
            "effective-context",
            title,
            claim,
            finding,
            [plot],
            table,
            new
            {
                corpus = corpus.Description,
                window = L,
                k = ks,
                full_context_loss = baseline,
                loss_increase = increases,
                effective_k = effective,
                seeds = s.Seeds,
                quality_gate = QualityGate,
                quality = quality.ToDictionary(
                    q => q.Key.ToString(),
                    q =>
                        q.Value.ToDictionary(
                            v => v.Key,
                            v => new { perplexity = v.Value.Perplexity, unigram_perplexity = v.Value.Unigram }
                        )
                ),
                trained_for = trainedFor,
                verdicts_per_seed = Assessment.PerSeedJson(perSeed),
            },
            clock.Elapsed.TotalSeconds,
            Assessment: assessment
        );
    }

    /// <summary>Per family and seed: held-out quality, the loss increase under each perturbation at each k, and the
    /// effective k.</summary>
    sealed record Measured(
        Dictionary<string, Dictionary<string, double[]>> Increases,
        Dictionary<string, double> Baseline,
        Dictionary<string, Dictionary<string, int>> Effective,
        List<(int Seed, Assessment A)> PerSeed,
        Dictionary<int, Dictionary<string, (double Perplexity, double Unigram)>> Quality,
        Dictionary<string, object> TrainedFor
    );

    static Measured Measure(LabSession s, Corpus.Files corpus, int L, int[] ks)
    {
        var increases = new Dictionary<string, Dictionary<string, double[]>>();
        var baseline = new Dictionary<string, double>();
        var effective = new Dictionary<string, Dictionary<string, int>>();
        var perSeed = new List<(int Seed, Assessment A)>();
        var quality = new Dictionary<int, Dictionary<string, (double Perplexity, double Unigram)>>();
        var trainedFor = new Dictionary<string, object>();
        foreach (var seed in s.Seeds)
        {
            quality[seed] = [];
            var effectiveK = new Dictionary<string, int>();
            foreach (var f in Families)
            {
                var family = f.Name();
                s.Log($"effective-context: {family}, seed {seed}");
                var m = CorpusModels.Train(s, f, TaskKind.Lm, corpus.Train, seed);
                trainedFor[$"{family}/seed{seed}"] = new
                {
                    steps = m.Manifest.State.Step,
                    seconds = m.Manifest.State.ElapsedSeconds,
                };
                var stream = LanguageModelData.Encode(TextSource.ReadLines(corpus.Test), m.Tokenizer, m.Vocabulary);
                int n = Math.Min(s.Pick(20, 400, 2000), stream.Length - L - 1);
                if (n < 1)
                    throw new SeqLabInputException(
                        $"the held-out text has {stream.Length} tokens; the experiment needs more than {L + 1}."
                    );
                var heldOut = LanguageModelData.Batches(stream, L, 32).ToList();
                quality[seed][family] = (
                    Validation.Evaluate(m.Model, heldOut).Perplexity,
                    Evaluator.UnigramPerplexity(m.Vocabulary, heldOut)
                );
                var starts = Enumerable.Range(0, n).Select(i => (int)((long)i * (stream.Length - L - 1) / n)).ToList();
                var windows = starts.Select(o => stream[o..(o + L)]).ToList();
                var targets = starts.Select(o => stream[o + L]).ToList();
                double full = Loss(m, windows, targets, L, "truncate", seed);
                var inc = new[] { "truncate", "shuffle" }.ToDictionary(
                    p => p,
                    p => ks.Select(k => Loss(m, windows, targets, k, p, seed + k) - full).ToArray()
                );
                // The smallest k whose perturbation costs less than 1% of the full-context loss.
                var eff = inc.ToDictionary(p => p.Key, p => ks[Array.FindIndex(p.Value, v => v < 0.01 * full)]);
                effectiveK[family] = eff["truncate"];
                if (seed == s.Seeds[0]) // the figure shows the first seed
                    (baseline[family], increases[family], effective[family]) = (full, inc, eff);
            }
            perSeed.Add((seed, Judge(quality[seed], effectiveK[ModelFamily.Lstm.Name()], L, s.T)));
        }
        return new Measured(increases, baseline, effective, perSeed, quality, trainedFor);
    }
}
