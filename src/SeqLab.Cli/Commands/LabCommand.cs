using SeqLab.Embeddings;
using SeqLab.IO;
using SeqLab.Lab;
using SeqLab.Lab.Report;
using SeqLab.Native;
using SeqLab.Training;

namespace SeqLab.Cli.Commands;

/// <summary>`seqlab lab EXPERIMENT`: measure one of the lecture's claims.</summary>
public static class LabCommand
{
    /// <summary>`--lang es|en`, shared by demo, lab and serve.</summary>
    public static readonly Option LangOption = new(
        "lang",
        "es|en",
        "the language of what a reader sees: report, tables, findings, the playground (default: from "
            + "LC_ALL/LC_MESSAGES/LANG, else English)"
    );

    /// <summary>`--topics DIR`, shared by demo and lab.</summary>
    public static readonly Option TopicsOption = new(
        "topics",
        "DIR",
        "pretraining: a folder with topics-train.tsv and topics-test.tsv (label<TAB>text; every label used, "
            + "balanced); default: four topics of fortunes-es"
    );

    public static readonly Option[] Options =
    [
        new("word", "WORD", "context: the word to follow across sentences", ContextProbe.DefaultWord),
        new(
            "sentence",
            "TEXT",
            "context: a sentence containing the word (repeat; default: a park and a money sentence); attention: the "
                + "sentence to map (default: the lecture's)"
        ),
        new("vectors", "FILE", "context: static word2vec vectors (`seqlab embed train`)"),
        new("data", "PATH", "context: without --vectors, train Word2Vec on this text first"),
        new("model", "DIR", "context: a trained rnn/lstm/gru/transformer checkpoint (repeat to compare several)"),
        new("top", "K", "context: static neighbours to show", 5),
        new(
            "scale",
            "tiny|small|full",
            "how big: small (default, minutes) or full (the larger version); tiny is for smoke tests"
        ),
        new(
            "corpus",
            "PATH",
            "effective-context, context: the real text to train on (default: fortunes-es, fetched by "
                + "scripts/get-spanish-corpus.sh)"
        ),
        TopicsOption,
        new("threads", "N", "libtorch threads; default: all cores"),
        new("seed", "S", "the first random seed", 1),
        new("seeds", "N", "repeat the training-based experiments with seeds S … S+N−1", 1),
        new("out", "DIR", "where plots (PNG, SVG), numbers (JSON) and models go", Path.Combine("runs", "lab")),
        LangOption,
        new("json", null, "print one JSON document on stdout"),
        new("help", null, "show this help"),
    ];

    /// <summary>The language of what a reader sees: --lang, or the locale's.</summary>
    public static Texts Texts(Args a) =>
        SeqLab.Lab.Report.Texts.For(a.String("lang") is { } lang ? Languages.Parse(lang) : Languages.FromEnvironment());

    public const string Usage =
        "seqlab lab parallelism|long-range|gradients|context|attention|effective-context|pretraining "
        + "[--scale small|full] "
        + "[--seed S] [--seeds N] [--lang es|en] [--json] [--out DIR]\n"
        + "       seqlab lab context [--word banco] [--sentence \"…\" …] (--vectors FILE | --data PATH) [--model DIR "
        + "…] [--json] [--out DIR]";

    public static int Run(Args a)
    {
        var names = SeqLab.Lab.Experiments.Names.Append("context").Distinct().ToArray();
        if (a.Positionals.Count != 1 || !names.Contains(a.Positionals[0]))
            throw new SeqLabInputException(
                $"`seqlab lab` needs one experiment: {string.Join(", ", names)}; see `seqlab lab --help`."
            );
        var name = a.Positionals[0];
        if (name == "context" && (a.Has("vectors") || a.Has("data") || a.Has("model")))
            return Context(a);
        var session = Session(a);
        var result = SeqLab.Lab.Experiments.Run(name, session);
        Report(result, session, a.Flag("json"));
        return 0;
    }

    public static LabSession Session(Args a)
    {
        var scale = a.String("scale") switch
        {
            null or "small" => LabScale.Small,
            "full" => LabScale.Full,
            "tiny" => LabScale.Tiny,
            var other => throw new SeqLabInputException($"unknown --scale '{other}'; use small (default) or full."),
        };
        TorchRuntime.EnsureLoaded();
        var texts = Texts(a);
        int seeds = a.Int("seeds", 1, 100)!.Value;
        Action<string> log = line => Output.Info($"  {line}");
        return new LabSession(
            a.String("out")!,
            scale,
            a.Int("seed")!.Value,
            a.Int("threads", 1, 1024),
            log,
            seeds: a.Has("seeds") ? seeds : LabSession.DefaultSeeds(scale, seeds)
        )
        {
            Corpus = a.String("corpus"),
            FetchCorpus = dir => SpanishCorpus.Fetch(dir, log),
            Sentence = a.All("sentence").FirstOrDefault(),
            Topics = a.String("topics"),
            T = texts,
        };
    }

    /// <summary>Saves DIR/NAME.json and prints the table (or the JSON with --json).</summary>
    public static void Report(LabResult r, LabSession session, bool json, bool print = true)
    {
        session.Save(r);
        if (!print)
            return;
        if (json)
        {
            Output.Json(r.Document());
            return;
        }
        var t = session.T;
        using var numbers = t.Numbers();
        Console.WriteLine($"{r.Title} ({r.Seconds:F0} s)");
        if (r.Skipped is not null)
        {
            Console.WriteLine($"  {t["report.skipped-short", r.Skipped]}");
            return;
        }
        Console.WriteLine(Table(r.Table));
        Console.WriteLine($"  {r.Finding}");
        if (r.Assessment is { } v)
            Console.WriteLine($"  {t["lab.verdict", v.Words(t), v.Reason]}\n  {t["lab.rule", v.Rule]}");
        foreach (var p in r.Plots)
            Console.WriteLine($"  {t["lab.plot", p]}");
    }

    public static string Table(IReadOnlyList<string[]> rows)
    {
        if (rows.Count == 0)
            return "";
        var widths = Enumerable
            .Range(0, rows.Max(r => r.Length))
            .Select(c => rows.Max(r => c < r.Length ? r[c].Length : 0))
            .ToArray();
        return string.Join(
            Environment.NewLine,
            rows.Select(
                (r, i) =>
                    "  "
                    + string.Join(
                        "  ",
                        r.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))
                    )
                    + (
                        i == 0
                            ? Environment.NewLine + "  " + string.Join("  ", widths.Select(w => new string('-', w)))
                            : ""
                    )
            )
        );
    }

    static int Context(Args a)
    {
        var sentences =
            a.All("sentence").Count > 0 ? a.All("sentence").ToList() : ContextProbe.DefaultSentences.ToList();
        WordVectors vectors;
        if (a.String("vectors") is { } path)
            vectors = WordVectors.Load(path);
        else if (a.String("data") is { } data)
        {
            var w2v = new Word2Vec(ContextProbe.StaticVectorOptions);
            vectors = ProgressView.Embedding(w2v, () => w2v.Train(Word2Vec.Sentences(data))).Vectors;
        }
        else
            throw new SeqLabInputException(
                "`seqlab lab context` needs static vectors: --vectors FILE (from `seqlab embed train`) or --data "
                    + "PATH to train them now."
            );
        if (a.All("model").Count > 0)
            TorchRuntime.EnsureLoaded();
        var models = a.All("model").Select(dir => Checkpoint.Load(dir)).ToList();
        var r = ContextProbe.Run(a.String("word")!, sentences, vectors, models, a.Int("top", 1, 1000)!.Value);
        var t = Texts(a);
        // With --out: the numbers (context.json) and the figure (context-WORD.png/.svg) beside them.
        var outDir = a.Has("out") ? a.String("out") : null;
        string? plot = null;
        if (outDir is not null)
        {
            Directory.CreateDirectory(outDir);
            plot = ContextProbe.Figure(r, Path.Combine(outDir, $"context-{r.Word}"), t);
        }

        var json = new
        {
            word = r.Word,
            sentences = r.Sentences,
            @static = new
            {
                similarity = r.Static.Mean,
                matrix = r.Static.Similarities,
                neighbors = r.StaticNeighbors.Select(n => new { word = n.Word, similarity = n.Similarity }),
                sentence_neighbors = r.SentenceNeighbors.Select(ns =>
                    ns.Select(n => new { word = n.Word, similarity = n.Similarity })
                ),
            },
            contextual = r.Contextual.Select(m => new
            {
                name = m.Name,
                family = m.Kind,
                similarity = m.Mean,
                matrix = m.Similarities,
            }),
            plot,
        };
        if (outDir is not null)
        {
            AtomicFile.WriteAllText(
                Path.Combine(outDir, "context.json"),
                System.Text.Json.JsonSerializer.Serialize(json, SeqLab.IO.Json.Options)
            );
        }
        if (a.Flag("json"))
        {
            Output.Json(json);
            return 0;
        }

        using var numbers = t.Numbers();
        Console.WriteLine(t["lab.context.across", r.Word, r.Sentences.Count]);
        for (int i = 0; i < r.Sentences.Count; i++)
            Console.WriteLine(
                $"  {i + 1}. {r.Sentences[i]}\n     "
                    + t[
                        "lab.context.sentence-neighbours",
                        string.Join(", ", r.SentenceNeighbors[i].Select(n => n.Word))
                    ]
            );
        Console.WriteLine($"\n  {t["table.model"], -40} {t["lab.context.mean-cosine", r.Word]}");
        Console.WriteLine($"  {t["context.static"], -40} {r.Static.Mean:F6}");
        foreach (var m in r.Contextual)
            Console.WriteLine($"  {m.Name, -40} {m.Mean:F6}");
        Console.WriteLine(
            "\n  "
                + t["lab.context.static-neighbours", r.Word, string.Join(", ", r.StaticNeighbors.Select(n => n.Word))]
        );
        if (plot is not null)
            Console.WriteLine($"  {t["lab.plot", plot]}");
        return 0;
    }
}
