using System.Diagnostics;
using SeqLab.Embeddings;
using SeqLab.Training;
using Spectre.Console;

namespace SeqLab.Cli;

/// <summary>
/// Shows progress on stderr: a live Spectre.Console bar in a terminal, or one plain line every few
/// seconds (and every "milestone", such as a validation) when stderr is redirected (CI logs, pipes).
/// </summary>
public static class ProgressView
{
    /// <summary>Reports progress: fraction done (null when unknown), a one-line status, and whether it is a milestone
    /// worth its own line.</summary>
    public delegate void Report(double? fraction, string status, bool milestone = false);

    public static T Run<T>(Func<Report, T> work)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (Console.IsErrorRedirected || !console.Profile.Capabilities.Interactive)
        {
            var last = Stopwatch.StartNew();
            bool first = true;
            return work(
                (fraction, status, milestone) =>
                {
                    if (!milestone && !first && last.Elapsed.TotalSeconds < 5)
                        return;
                    first = false;
                    if (!milestone)
                        last.Restart();
                    Output.Info("  " + status);
                }
            );
        }

        T result = default!;
        console
            .Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new RemainingTimeColumn(),
                new SpinnerColumn()
            )
            .Start(ctx =>
            {
                var task = ctx.AddTask("starting", maxValue: 1000);
                string milestoneText = "";
                result = work(
                    (fraction, status, milestone) =>
                    {
                        if (milestone)
                            milestoneText = $" │ {status}";
                        else
                            task.Description = Markup.Escape(status + milestoneText);
                        if (fraction is { } f)
                            task.Value = f * 1000;
                        else
                            task.IsIndeterminate = true;
                    }
                );
                task.Value = 1000;
            });
        return result;
    }

    /// <summary>Training: step, loss, perplexity (lm), tokens/s, learning rate, ETA; each validation as a
    /// milestone.</summary>
    public static T Training<T>(TrainingRun run, bool perplexity, Func<T> train) =>
        Run(report =>
        {
            run.Progress += p =>
            {
                if (p.ValidLoss is { } v)
                {
                    report(
                        p.Fraction,
                        $"step {p.Step}: valid loss {v:F4}"
                            + (perplexity ? $", perplexity {Math.Exp(v):F2}" : $", accuracy {p.ValidAccuracy:P1}"),
                        milestone: true
                    );
                    return;
                }
                string eta =
                    p.Fraction is { } f && f > 0
                        ? $"  ETA {TimeSpan.FromSeconds(p.ElapsedSeconds * (1 - f) / f):m\\:ss}"
                        : "";
                report(
                    p.Fraction,
                    $"step {p.Step}{(p.TotalSteps is { } t ? "/" + t : "")}  loss {p.Loss:F3}"
                        + (perplexity ? $"  ppl {Math.Exp(p.Loss):F1}" : "")
                        + $"  {p.TokensPerSecond:N0} tok/s  lr {p.LearningRate:G3}{eta}"
                );
            };
            return train();
        });

    /// <summary>Word2Vec: epoch, words/s, learning rate.</summary>
    public static T Embedding<T>(Word2Vec w2v, Func<T> train) =>
        Run(report =>
        {
            w2v.OnProgress += p =>
                report(
                    p.Fraction,
                    $"epoch {p.Epoch}  {p.WordsDone:N0}/{p.WordsTotal:N0} words  {p.WordsPerSecond:N0} words/s  "
                        + $"alpha {p.Alpha:G3}"
                );
            return train();
        });
}
