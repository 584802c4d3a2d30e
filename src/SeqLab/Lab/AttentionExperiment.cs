using SeqLab.Data.Generated;
using SeqLab.Figures;
using SeqLab.Inference;
using SeqLab.Lab.Report;
using SeqLab.Models;
using SeqLab.Training;

namespace SeqLab.Lab;

/// <summary>
/// Which words the blank looks at: the Transformer trained on the long-range task (which language
/// fills "… hablar fluidamente [???]") reads the lecture's sentence ("Crecí en un pequeño pueblo en
/// los Alpes suizos …"); every layer's and head's attention is drawn as a heatmap, and the attention
/// of the word before the blank to each word as a bar chart — the path from "suizos" to it is one step.
/// </summary>
public static class AttentionExperiment
{
    static readonly HashSet<string> CueWords = LongRange
        .Languages.SelectMany(l => l.Cues)
        .SelectMany(c => c.ToLowerInvariant().Split(' '))
        .Except(["en", "los", "la", "las", "el", "cerca", "de", "alpes"])
        .ToHashSet();

    /// <summary>The verdict's rule, in words.</summary>
    public static string Rule(Texts? t = null) => (t ?? Texts.English)["attention.rule"];

    /// <summary>The languages a cue word points to in the long-range data ("suizos" → alemán).</summary>
    static IReadOnlyCollection<string> CueLanguages(string cueWord) =>
        LongRange
            .Languages.Where(l => l.Cues.Any(c => c.ToLowerInvariant().Split(' ').Contains(cueWord)))
            .Select(l => l.Language)
            .ToArray();

    /// <summary>The rule for one seed: the cue's rank in the blank's attention (1 = most attended, in the head where it
    /// ranks best, named by <paramref name="where"/>) and the model's top answer.</summary>
    public static Assessment Judge(string? cueWord, int cueRank, string answer, string? where = null, Texts? t = null)
    {
        t ??= Texts.English;
        where ??= t["attention.best-head"];
        if (cueWord is null)
            return new(Verdict.Inconclusive, Rule(t), t["attention.no-cue"]);
        var expected = CueLanguages(cueWord);
        if (!expected.Contains(answer))
            return new(
                Verdict.Inconclusive,
                Rule(t),
                t["attention.judge.unlearned", answer, cueWord, string.Join(", ", expected)]
            );
        return cueRank <= 3
            ? new(Verdict.Supported, Rule(t), t["attention.judge.for", answer, cueWord, cueRank, where])
            : new(Verdict.NotSupported, Rule(t), t["attention.judge.against", answer, cueWord, cueRank, where]);
    }

    /// <summary>
    /// Attention rollout (Abnar and Zuidema 2020) for the last word: each layer's attention, averaged over
    /// heads, with the residual connection as an equal share of identity (½A + ½I), multiplied through
    /// the layers. Row sums stay 1: how much of the last word's representation comes from each input word.
    /// </summary>
    public static double[] Rollout(AttentionMaps.Map map)
    {
        int T = map.Tokens.Count;
        var r = new double[T];
        r[T - 1] = 1; // start from the last word itself
        for (int layer = map.Layers - 1; layer >= 0; layer--) // r ← r · (½A + ½I), from the top layer down
        {
            var next = new double[T];
            for (int q = 0; q < T; q++)
            {
                if (r[q] == 0)
                    continue;
                next[q] += 0.5 * r[q];
                for (int k = 0; k < T; k++)
                    next[k] += 0.5 * r[q] * map.Weights[layer].Average(h => (double)h[q][k]);
            }
            r = next;
        }
        return r;
    }

    /// <summary>The rank (1 = most) of word <paramref name="k"/> in the last word's <paramref name="flow"/>, among the
    /// words before it.</summary>
    public static int RankAmongOthers(double[] flow, int k) =>
        1 + Enumerable.Range(0, flow.Length - 1).Count(j => flow[j] > flow[k]);

    /// <summary>
    /// The head (layer, head) in which the last word attends to word <paramref name="cue"/> with the best rank among
    /// the other words (ties: the larger weight). Heads specialise: one retrieving the cue is the one step of
    /// attention the lecture describes, and the mean over heads would dilute it.
    /// </summary>
    public static (int Layer, int Head, int Rank, double Weight) BestHead(AttentionMaps.Map map, int cue)
    {
        int last = map.Tokens.Count - 1;
        return Enumerable
            .Range(0, map.Layers)
            .SelectMany(l => Enumerable.Range(0, map.Heads).Select(h => (Layer: l, Head: h)))
            .Select(x =>
            {
                var row = map.Weights[x.Layer][x.Head][last].Select(w => (double)w).ToArray();
                return (x.Layer, x.Head, Rank: RankAmongOthers(row, cue), Weight: row[cue]);
            })
            .OrderBy(x => x.Rank)
            .ThenByDescending(x => x.Weight)
            .First();
    }

    public static LabResult Run(LabSession s)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var sentence = s.Sentence ?? LongRange.LectureSentence;
        var context = Blank.LeftOf(sentence);
        var (m, perSeed, answers) = JudgeSeeds(s, context);
        var t = s.T;
        var assessment = Assessment.AcrossSeeds(Rule(t), perSeed, t);
        var map = AttentionMaps.For(m, context);
        var prediction = new ClassifierPredictor(m).Predict(context);
        var tokens = map.Tokens;
        int T = tokens.Count,
            last = T - 1;
        int cue = tokens.ToList().FindIndex(CueWords.Contains);

        // The head in which the blank looks at the cue most (the one step of attention may be in any layer and head).
        var best = cue < 0 ? (Layer: map.Layers - 1, Head: 0, Rank: -1, Weight: 0.0) : BestHead(map, cue);
        int shown = best.Layer;
        var lastLayer = map.Weights[shown][best.Head][last].Select(w => (double)w).ToArray();
        var rollout = Rollout(map); // computed once: the finding and the JSON read it
        var plots = Figures(s, map, lastLayer, shown, best.Head, cue);
        var ranked = Enumerable.Range(0, T).OrderByDescending(k => lastLayer[k]).ToList();
        // What each word receives from all positions (the classifier pools every position, not just the last).
        var received = Enumerable
            .Range(0, T)
            .Select(k => Enumerable.Range(0, T).Average(q => map.Weights[shown].Average(h => (double)h[q][k])))
            .ToArray();
        var rankedReceived = Enumerable.Range(0, T).OrderByDescending(k => received[k]).ToList();
        var table = new List<string[]>
        {
            new[]
            {
                t["attention.table.rank"],
                t["attention.table.word"],
                t["attention.table.from-blank"],
                t["attention.table.word"],
                t["attention.table.received"],
            },
        };
        table.AddRange(
            Enumerable
                .Range(0, Math.Min(8, T))
                .Select(i =>
                    new[]
                    {
                        (i + 1).ToString(),
                        tokens[ranked[i]] + (ranked[i] == cue ? t["attention.table.cue"] : ""),
                        lastLayer[ranked[i]].ToString("F3"),
                        tokens[rankedReceived[i]] + (rankedReceived[i] == cue ? t["attention.table.cue"] : ""),
                        received[rankedReceived[i]].ToString("F3"),
                    }
                )
        );
        string cueText =
            cue < 0
                ? t["attention.no-cue"]
                : t[
                    "attention.cue",
                    tokens[cue],
                    last - cue,
                    lastLayer[cue],
                    shown + 1,
                    best.Head + 1,
                    ranked.IndexOf(cue) + 1,
                    T,
                    1.0 / T,
                    received[cue],
                    rankedReceived.IndexOf(cue) + 1,
                    rollout[cue],
                    RankAmongOthers(rollout, cue)
                ];
        var answersText = string.Join(
            ", ",
            prediction.Probabilities.Take(3).Select(p => t["attention.answer", p.Key, p.Value])
        );
        var finding =
            t["attention.finding", cueText, answersText]
            + (cue < 0 ? "" : " " + t["attention.path", tokens[cue], last - cue])
            + assessment.Closing(t);
        return new LabResult(
            "attention",
            t["attention.title"],
            t["attention.claim"],
            finding,
            plots,
            table,
            new
            {
                sentence,
                tokens,
                layers = map.Layers,
                heads = map.Heads,
                layer_shown = shown + 1,
                head_shown = best.Head + 1,
                blank_attention_last_layer = Enumerable
                    .Range(0, T)
                    .Select(k => map.Weights[map.Layers - 1].Average(h => (double)h[last][k])),
                blank_attention = lastLayer,
                received_attention = received,
                blank_rollout = rollout,
                cue_index = cue,
                cue_distance = cue < 0 ? (int?)null : last - cue,
                predictions = prediction.Probabilities,
                seeds = s.Seeds,
                predictions_per_seed = answers.ToDictionary(p => p.Key.ToString(), p => p.Value),
                verdicts_per_seed = Assessment.PerSeedJson(perSeed),
            },
            clock.Elapsed.TotalSeconds,
            Assessment: assessment
        );
    }

    /// <summary>
    /// The long-range Transformer classifier of each seed (the demo reuses the long-range experiment's), judged on the
    /// sentence; returns the first seed's model, whose maps are the ones drawn.
    /// </summary>
    static (
        LoadedModel First,
        List<(int Seed, Assessment A)> PerSeed,
        Dictionary<int, Dictionary<string, double>> Answers
    ) JudgeSeeds(LabSession s, string context)
    {
        var perSeed = new List<(int Seed, Assessment A)>();
        var answers = new Dictionary<int, Dictionary<string, double>>();
        LoadedModel m = null!;
        foreach (var seed in s.Seeds.Reverse()) // the first seed last: its model is returned
        {
            s.Log($"attention: the long-range Transformer, seed {seed}");
            m = LongRangeExperiment.Train(s, ModelFamily.Transformer, seed, LongRangeExperiment.Data(s, seed));
            var seedMap = AttentionMaps.For(m, context);
            var p = new ClassifierPredictor(m).Predict(context);
            answers[seed] = p.Probabilities.ToDictionary(x => x.Key, x => x.Value);
            int c = seedMap.Tokens.ToList().FindIndex(CueWords.Contains);
            // The cue word itself ("suizos": the Alps alone do not tell the place), in the head that looks at it most.
            if (c < 0)
                perSeed.Add((seed, Judge(null, -1, p.Label, t: s.T)));
            else
            {
                var b = BestHead(seedMap, c);
                var where = s.T["attention.layer-head", b.Layer + 1, b.Head + 1];
                perSeed.Add((seed, Judge(seedMap.Tokens[c], b.Rank, p.Label, where, s.T)));
            }
        }
        perSeed.Reverse();
        return (m, perSeed, answers);
    }

    /// <summary>A T × T heatmap of weight(query, key), rows the querying words.</summary>
    static string Heatmap(
        LabSession s,
        string file,
        string title,
        IReadOnlyList<string> tokens,
        Func<int, int, double> weight
    )
    {
        int T = tokens.Count;
        var m = new double[T, T];
        for (int q = 0; q < T; q++)
        for (int k = 0; k < T; k++)
            m[q, k] = weight(q, k);
        return Plots.Heatmap(s.PlotPath(file), title, m, tokens, tokens, s.T["attention.plot.key"]);
    }

    /// <summary>The blank's attention as bars, and a heatmap per layer (mean of heads; every head's goes to a file
    /// only).</summary>
    static List<string> Figures(
        LabSession s,
        AttentionMaps.Map map,
        double[] lastLayer,
        int shown,
        int shownHead,
        int cue
    )
    {
        var tokens = map.Tokens;
        var plots = new List<string>
        {
            Plots.Bars(
                s.PlotPath("attention-blank"),
                s.T["attention.plot.blank", shown + 1, shownHead + 1],
                s.T["attention.plot.weight"],
                tokens,
                lastLayer,
                cue
            ),
        };
        for (int layer = 0; layer < map.Layers; layer++)
        {
            var heads = map.Weights[layer];
            plots.Add(
                Heatmap(
                    s,
                    $"attention-layer{layer + 1}",
                    s.T["attention.plot.layer", layer + 1, map.Heads],
                    tokens,
                    (q, k) => heads.Average(h => (double)h[q][k])
                )
            );
            for (int head = 0; head < map.Heads; head++)
            {
                var w = heads[head];
                Heatmap(
                    s,
                    $"attention-layer{layer + 1}-head{head + 1}",
                    s.T["attention.plot.head", layer + 1, head + 1],
                    tokens,
                    (q, k) => w[q][k]
                ); // files only
            }
        }
        return plots;
    }
}
