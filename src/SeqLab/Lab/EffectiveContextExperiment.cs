using SeqLab.Models;
using SeqLab.Reports;
using SeqLab.Text;
using SeqLab.Training;
using static TorchSharp.torch;

namespace SeqLab.Lab;

/// <summary>
/// How much context a language model really uses (Khandelwal et al. 2018, "Sharp Nearby, Fuzzy Far
/// Away"): at test time, keep the last k tokens and truncate (drop) or shuffle everything before
/// them, and measure how much the loss of the next token rises. An LSTM and a Transformer LM trained
/// on the same real Spanish text with the same budget.
/// </summary>
public static class EffectiveContextExperiment
{
    public static readonly string[] Families = ["lstm", "transformer"];

    public static int ContextLength(LabSession s) => s.Pick(16, 64, 200);

    /// <summary>The corpus language model of a family (trained once per session; the context probe reuses it).</summary>
    internal static LoadedModel Train(LabSession s, string family, Corpus.Files corpus)
    {
        var key = $"corpus/{family}";
        if (s.TryCached(key, out var cached)) return cached;
        var config = family == "transformer"
            ? new ModelConfig { Family = "transformer", NumLayers = 2, EmbedDim = s.Pick(16, 128, 256), HiddenSize = s.Pick(16, 128, 256), Heads = 4, FfDim = s.Pick(32, 512, 1024) }
            : new ModelConfig { Family = family, EmbedDim = s.Pick(16, 256, 256), HiddenSize = s.Pick(16, 256, 512) };
        var options = new TrainingOptions
        {
            SeqLen = ContextLength(s), EvalInterval = s.Pick(5, 100, 200), Patience = 0,
            Steps = s.Pick<long?>(6, null, null), TimeBudgetSeconds = s.Pick<double?>(null, 22, 180),
        };
        return s.Model(key, config, options, corpus.Train, null);
    }

    /// <summary>Mean loss of the token after each window, the windows perturbed beyond the last k tokens.</summary>
    public static double Loss(LoadedModel m, IReadOnlyList<long[]> windows, IReadOnlyList<long> targets, int k, string perturbation, int seed)
    {
        var rng = new Random(seed);
        var inputs = windows.Select(w =>
        {
            if (k >= w.Length) return w;
            if (perturbation == "truncate") return w[^k..];
            var far = w[..^k].ToArray();
            LanguageModelData.Shuffle(far, rng);
            return far.Concat(w[^k..]).ToArray();
        }).ToList();
        bool wasTraining = m.Model.training;
        m.Model.eval();
        double sum = 0;
        using (no_grad())
            for (int b = 0; b < inputs.Count; b += 64)
            {
                using var scope = NewDisposeScope();
                var chunk = inputs.Skip(b).Take(64).ToList();
                var x = tensor(chunk.SelectMany(r => r).ToArray(), [chunk.Count, chunk[0].Length]);
                var logits = m.Model.call(x, null)[.., -1];                                  // (B, V)
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
        const string title = "Effective context (Khandelwal et al. 2018)";
        const string claim = "What the first words said fades by the end: LSTM language models use about 200 tokens of context but word order only within about 50 (Khandelwal et al. 2018).";
        if (corpus is null) return new LabResult("effective-context", title, claim, "", [], [], new { skipped = problem }, clock.Elapsed.TotalSeconds, problem);

        int L = ContextLength(s);
        var ks = Enumerable.Range(0, 12).Select(i => 1 << i).Where(k => k < L).Append(L).ToArray();
        var increases = new Dictionary<string, Dictionary<string, double[]>>();
        var baseline = new Dictionary<string, double>();
        var effective = new Dictionary<string, Dictionary<string, int>>();
        foreach (var family in Families)
        {
            s.Log($"effective-context: {family}");
            var m = Train(s, family, corpus);
            var stream = LanguageModelData.Encode(TextSource.ReadLines(corpus.Test), m.Tokenizer, m.Vocabulary);
            int n = Math.Min(s.Pick(20, 400, 2000), stream.Length - L - 1);
            if (n < 1) throw new SeqLabInputException($"the held-out text has {stream.Length} tokens; the experiment needs more than {L + 1}.");
            var starts = Enumerable.Range(0, n).Select(i => (int)((long)i * (stream.Length - L - 1) / n)).ToList();
            var windows = starts.Select(o => stream[o..(o + L)]).ToList();
            var targets = starts.Select(o => stream[o + L]).ToList();
            baseline[family] = Loss(m, windows, targets, L, "truncate", s.Seed);
            increases[family] = new[] { "truncate", "shuffle" }.ToDictionary(p => p, p => ks.Select(k => Loss(m, windows, targets, k, p, s.Seed + k) - baseline[family]).ToArray());
            // The smallest k whose perturbation costs less than 1% of the full-context loss.
            effective[family] = increases[family].ToDictionary(p => p.Key, p => ks[Array.FindIndex(p.Value, v => v < 0.01 * baseline[family])]);
        }
        var xs = ks.Select(k => (double)k).ToArray();
        var plot = Plots.Lines(s.PlotPath("effective-context"), $"Loss increase when context beyond the last k tokens is perturbed (window {L})", "k, tokens kept intact", "loss increase (nats)",
            Families.SelectMany(f => increases[f].Select(p => new Plots.Series($"{f}, {p.Key}", xs, p.Value))), logX: true, reference: (0, "no change"));
        var table = new List<string[]> { new[] { "model", "full-context loss" }.Concat(ks.Select(k => $"k={k}")).ToArray() };
        foreach (var f in Families)
            foreach (var (p, v) in increases[f])
                table.Add(new[] { $"{f}, {p}", baseline[f].ToString("F3") }.Concat(v.Select(x => Math.Abs(x) < 0.0005 ? "0.000" : x.ToString("+0.000;-0.000"))).ToArray());
        var finding = $"On {corpus.Description}, with windows of {L} tokens: " + string.Join("; ", Families.Select(f =>
            $"the {f} loses less than 1% when everything beyond the last {effective[f]["truncate"]} tokens is dropped, and when everything beyond the last {effective[f]["shuffle"]} is shuffled " +
            $"(truncating to 1 token costs {increases[f]["truncate"][0]:F2} nats)")) + ". The paper's LSTMs (trained for days on large corpora) used ~200 tokens, and word order within ~50.";
        return new LabResult("effective-context", title, claim, finding, [plot], table,
            new { corpus = corpus.Description, window = L, k = ks, full_context_loss = baseline, loss_increase = increases, effective_k = effective }, clock.Elapsed.TotalSeconds);
    }
}
