using System.Diagnostics;
using SeqLab.Training;
using Spectre.Console;

namespace SeqLab.Cli;

/// <summary>
/// Shows training progress on stderr: a live Spectre.Console bar (step, loss, perplexity, tokens/s,
/// ETA) in a terminal, or one plain line every few seconds and at each validation when stderr is
/// redirected (CI logs, pipes).
/// </summary>
public static class ProgressView
{
    public static T Run<T>(Trainer trainer, bool perplexity, Func<T> train)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (Console.IsErrorRedirected || !console.Profile.Capabilities.Interactive)
            return Plain(trainer, perplexity, train);

        T result = default!;
        console.Progress().AutoClear(false).HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("training", maxValue: 1000);
                string valid = "";
                trainer.Progress += p =>
                {
                    if (p.ValidLoss is { } v) valid = perplexity ? $" │ valid ppl {Math.Exp(v):F1}" : $" │ valid acc {p.ValidAccuracy:P1}";
                    else task.Description = Markup.Escape($"step {p.Step}{(p.TotalSteps is { } t ? "/" + t : "")}  loss {p.Loss:F3}" +
                        (perplexity ? $"  ppl {Math.Exp(p.Loss):F1}" : "") + $"  {p.TokensPerSecond:N0} tok/s{valid}");
                    if (p.Fraction is { } f) task.Value = f * 1000;
                    else task.IsIndeterminate = true;
                };
                result = train();
                task.Value = 1000;
            });
        return result;
    }

    static T Plain<T>(Trainer trainer, bool perplexity, Func<T> train)
    {
        var last = Stopwatch.StartNew();
        trainer.Progress += p =>
        {
            if (p.ValidLoss is { } v)
            {
                Output.Info($"  step {p.Step}: valid loss {v:F4}" + (perplexity ? $", perplexity {Math.Exp(v):F2}" : $", accuracy {p.ValidAccuracy:P1}"));
                return;
            }
            if (last.Elapsed.TotalSeconds < 5 && p.Step > 1) return;
            last.Restart();
            string eta = p.Fraction is { } f && f > 0 ? $"  ETA {TimeSpan.FromSeconds(p.ElapsedSeconds * (1 - f) / f):m\\:ss}" : "";
            Output.Info($"  step {p.Step}{(p.TotalSteps is { } t ? "/" + t : "")}  loss {p.Loss:F3}" +
                (perplexity ? $"  ppl {Math.Exp(p.Loss):F1}" : "") + $"  {p.TokensPerSecond:N0} tok/s  lr {p.LearningRate:G3}{eta}");
        };
        return train();
    }
}
