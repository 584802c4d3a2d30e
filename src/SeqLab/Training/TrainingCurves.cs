using System.Text.Json;
using SeqLab.Data;
using SeqLab.Figures;
using SeqLab.IO;
using SeqLab.Models;

namespace SeqLab.Training;

/// <summary>
/// A run's training curves from its metrics.jsonl: the training and validation loss, the validation score
/// (perplexity on a log scale for a language model, accuracy otherwise) and the learning rate, stacked over the
/// step axis. The trainer redraws DIR/curves.png and .svg at every validation; <see cref="Overlay"/> puts several
/// runs on the same axes (`seqlab plot`).
/// </summary>
public static class TrainingCurves
{
    public const string File = "curves";

    /// <summary>What metrics.jsonl holds: training steps (loss, learning rate) and validations.</summary>
    public sealed record Metrics(
        List<(double Step, double Loss, double Lr)> Train,
        List<(double Step, double Loss, double Perplexity, double Accuracy)> Valid
    );

    public static Metrics Read(string metricsPath)
    {
        var m = new Metrics([], []);
        int lineNo = 0;
        foreach (var line in System.IO.File.ReadLines(metricsPath))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            JsonElement e;
            try
            {
                e = JsonDocument.Parse(line).RootElement;
            }
            catch (JsonException)
            {
                throw new SeqLabInputException(
                    $"{metricsPath}:{lineNo}: not a JSON line; metrics.jsonl is written by `seqlab train`."
                );
            }
            double Get(string name) =>
                e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN;
            if (e.TryGetProperty("valid_loss", out _))
                m.Valid.Add((Get("step"), Get("valid_loss"), Get("valid_perplexity"), Get("valid_accuracy")));
            else if (e.TryGetProperty("loss", out _))
                m.Train.Add((Get("step"), Get("loss"), Get("lr")));
        }
        return m;
    }

    /// <summary>Draws one run's curves into its folder; returns the PNG's path.</summary>
    public static string Draw(string runDir, TaskKind task) =>
        Overlay(
            [(Path.GetFileName(Path.TrimEndingDirectorySeparator(runDir)), Read(MetricsPath(runDir)))],
            task,
            Path.Combine(runDir, File)
        );

    /// <summary>Several runs on the same axes, one colour each; returns the PNG's path.</summary>
    public static string Overlay(
        IReadOnlyList<(string Name, Metrics Metrics)> runs,
        TaskKind task,
        string pathWithoutExtension
    )
    {
        bool lm = task is TaskKind.Lm or TaskKind.Mlm; // perplexity (an MLM's: on its masked tokens)
        string Label(string name, string what) => runs.Count == 1 ? what : $"{name}, {what}";
        Plots.Series Line(string name, IEnumerable<(double X, double Y)> points)
        {
            var p = points.ToArray();
            return new(name, [.. p.Select(q => q.X)], [.. p.Select(q => q.Y)]);
        }
        var loss = runs.SelectMany(r =>
                new[]
                {
                    Line(Label(r.Name, "training"), r.Metrics.Train.Select(t => (t.Step, t.Loss))),
                    Line(Label(r.Name, "validation"), r.Metrics.Valid.Select(v => (v.Step, v.Loss))),
                }
            )
            .ToList();
        var score = runs.Select(r =>
                Line(Label(r.Name, "validation"), r.Metrics.Valid.Select(v => (v.Step, lm ? v.Perplexity : v.Accuracy)))
            )
            .ToList();
        var lr = runs.Select(r => Line(Label(r.Name, "learning rate"), r.Metrics.Train.Select(t => (t.Step, t.Lr))))
            .ToList();
        return Plots.Stacked(
            pathWithoutExtension,
            "step",
            [
                new("Loss (cross-entropy, nats)", "loss", loss),
                lm
                    ? new("Validation perplexity", "perplexity", score, LogY: true)
                    : new("Validation accuracy", "accuracy", score),
                new("Learning rate", "learning rate", lr),
            ]
        );
    }

    /// <summary>
    /// `seqlab plot`: the curves of several run folders on the same axes (e.g. an LSTM against a Transformer on the
    /// same data), named by their folders; they must share a task. Writes FILE.png and FILE.svg (an extension given
    /// in <paramref name="outFile"/> is dropped); returns the PNG's path.
    /// </summary>
    public static string Compare(IReadOnlyList<string> runDirs, string outFile)
    {
        if (runDirs.Count == 0)
            throw new SeqLabInputException("`seqlab plot` needs at least one run folder (e.g. runs/lstm runs/gpt).");
        var runs = runDirs
            .Select(dir =>
            {
                var metrics = Read(MetricsPath(dir));
                var config = Checkpoint.ReadJson<ModelConfig>(Path.Combine(dir, Checkpoint.ConfigFile));
                return (Dir: dir, Task: config.Task, Metrics: metrics);
            })
            .ToList();
        if (runs.Select(r => r.Task).Distinct().Count() > 1)
            throw new SeqLabInputException(
                $"the runs have different tasks ({string.Join(", ", runs.Select(r => $"{r.Dir}: {r.Task.Name()}"))}); "
                    + "plot runs of one task together."
            );
        var names = runs.Select(r => Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(r.Dir))))
            .ToList();
        if (names.Distinct().Count() < names.Count) // same folder names in different places: use the paths given
            names = [.. runs.Select(r => r.Dir)];
        var target = Path.Combine(
            Path.GetDirectoryName(Path.GetFullPath(outFile))!,
            Path.GetFileNameWithoutExtension(outFile)
        );
        return Overlay([.. names.Zip(runs, (n, r) => (n, r.Metrics))], runs[0].Task, target);
    }

    /// <summary>The metrics file of a run folder, or a clear refusal.</summary>
    public static string MetricsPath(string runDir)
    {
        var path = Path.Combine(runDir, Checkpoint.MetricsFile);
        if (!System.IO.File.Exists(path))
            throw new SeqLabInputException(
                $"{runDir} has no {Checkpoint.MetricsFile}; give a folder `seqlab train --out` wrote."
            );
        return path;
    }
}
