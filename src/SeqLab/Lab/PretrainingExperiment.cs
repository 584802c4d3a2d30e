using SeqLab.Data;
using SeqLab.Embeddings;
using SeqLab.Figures;
using SeqLab.Inference;
using SeqLab.IO;
using SeqLab.Lab.Report;
using SeqLab.Models;
using SeqLab.Training;

namespace SeqLab.Lab;

/// <summary>
/// What pretraining buys (the lecture's road to BERT), measured: a topic classifier on fortunes-es quotations
/// (four topics, balanced) learns from 50, 200 or 1 000 labelled examples, starting from scratch, from Word2Vec
/// embeddings, from an LSTM language model (ULMFiT's way) or from a masked language model (BERT's way). The
/// pretrained models read only unlabelled text that holds none of the test quotations; every classifier gets the
/// same steps; held-out accuracy per number of labels, with 95% intervals.
/// </summary>
public static class PretrainingExperiment
{
    /// <summary>The topics told apart: fortunes-es' largest ones with at least 300 quotations, minus the grab-bags
    /// (varios, sabiduria, humanos, vida), so each has words of its own.</summary>
    public static readonly string[] FortunesTopics = ["refranes", "sentimientos", "arte", "leydemurphy"];

    /// <summary>How a classifier starts.</summary>
    public enum Start
    {
        Scratch,
        Word2Vec,
        LanguageModel,
        MaskedLanguageModel,
    }

    /// <summary>The arms compared, each named by its architecture and its start.</summary>
    public sealed record Arm(string Key, ModelFamily Family, Start Start);

    public static readonly Arm[] Arms =
    [
        new("lstm-scratch", ModelFamily.Lstm, Start.Scratch),
        new("lstm-word2vec", ModelFamily.Lstm, Start.Word2Vec),
        new("lstm-lm", ModelFamily.Lstm, Start.LanguageModel),
        new("transformer-scratch", ModelFamily.Transformer, Start.Scratch),
        new("transformer-mlm", ModelFamily.Transformer, Start.MaskedLanguageModel),
    ];

    /// <summary>The labelled examples per topic each classifier learns from (balanced; nested per seed): 48, 200
    /// and 1 000 in all with four topics.</summary>
    public static int[] PerTopic(LabSession s) => s.Pick<int[]>([2, 4], [12, 50, 250], [12, 50, 250]);

    static int TestPerTopic(LabSession s) => s.Pick(10, 100, 100);

    /// <summary>The labelled pool, the test set and the unlabelled text, split once (the same for every
    /// seed).</summary>
    public sealed record Split(
        string[] Topics,
        Dictionary<string, List<string>> Pool,
        List<(string Topic, string Text)> Test,
        string TestPath,
        string TextPath
    );

    /// <summary>
    /// From data/es/topics-*.tsv: per topic, the test quotations (topics-test's first, topped up from the end of
    /// topics-train's), the rest of topics-train's as the labelled pool, and every other quotation as the unlabelled
    /// text the language models pretrain on.
    /// </summary>
    public static Split Data(LabSession s, string dir, string[]? topics = null)
    {
        string trainTsv = Path.Combine(dir, "topics-train.tsv"),
            testTsv = Path.Combine(dir, "topics-test.tsv");
        if (!File.Exists(trainTsv) || !File.Exists(testTsv))
            throw new SeqLabInputException(s.T["pretraining.no-topics", dir]);
        static List<(string Topic, string Text)> Read(string path) =>
            File.ReadLines(path)
                .Select(l => l.Split('\t', 2))
                .Where(p => p.Length == 2 && p[1].Trim().Length > 0)
                .Select(p => (p[0], p[1].Trim()))
                .ToList();
        var train = Read(trainTsv);
        var heldOut = Read(testTsv);
        // A user's own folder: every label it has.
        topics ??= [.. train.Select(e => e.Topic).Distinct().Order(StringComparer.Ordinal)];
        if (topics.Length < 2)
            throw new SeqLabInputException($"{trainTsv} has {topics.Length} label(s); a classifier needs at least 2.");
        var pool = new Dictionary<string, List<string>>();
        var test = new List<(string Topic, string Text)>();
        int perTopic = TestPerTopic(s);
        foreach (var topic in topics)
        {
            var own = train.Where(e => e.Topic == topic).Select(e => e.Text).ToList();
            var chosen = heldOut.Where(e => e.Topic == topic).Select(e => e.Text).Take(perTopic).ToList();
            int more = perTopic - chosen.Count;
            if (own.Count - more < PerTopic(s)[^1])
                throw new SeqLabInputException(
                    $"{trainTsv} has {own.Count} examples of '{topic}'; the pretraining experiment needs "
                        + $"{PerTopic(s)[^1] + more} of each label ({PerTopic(s)[^1]} to learn from, {perTopic} to "
                        + "test on)."
                );
            chosen.AddRange(own.TakeLast(more));
            pool[topic] = own.Take(own.Count - more).ToList();
            test.AddRange(chosen.Select(t => (topic, t)));
        }
        var testTexts = test.Select(t => t.Text).ToHashSet();
        var textPath = s.DataPath("pretraining-text.txt");
        AtomicFile.WriteAllText(
            textPath,
            string.Join('\n', train.Concat(heldOut).Select(e => e.Text).Where(t => !testTexts.Contains(t))) + "\n"
        );
        var testPath = s.DataPath("pretraining-test.tsv");
        AtomicFile.WriteAllText(testPath, string.Join('\n', test.Select(t => $"{t.Topic}\t{t.Text}")) + "\n");
        return new Split(topics, pool, test, testPath, textPath);
    }

    /// <summary>A seed's labelled examples: <paramref name="perTopic"/> of each topic (a smaller number's are the
    /// first of a larger one's).</summary>
    static string Labelled(LabSession s, Split data, int seed, int perTopic)
    {
        var rows = data.Topics.SelectMany(topic =>
        {
            var texts = data.Pool[topic].ToArray();
            new Random(Seeds.Mix(seed, 4242)).Shuffle(texts);
            return texts.Take(perTopic).Select(t => $"{topic}\t{t}");
        });
        var path = s.DataPath($"pretraining-seed{seed}-labels{perTopic * data.Topics.Length}.tsv");
        AtomicFile.WriteAllText(path, string.Join('\n', rows) + "\n");
        return path;
    }

    /// <summary>A classifier's encoder: the corpus language models' (so the arms from scratch have the pretrained
    /// ones' architecture), read out by the mean of its states.</summary>
    static ModelConfig Encoder(LabSession s, ModelFamily family)
    {
        var config = CorpusModels.Config(s, family, TaskKind.Classify);
        config.Pooling = Pooling.Mean;
        return config;
    }

    /// <summary>Word2Vec vectors of the encoder's width on the unlabelled text (one file per seed).</summary>
    static string Vectors(LabSession s, string text, int seed)
    {
        var path = Path.Combine(s.OutDir, "models", $"pretraining-word2vec-seed{seed}.txt");
        if (File.Exists(path))
            return path;
        var options = new Word2Vec.Options
        {
            Dim = CorpusModels.Width(s),
            MinCount = 2,
            Epochs = s.Pick(1, 5, 10),
            Threads = s.Threads,
            Seed = seed,
        };
        new Word2Vec(options).Train(Word2Vec.Sentences(text)).Vectors.Save(path);
        return path;
    }

    /// <summary>One classifier: an arm on a seed's labelled file; every arm gets the same steps and options.
    /// <paramref name="start"/> is the arm's pretrained vectors file or model folder (null from scratch).</summary>
    static LoadedModel Classifier(
        LabSession s,
        Split data,
        Arm arm,
        int perTopic,
        string labelled,
        int seed,
        string? start
    )
    {
        var config = Encoder(s, arm.Family);
        config.MinCount = 1; // a handful of labelled examples: keep every word they have
        config.Dropout = 0; // classifiers train side by side (LabSession.Concurrently)
        var options = new TrainingOptions
        {
            BatchSize = 16,
            LearningRate = arm.Family == ModelFamily.Transformer ? 1e-3 : 3e-3,
            WarmupSteps = s.Pick(1, 10, 20),
            Steps = s.Pick<long>(4, 150, 300),
            EvalInterval = s.Pick(4, 150, 300),
            Patience = 0,
        };
        if (arm.Start == Start.Word2Vec)
            config.PretrainedEmbeddings = start;
        else if (start is not null)
        {
            FineTuning.Inherit(config, FineTuning.Source(start, config), new HashSet<string>(), start);
            options.InitFrom = start;
        }
        // The test set is the run's validation set, read once at the end: it selects nothing.
        return s.Model($"pretraining/{arm.Key}/labels{perTopic}", config, options, labelled, data.TestPath, seed);
    }

    /// <summary>One point: an arm's held-out accuracy with some number of labels in one seed.</summary>
    public sealed record Point(string Arm, int Labels, int Seed, int Correct, int Examples)
    {
        public double Accuracy => (double)Correct / Examples;
    }

    /// <summary>The verdict's rule, in words.</summary>
    public static string Rule(Texts? t = null) => (t ?? Texts.English)["pretraining.rule"];

    /// <summary>
    /// The rule for one seed, on each arm's test answers pooled over the label counts (the few-label regime as a
    /// whole, so one unlucky labelled sample does not decide it): each pretrained encoder against the same
    /// architecture from scratch (the LSTM LM against the LSTM, the MLM against the Transformer).
    /// </summary>
    public static Assessment Judge(IReadOnlyList<Point> points, Texts? t = null)
    {
        t ??= Texts.English;
        Point P(string key)
        {
            var ps = points.Where(p => p.Arm == key).ToList();
            return new Point(key, ps.Sum(p => p.Labels), 0, ps.Sum(p => p.Correct), ps.Sum(p => p.Examples));
        }
        (Point Pretrained, Point Scratch)[] pairs =
        [
            (P("lstm-lm"), P("lstm-scratch")),
            (P("transformer-mlm"), P("transformer-scratch")),
        ];
        string Show(Point p)
        {
            var (lo, hi) = Wilson.Interval(p.Correct, p.Examples);
            return t["long-range.point", p.Arm, p.Accuracy, lo, hi];
        }
        var counts = string.Join(", ", points.Select(p => p.Labels).Distinct().Order());
        string numbers = t[
            "pretraining.numbers",
            counts,
            string.Join(", ", pairs.SelectMany(p => new[] { p.Pretrained, p.Scratch }).Select(Show))
        ];
        bool Above(Point a, Point b) =>
            Wilson.Interval(a.Correct, a.Examples).Low > Wilson.Interval(b.Correct, b.Examples).High;
        if (pairs.FirstOrDefault(p => Above(p.Scratch, p.Pretrained)) is { Scratch: not null } worse)
            return new(Verdict.NotSupported, Rule(t), t["pretraining.judge.against", worse.Scratch.Arm, numbers]);
        if (pairs.All(p => Above(p.Pretrained, p.Scratch)))
            return new(Verdict.Supported, Rule(t), t["pretraining.judge.for", numbers]);
        return new(Verdict.Inconclusive, Rule(t), t["pretraining.judge.overlap", numbers]);
    }

    public static LabResult Run(LabSession s)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var t = s.T;
        string title = t["pretraining.title"],
            claim = t["pretraining.claim"];
        var (dir, problem) = s.Topics is { } own ? (own, null) : Corpus.Fortunes(s);
        if (dir is null)
            return LabResult.Skip("pretraining", title, claim, problem, clock.Elapsed.TotalSeconds, t);
        var data = Data(s, dir, s.Topics is null ? FortunesTopics : null);
        var perTopic = PerTopic(s);
        var counts = perTopic.Select(k => k * data.Topics.Length).ToArray();
        var points = new List<Point>();
        var perSeed = new List<(int Seed, Assessment A)>();
        var testTexts = data.Test.Select(e => e.Text).ToList();
        // On the default corpus the pretrained encoders are the corpus language models (trained once for
        // effective-context, context and this experiment): their text holds none of the test quotations.
        var (text, key) =
            s.Topics is null && s.Corpus is null && Corpus.Resolve(s).Files is { } corpus
                ? (corpus.Train, "corpus")
                : (data.TextPath, "pretraining");
        var starts = s.Seeds.ToDictionary(
            seed => seed,
            seed =>
            {
                s.Log($"pretraining: seed {seed}: word2vec, the LSTM language model and the masked language model");
                return new Dictionary<Start, string?>
                {
                    [Start.Scratch] = null,
                    [Start.Word2Vec] = Vectors(s, text, seed),
                    [Start.LanguageModel] = CorpusModels
                        .Train(s, ModelFamily.Lstm, TaskKind.Lm, text, seed, key)
                        .Directory,
                    [Start.MaskedLanguageModel] = CorpusModels
                        .Train(s, ModelFamily.Transformer, TaskKind.Mlm, text, seed, key)
                        .Directory,
                };
            }
        );
        // Every classifier trains and is tested on its own (no dropout), several at a time; the arms of a seed and
        // label count read the same labelled examples.
        var labelled = s
            .Seeds.SelectMany(seed => perTopic.Select(k => (seed, k)))
            .ToDictionary(sk => sk, sk => Labelled(s, data, sk.seed, sk.k));
        var jobs = (
            from seed in s.Seeds
            from k in perTopic
            from arm in Arms
            select (Func<Point>)(
                () =>
                {
                    int count = k * data.Topics.Length;
                    s.Log($"pretraining: {arm.Key}, {count} labels, seed {seed}");
                    var m = Classifier(s, data, arm, k, labelled[(seed, k)], seed, starts[seed][arm.Start]);
                    var answers = Evaluator.Labels(m, testTexts);
                    int correct = answers.Zip(data.Test).Count(p => p.First == p.Second.Topic);
                    return new Point(arm.Key, count, seed, correct, data.Test.Count);
                }
            )
        ).ToList();
        points.AddRange(s.Concurrently(jobs));
        foreach (var seed in s.Seeds)
            perSeed.Add((seed, Judge(points.Where(p => p.Seed == seed).ToList(), t)));
        var assessment = Assessment.AcrossSeeds(Rule(t), perSeed, t);
        double chance = 1.0 / data.Topics.Length;

        // Pooled over seeds: one interval per arm and number of labels.
        (double Acc, double Low, double High) Pooled(string arm, int count)
        {
            var ps = points.Where(p => p.Arm == arm && p.Labels == count).ToList();
            int c = ps.Sum(p => p.Correct),
                n = ps.Sum(p => p.Examples);
            var (lo, hi) = Wilson.Interval(c, n);
            return ((double)c / n, lo, hi);
        }
        string Name(Arm a) => t[$"pretraining.arm.{a.Key}"];
        var xs = counts.Select(c => (double)c).ToArray();
        var plot = Plots.Lines(
            s.PlotPath("pretraining"),
            t["pretraining.plot.title", data.Topics.Length, data.Test.Count],
            t["pretraining.plot.x"],
            t["pretraining.plot.y"],
            Arms.Select(a =>
            {
                var v = counts.Select(c => Pooled(a.Key, c)).ToArray();
                return new Plots.Series(
                    Name(a),
                    xs,
                    v.Select(p => p.Acc).ToArray(),
                    v.Select(p => p.Low).ToArray(),
                    v.Select(p => p.High).ToArray()
                );
            }),
            logX: true,
            reference: (chance, t["long-range.plot.chance", chance])
        );
        var table = new List<string[]>
        {
            new[] { t["table.model"] }.Concat(counts.Select(c => t["pretraining.table.labels", c])).ToArray(),
        };
        foreach (var a in Arms)
            table.Add(
                new[] { Name(a) }
                    .Concat(
                        counts.Select(c => Pooled(a.Key, c)).Select(p => t["pretraining.cell", p.Acc, p.Low, p.High])
                    )
                    .ToArray()
            );
        string At(int count) =>
            string.Join(", ", Arms.Select(a => string.Create(t.Culture, $"{Name(a)} {Pooled(a.Key, count).Acc:P0}")));
        var finding =
            t["pretraining.finding", counts[0], At(counts[0]), counts[^1], At(counts[^1]), chance, data.Test.Count]
            + assessment.Closing(t);
        return new LabResult(
            "pretraining",
            title,
            claim,
            finding,
            [plot],
            table,
            new
            {
                topics = data.Topics,
                labels = counts,
                test_examples = data.Test.Count,
                chance,
                seeds = s.Seeds,
                accuracy = points.Select(p => new
                {
                    arm = p.Arm,
                    labels = p.Labels,
                    seed = p.Seed,
                    accuracy = p.Accuracy,
                    correct = p.Correct,
                    examples = p.Examples,
                }),
                verdicts_per_seed = Assessment.PerSeedJson(perSeed),
            },
            clock.Elapsed.TotalSeconds,
            Assessment: assessment
        );
    }
}
