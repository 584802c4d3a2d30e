using System.Text.Json;
using SeqLab.Data.Generated;
using SeqLab.IO;
using SeqLab.Lab;

namespace SeqLab.Tests;

[Collection("cli")]
public class DemoCliSpec
{
    /// <summary>`seqlab demo --scale tiny` into dir/demo on one thread, on a small corpus and topics folder of its
    /// own (nothing fetched), with <paramref name="extra"/> options.</summary>
    static CliRunner.Result TinyDemo(TempDir dir, params string[] extra)
    {
        var corpus = dir.File("corpus.txt", Corpora.Repetitive(300));
        string[] args =
        [
            "demo",
            "--scale",
            "tiny",
            "--out",
            dir.Sub("demo"),
            "--corpus",
            corpus,
            "--topics",
            PretrainingDataSpec.TopicsFolder(dir),
            "--threads",
            "1",
            .. extra,
        ];
        return CliRunner.Run(args);
    }

    [Fact]
    public void DemoWritesASelfContainedReportWithEveryExperiment()
    {
        using var dir = new TempDir();
        var r = TinyDemo(dir, "--seeds", "2", "--lang", "en", "--json");
        Assert.Equal(0, r.ExitCode);
        var html = File.ReadAllText(Path.Combine(dir.Sub("demo"), "report.html"));
        foreach (var name in Experiments.Names)
            Assert.Contains($"id=\"{name}\"", html);
        Assert.Contains("data:image/png;base64,", html);
        Assert.Contains("Verdict:", html);
        Assert.DoesNotContain("Skipped:", html);
        var doc = JsonDocument.Parse(r.Stdout).RootElement;
        Assert.Equal(Experiments.Names.Length, doc.GetProperty("experiments").GetArrayLength());
    }

    [Fact]
    public void WithLangEsTheReportAndSummaryReadInSpanishAndTheJsonNumbersStayInvariant()
    {
        using var dir = new TempDir();
        var r = TinyDemo(dir, "--seeds", "1", "--lang", "es");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("veredicto", r.Stdout);
        Assert.Contains("informe:", r.Stdout);
        var html = File.ReadAllText(Path.Combine(dir.Sub("demo"), "report.html"));
        Assert.Contains("<html lang=\"es\">", html);
        Assert.Contains("Veredicto:", html);
        Assert.Contains("Dependencias de largo alcance", html);
        Assert.Contains("Paralelismo", html);
        foreach (var english in new[] { "Verdict:", "The lecture:", "Measured:", "Rule:", "held-out accuracy" })
            Assert.DoesNotContain(english, html);
        Assert.Matches(@"<td>\d+,\d\d</td>", html); // a decimal comma in the parallelism table
        // The JSON keeps its numbers as numbers and its verdicts in their stable spelling.
        var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Sub("demo"), "long-range.json"))).RootElement;
        Assert.Equal(JsonValueKind.Number, doc.GetProperty("numbers").GetProperty("chance").ValueKind);
        Assert.Contains(doc.GetProperty("verdict").GetString(), new[] { "supported", "not_supported", "inconclusive" });
        Assert.StartsWith("Confirmada cuando", doc.GetProperty("rule").GetString());
    }

    [Fact]
    public void SkippedExperimentsAreLeftOutOfTheRunAndTheReport()
    {
        using var dir = new TempDir();
        var r = TinyDemo(dir, "--seeds", "1", "--skip", "effective-context,context,pretraining");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var html = File.ReadAllText(Path.Combine(dir.Sub("demo"), "report.html"));
        foreach (var name in new[] { "effective-context", "context", "pretraining" })
        {
            Assert.False(File.Exists(Path.Combine(dir.Sub("demo"), name + ".json")), name);
            Assert.DoesNotContain($"id=\"{name}\"", html);
        }
        Assert.Contains("id=\"long-range\"", html);
    }

    [Fact]
    public void AnUnknownSkipIsABadInputNamingTheExperiments()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("demo", "--scale", "tiny", "--out", dir.Sub("demo"), "--skip", "bert");
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.Contains("'bert'", r.Stderr);
        Assert.Contains("pretraining", r.Stderr);
        Assert.False(Directory.Exists(dir.Sub("demo")));
    }

    [Fact]
    public void AnUnknownLangIsABadInputWithOneLine()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("lab", "parallelism", "--scale", "tiny", "--out", dir.Sub("lab"), "--lang", "fr");
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.Contains("--lang 'fr'", r.Stderr);
    }

    [Fact]
    public void EveryExperimentFileHasAVerdictFromARuleAndLongRangeHasItsCurve()
    {
        using var dir = new TempDir();
        Assert.Equal(0, TinyDemo(dir, "--seed", "5", "--seeds", "2").ExitCode);
        foreach (var name in Experiments.Names)
        {
            var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Sub("demo"), name + ".json"))).RootElement;
            Assert.Contains(
                doc.GetProperty("verdict").GetString(),
                new[] { "supported", "not_supported", "inconclusive" }
            );
            Assert.False(string.IsNullOrWhiteSpace(doc.GetProperty("rule").GetString()), name);
        }
        // The probe compares four kinds of vector, and both Transformers fill the blank sentences.
        var context = JsonDocument
            .Parse(File.ReadAllText(Path.Combine(dir.Sub("demo"), "context.json")))
            .RootElement.GetProperty("numbers");
        Assert.Equal(3, context.GetProperty("contextual").EnumerateObject().Count());
        Assert.Contains(context.GetProperty("contextual").EnumerateObject(), p => p.Name.StartsWith("transformer mlm"));
        var fills = context.GetProperty("fill_the_blank").EnumerateArray().ToList();
        Assert.Equal(ContextExperiment.BlankSentences, fills.Select(f => f.GetProperty("sentence").GetString()));
        Assert.All(fills, f => Assert.Equal(3, f.GetProperty("masked").GetArrayLength()));
        // The pretraining experiment ran on the --topics folder: five arms, two label counts, two seeds.
        var pretraining = JsonDocument
            .Parse(File.ReadAllText(Path.Combine(dir.Sub("demo"), "pretraining.json")))
            .RootElement.GetProperty("numbers");
        Assert.Equal(5 * 2 * 2, pretraining.GetProperty("accuracy").GetArrayLength());
        var curve = JsonDocument
            .Parse(File.ReadAllText(Path.Combine(dir.Sub("demo"), "long-range.json")))
            .RootElement.GetProperty("numbers")
            .GetProperty("curve")
            .EnumerateArray()
            .ToList();
        Assert.Equal(new[] { 5, 6 }, curve.Select(p => p.GetProperty("seed").GetInt32()).Distinct().Order());
        Assert.Equal(
            LongRangeExperiment.Families.Select(f => f.Name()).Order(),
            curve.Select(p => p.GetProperty("family").GetString()!).Distinct().Order()
        );
        Assert.True(
            curve.Select(p => p.GetProperty("distance").GetDouble()).Distinct().Count() >= 8 * 2,
            "at least 8 distance buckets per seed"
        );
        Assert.All(
            curve,
            p =>
                Assert.InRange(
                    p.GetProperty("accuracy").GetDouble(),
                    p.GetProperty("low").GetDouble(),
                    p.GetProperty("high").GetDouble()
                )
        );
    }

    [Fact]
    public void DataLongRangeWritesClassificationAndLanguageModelText()
    {
        using var dir = new TempDir();
        Assert.Equal(
            0,
            CliRunner
                .Run("data", "long-range", "--out", dir.Sub("lr.tsv"), "--examples", "30", "--distance", "40")
                .ExitCode
        );
        var lines = File.ReadAllLines(dir.Sub("lr.tsv"));
        Assert.Equal(30, lines.Length);
        Assert.All(lines, l => Assert.Contains(l.Split('\t')[0], LongRange.Languages.Select(x => x.Language)));
        Assert.Equal(
            0,
            CliRunner
                .Run("data", "long-range", "--out", dir.Sub("lr.txt"), "--examples", "5", "--format", "lm")
                .ExitCode
        );
        Assert.All(File.ReadAllLines(dir.Sub("lr.txt")), l => Assert.EndsWith(".", l));
    }

    [Fact]
    public void UnknownExperimentIsABadInput()
    {
        var r = CliRunner.Run("lab", "telepathy");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("long-range", r.Stderr);
    }
}
