using System.Diagnostics;
using SeqLab.Lab;
using SeqLab.Lab.Report;

namespace SeqLab.Cli.Commands;

/// <summary>`seqlab demo`: the whole lecture in minutes — every lab experiment, a self-contained report.html and a
/// summary table.</summary>
public static class DemoCommand
{
    public static readonly Option[] Options =
    [
        new("out", "DIR", "where the report, plots, numbers and models go", Path.Combine("runs", "demo")),
        new(
            "scale",
            "small|full",
            "small (default: about 5 minutes on 2 cores) or full (the larger version, over an hour)"
        ),
        new(
            "corpus",
            "PATH",
            "real text for effective-context and context (default: fortunes-es, fetched by "
                + "scripts/get-spanish-corpus.sh)"
        ),
        new("sentence", "TEXT", "the sentence for the attention maps (default: the lecture's, with [???])"),
        LabCommand.TopicsOption,
        new("threads", "N", "libtorch threads; default: all cores"),
        new("seed", "S", "the first random seed", 1),
        new(
            "seeds",
            "N",
            "repeat the training-based experiments with seeds S, S+1, …, S+N−1 (a finding that flips between seeds "
                + "is flagged); 1 at --scale full, which takes about 50 minutes per seed on 2 cores",
            2
        ),
        new(
            "skip",
            "NAME[,NAME…]",
            "leave these experiments out (e.g. long-range: about 2 of the default demo's 5 minutes)"
        ),
        LabCommand.LangOption,
        new("json", null, "print one JSON document (every experiment's numbers) on stdout"),
        new("help", null, "show this help"),
    ];

    public const string Usage =
        "seqlab demo [--out DIR] [--scale small|full] [--seed S] [--seeds N] [--corpus PATH] [--skip NAME,…] "
        + "[--lang es|en] [--json]";

    public static int Run(Args a)
    {
        var clock = Stopwatch.StartNew();
        var skip = (a.String("skip") ?? "").Split(
            ',',
            StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries
        );
        if (skip.FirstOrDefault(n => !Experiments.Names.Contains(n)) is { } unknown)
            throw new SeqLabInputException(
                $"--skip: unknown experiment '{unknown}'; the demo's are {string.Join(", ", Experiments.Names)}."
            );
        var session = LabCommand.Session(a);
        var t = session.T;
        var results = new List<LabResult>();
        foreach (var name in Experiments.Names.Except(skip))
        {
            Output.Info($"seqlab demo: {name} ({clock.Elapsed.TotalSeconds:F0} s so far)");
            LabResult r;
            try
            {
                r = Experiments.Run(name, session);
            }
            catch (SeqLabInputException e)
            {
                r = LabResult.Skip(name, name, "", e.Message, 0, t);
            }
            results.Add(r);
            LabCommand.Report(r, session, json: false, print: false);
        }
        var report = Path.Combine(session.OutDir, "report.html");
        var settings = t[
            "report.settings",
            session.Scale.ToString().ToLowerInvariant(),
            string.Join(", ", session.Seeds),
            session.Threads
        ];
        HtmlReport.Write(report, results, settings, clock.Elapsed.TotalSeconds, t);
        if (a.Flag("json"))
            Output.Json(
                new
                {
                    report,
                    seconds = clock.Elapsed.TotalSeconds,
                    settings,
                    language = t.Language.Code(),
                    machine = HtmlReport.Machine(),
                    experiments = results.Select(r => r.Document()),
                }
            );
        else
        {
            using var numbers = t.Numbers();
            Console.WriteLine(
                $"  {t["report.experiment"], -18} {"s", 4}  {t["report.verdict"], -29} {t["report.measured"]}"
            );
            foreach (var r in results)
                Console.WriteLine(
                    $"  {r.Name, -18} {r.Seconds, 4:F0}  {HtmlReport.VerdictWords(r, t), -29} "
                        + HtmlReport.Headline(r, t)
                );
            Console.WriteLine($"\n  {t["demo.report", report, clock.Elapsed.TotalSeconds]}");
        }
        return 0;
    }
}
