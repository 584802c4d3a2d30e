using SeqLab.Data;
using SeqLab.Decoding;
using SeqLab.Models;
using SeqLab.Reports;

namespace SeqLab.Lab;

/// <summary>
/// Which words the blank looks at: the Transformer trained on the long-range task (which language
/// fills "… hablar fluidamente [???]") reads the lecture's sentence ("Crecí en un pequeño pueblo en
/// los Alpes suizos …"); every layer's and head's attention is drawn as a heatmap, and the attention
/// of the word before the blank to each word as a bar chart — the path from "suizos" to it is one step.
/// </summary>
public static class AttentionExperiment
{
    static readonly HashSet<string> CueWords = LongRange.Languages.SelectMany(l => l.Cues)
        .SelectMany(c => c.ToLowerInvariant().Split(' ')).Except(["en", "los", "la", "las", "el", "cerca", "de", "alpes"]).ToHashSet();

    public static LabResult Run(LabSession s)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // The long-range Transformer classifier (trained once per session: the demo reuses the long-range experiment's).
        int distance = LongRangeExperiment.Distances(s)[1];
        var (train, valid, _, _) = LongRangeExperiment.Data(s, distance);
        s.Log($"attention: Transformer trained on the long-range task at distance {distance}");
        var m = LongRangeExperiment.Train(s, "transformer", distance, (train, valid));

        var sentence = s.Sentence ?? LongRange.LectureSentence;
        int blank = sentence.IndexOf(LanguageModelPredictor.Blank, StringComparison.Ordinal);
        var context = blank >= 0 ? sentence[..blank] : sentence;
        var map = AttentionMaps.For(m, context);
        var prediction = new ClassifierPredictor(m).Predict(context);
        var tokens = map.Tokens;
        int T = tokens.Count, last = T - 1;
        int cue = tokens.ToList().FindIndex(t => CueWords.Contains(t));

        var plots = new List<string>();
        double[] LastRow(int layer) => Enumerable.Range(0, T).Select(k => map.Weights[layer].Average(h => (double)h[last][k])).ToArray();
        var lastLayer = LastRow(map.Layers - 1);
        plots.Add(Plots.Bars(s.PlotPath("attention-blank"), $"How much the word before the blank attends to each word (last layer, mean of {map.Heads} heads)", "attention weight", tokens, lastLayer, cue));
        for (int layer = 0; layer < map.Layers; layer++)
        {
            var mean = new double[T, T];
            for (int q = 0; q < T; q++)
                for (int k = 0; k < T; k++)
                {
                    mean[q, k] = map.Weights[layer].Average(h => (double)h[q][k]);
                }
            plots.Add(Plots.Heatmap(s.PlotPath($"attention-layer{layer + 1}"), $"Layer {layer + 1}, mean of {map.Heads} heads (rows: each word; columns: what it attends to)", mean, tokens, tokens));
            for (int head = 0; head < map.Heads; head++)
            {
                var w = new double[T, T];
                for (int q = 0; q < T; q++) for (int k = 0; k < T; k++) w[q, k] = map.Weights[layer][head][q][k];
                Plots.Heatmap(s.PlotPath($"attention-layer{layer + 1}-head{head + 1}"), $"Layer {layer + 1}, head {head + 1}", w, tokens, tokens);   // files only
            }
        }
        var ranked = Enumerable.Range(0, T).OrderByDescending(k => lastLayer[k]).ToList();
        // What each word receives from all positions (the classifier pools every position, not just the last).
        var received = Enumerable.Range(0, T).Select(k => Enumerable.Range(0, T).Average(q => map.Weights[^1].Average(h => (double)h[q][k]))).ToArray();
        var rankedReceived = Enumerable.Range(0, T).OrderByDescending(k => received[k]).ToList();
        var table = new List<string[]> { new[] { "rank", "word", "attention from the word before the blank", "word", "attention received from all words" } };
        table.AddRange(Enumerable.Range(0, Math.Min(8, T)).Select(i => new[] { (i + 1).ToString(),
            tokens[ranked[i]] + (ranked[i] == cue ? " ← cue" : ""), lastLayer[ranked[i]].ToString("F3"),
            tokens[rankedReceived[i]] + (rankedReceived[i] == cue ? " ← cue" : ""), received[rankedReceived[i]].ToString("F3") }));
        string cueText = cue < 0 ? "the sentence has no cue word the model was trained on" :
            $"the cue \"{tokens[cue]}\" is {last - cue} tokens before the blank and gets {lastLayer[cue]:F3} of its attention in the last layer (rank {ranked.IndexOf(cue) + 1} of {T}; uniform would be {1.0 / T:F3}); " +
              $"averaged over all words it receives {received[cue]:F3} (rank {rankedReceived.IndexOf(cue) + 1})";
        var finding = $"For the last word before the blank, {cueText}. The model's answers for the blank: {string.Join(", ", prediction.Probabilities.Take(3).Select(p => $"{p.Key} ({p.Value:P0})"))}. " +
            (cue < 0 ? "" : $"A recurrent network would have to carry \"{tokens[cue]}\" through {last - cue} sequential steps; attention reaches it in one (path length 1).");
        return new LabResult("attention", "Attention maps: where the blank looks",
            "Self-attention connects every word to every other directly: the path between the cue \"suizos\" and the blank has length 1, whatever the distance.",
            finding, plots, table,
            new { sentence, tokens, layers = map.Layers, heads = map.Heads, blank_attention_last_layer = lastLayer, received_attention_last_layer = received, cue_index = cue, cue_distance = cue < 0 ? (int?)null : last - cue,
                  predictions = prediction.Probabilities, training_distance = distance }, clock.Elapsed.TotalSeconds);
    }
}
