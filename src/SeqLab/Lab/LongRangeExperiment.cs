using SeqLab.Data;
using SeqLab.Models;
using SeqLab.Reports;
using SeqLab.Text;
using SeqLab.Training;

namespace SeqLab.Lab;

/// <summary>
/// The lecture's long-range claim, measured: RNN, LSTM, GRU and Transformer classifiers with the same
/// parameter budget (±10%) and the same training time learn to fill "… hablar fluidamente [???]" from a
/// cue 10…400 tokens earlier; accuracy against distance, with chance and two bag-of-words baselines
/// (without the cue: must stay at chance — no shortcut; with it: order-free, every word one step away).
/// </summary>
public static class LongRangeExperiment
{
    public static readonly string[] Families = ["rnn", "lstm", "gru", "transformer"];

    public static int[] Distances(LabSession s) => s.Pick<int[]>([5, 20], [10, 50, 100], [10, 50, 100, 200, 400]);

    /// <summary>Train/valid/test files for one distance (TSV label&lt;TAB&gt;text), and the test examples.</summary>
    public static (string Train, string Valid, List<LongRange.Example> Test, List<LongRange.Example> TrainExamples) Data(LabSession s, int distance)
    {
        int n = s.Pick(150, 1500, 4000);
        var train = LongRange.Generate(n, distance, s.Seed * 1000 + distance);
        var valid = LongRange.Generate(n / 5, distance, s.Seed * 1000 + distance + 1);
        var test = LongRange.Generate(Math.Max(60, n / 5), distance, s.Seed * 1000 + distance + 2);
        string Write(string name, List<LongRange.Example> examples)
        {
            var path = s.DataPath($"long-range-d{distance}-{name}.tsv");
            AtomicFile.WriteAllText(path, string.Join('\n', examples.Select(e => $"{e.Language}\t{e.Text}")) + "\n");
            return path;
        }
        return (Write("train", train), Write("valid", valid), test, train);
    }

    /// <summary>d = 64, 2 layers for every family (the Transformer: 4 heads, feed-forward 128, mean pooling; recurrent: the last state).</summary>
    public static ModelConfig Config(LabSession s, string family)
    {
        int d = s.Pick(16, 64, 64);
        return new ModelConfig
        {
            Family = family, Task = "classify", EmbedDim = d, HiddenSize = d, NumLayers = 2, Heads = s.Pick(2, 4, 4), FfDim = 2 * d,
            Pooling = family == "transformer" ? "mean" : "last", MinCount = 1, MaxLength = 1024, Dropout = 0.1,
        };
    }

    public static TrainingOptions Training(LabSession s) => new()
    {
        LearningRate = 2e-3, WarmupSteps = s.Pick(1, 50, 100), BatchSize = 32, EvalInterval = s.Pick(5, 100, 200), Patience = 0,
        Steps = s.Pick<long?>(6, null, null), TimeBudgetSeconds = s.Pick<double?>(null, 8, 60),
    };

    /// <summary>Trains one family at one distance with the shared budget (cached in the session).</summary>
    public static LoadedModel Train(LabSession s, string family, int distance, (string Train, string Valid) files)
    {
        var key = $"long-range/{family}/d{distance}";
        if (s.TryCached(key, out var cached)) return cached;
        var config = Config(s, family);
        // Size every family to the Transformer's parameter count, measured with this data's vocabulary.
        var sized = config.Clone();
        TaskData.Prepare(sized, new TrainingOptions(), files.Train, files.Valid);   // fills vocab_size and labels
        if (family != "transformer")
        {
            config.VocabSize = sized.VocabSize;
            config.Labels = sized.Labels;
            var reference = Config(s, "transformer");
            reference.VocabSize = sized.VocabSize;
            reference.Labels = sized.Labels;
            config.HiddenSize = ParameterBudget.HiddenSizeFor(config, ParameterBudget.Count(reference)).HiddenSize;
        }
        return s.Model(key, config, Training(s), files.Train, files.Valid);
    }

    public static double Accuracy(LoadedModel m, IEnumerable<(string Label, string Text)> examples) =>
        Evaluator.Classification(m, examples.Select((e, i) => new PairedText.Pair(e.Label, e.Text, "generated", i + 1))).Accuracy;

    public static LabResult Run(LabSession s)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var distances = Distances(s);
        var accuracy = Families.ToDictionary(f => f, _ => new List<double>());
        var parameters = new Dictionary<string, long>();
        var bowNoCue = new List<double>();
        var bowCue = new List<double>();
        var actualDistance = new List<double>();
        foreach (var d in distances)
        {
            var (train, valid, test, trainExamples) = Data(s, d);
            actualDistance.Add(test.Average(e => e.Distance));
            bowNoCue.Add(new BagOfWords().Fit(trainExamples.Select(e => (e.Language, e.TextWithoutCue))).Accuracy(test.Select(e => (e.Language, e.TextWithoutCue))));
            bowCue.Add(new BagOfWords().Fit(trainExamples.Select(e => (e.Language, e.Text))).Accuracy(test.Select(e => (e.Language, e.Text))));
            foreach (var f in Families)
            {
                s.Log($"long-range: {f} at distance {d}");
                var m = Train(s, f, d, (train, valid));
                parameters[f] = m.Model.UniqueParameters().Sum(p => p.numel());
                accuracy[f].Add(Accuracy(m, test.Select(e => (e.Language, e.Text))));
            }
        }
        double chance = 1.0 / LongRange.Languages.Length;
        var xs = distances.Select(d => (double)d).ToArray();
        var plot = Plots.Lines(s.PlotPath("long-range-accuracy"), "Fill the blank from a cue d tokens earlier", "distance between cue and blank (tokens)", "held-out accuracy",
            Families.Select(f => new Plots.Series(f, xs, accuracy[f].ToArray()))
                .Append(new Plots.Series("bag of words, no cue", xs, bowNoCue.ToArray()))
                .Append(new Plots.Series("bag of words, with cue", xs, bowCue.ToArray())),
            reference: (chance, $"chance ({chance:P0})"));

        var table = new List<string[]> { new[] { "model", "parameters" }.Concat(distances.Select(d => $"d={d}")).ToArray() };
        foreach (var f in Families) table.Add(new[] { f, parameters[f].ToString("N0") }.Concat(accuracy[f].Select(a => a.ToString("P0"))).ToArray());
        table.Add(new[] { "bag of words, no cue", "–" }.Concat(bowNoCue.Select(a => a.ToString("P0"))).ToArray());
        table.Add(new[] { "bag of words, with cue", "–" }.Concat(bowCue.Select(a => a.ToString("P0"))).ToArray());

        var budget = Training(s);
        var far = distances.Length - 1;
        string Best(int i) => Families.MaxBy(f => accuracy[f][i])!;
        var finding = $"At the longest distance ({distances[far]} tokens) the best family was {Best(far)} ({accuracy[Best(far)][far]:P0}); " +
            string.Join(", ", Families.Select(f => $"{f} {accuracy[f][0]:P0} → {accuracy[f][far]:P0}")) + $" from d={distances[0]} to d={distances[far]}. " +
            $"Chance is {chance:P0}; the bag-of-words model without the cue got {bowNoCue.Average():P0} (no shortcut), with the cue {bowCue.Average():P0}. " +
            $"Budget: {(budget.TimeBudgetSeconds is { } t ? $"{t:F0} s" : $"{budget.Steps} steps")} of training per model, {string.Join(", ", Families.Select(f => $"{f} {parameters[f]:N0}"))} parameters.";
        return new LabResult("long-range", "Long-range dependencies",
            "What the first words said fades by the end of a recurrent network; self-attention reaches any earlier word in one step (path length 1).",
            finding, [plot], table,
            new { distances, mean_distance_tokens = actualDistance, accuracy, parameters, chance, bag_of_words_no_cue = bowNoCue, bag_of_words_with_cue = bowCue,
                  budget_s = budget.TimeBudgetSeconds, budget_steps = budget.Steps }, clock.Elapsed.TotalSeconds);
    }
}
