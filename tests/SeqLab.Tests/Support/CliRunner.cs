namespace SeqLab.Tests;

/// <summary>Runs the real CLI in-process and captures what it prints (tests using it do not run in parallel).</summary>
public static class CliRunner
{
    static readonly Lock Gate = new();

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string[] ErrorLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>A GRU language model trained for 3 steps by `seqlab train` in dir/m, on dir/c.txt.</summary>
    public static (string Model, string Data) TinyLanguageModel(TempDir dir)
    {
        var data = dir.File("c.txt", Corpora.Repetitive());
        var model = dir.Sub("m");
        var r = Run(
            "train",
            "--task",
            "lm",
            "--model",
            "gru",
            "--data",
            data,
            "--out",
            model,
            "--embed-dim",
            "8",
            "--hidden-size",
            "8",
            "--min-count",
            "1",
            "--seq-len",
            "8",
            "--steps",
            "3",
            "--threads",
            "1"
        );
        Assert.True(r.ExitCode == 0, r.Stderr);
        return (model, data);
    }

    public static Result Run(params string[] args)
    {
        lock (Gate)
        {
            var (oldOut, oldErr) = (Console.Out, Console.Error);
            var (stdout, stderr) = (new StringWriter(), new StringWriter());
            Console.SetOut(stdout);
            Console.SetError(stderr);
            try
            {
                return new Result(Cli.Cli.Run(args), stdout.ToString(), stderr.ToString());
            }
            finally
            {
                Console.SetOut(oldOut);
                Console.SetError(oldErr);
            }
        }
    }
}
