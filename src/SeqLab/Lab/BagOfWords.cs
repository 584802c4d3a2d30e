using SeqLab.Text;

namespace SeqLab.Lab;

/// <summary>
/// Multinomial naive Bayes over word counts (add-one smoothing): a model that ignores order entirely.
/// On the long-range task it is the "no shortcut" check — without the cue sentence it must stay at
/// chance — and, with the cue, the order-free model for which every word is one step away.
/// </summary>
internal sealed class BagOfWords
{
    readonly WordTokenizer tokenizer = new();
    readonly Dictionary<string, double[]> wordLogProb = new();
    double[] prior = [];
    string[] labels = [];
    double[] unseen = [];

    public BagOfWords Fit(IEnumerable<(string Label, string Text)> examples)
    {
        var list = examples.ToList();
        labels = list.Select(e => e.Label).Distinct().Order(StringComparer.Ordinal).ToArray();
        var index = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i);
        var counts = new Dictionary<string, double[]>();
        var totals = new double[labels.Length];
        prior = new double[labels.Length];
        foreach (var (label, text) in list)
        {
            int c = index[label];
            prior[c]++;
            foreach (var w in tokenizer.Tokenize(text))
            {
                if (!counts.TryGetValue(w, out var row))
                    counts[w] = row = new double[labels.Length];
                row[c]++;
                totals[c]++;
            }
        }
        int V = counts.Count + 1;
        prior = prior.Select(p => Math.Log(p / list.Count)).ToArray();
        foreach (var (w, row) in counts)
            wordLogProb[w] = row.Select((n, c) => Math.Log((n + 1) / (totals[c] + V))).ToArray();
        unseen = totals.Select(t => Math.Log(1 / (t + V))).ToArray();
        return this;
    }

    public string Predict(string text)
    {
        var score = (double[])prior.Clone();
        foreach (var w in tokenizer.Tokenize(text))
        {
            var lp = wordLogProb.GetValueOrDefault(w, unseen);
            for (int c = 0; c < score.Length; c++)
                score[c] += lp[c];
        }
        return labels[Array.IndexOf(score, score.Max())];
    }
}
