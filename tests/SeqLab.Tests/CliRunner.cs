using SeqLab.Cli;

namespace SeqLab.Tests;

/// <summary>Runs the real CLI in-process and captures what it prints (tests using it do not run in parallel).</summary>
public static class CliRunner
{
    static readonly Lock Gate = new();

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string[] ErrorLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public static Result Run(params string[] args)
    {
        lock (Gate)
        {
            var (oldOut, oldErr) = (Console.Out, Console.Error);
            var (stdout, stderr) = (new StringWriter(), new StringWriter());
            Console.SetOut(stdout);
            Console.SetError(stderr);
            try { return new Result(Cli.Cli.Run(args), stdout.ToString(), stderr.ToString()); }
            finally { Console.SetOut(oldOut); Console.SetError(oldErr); }
        }
    }
}

[CollectionDefinition("cli", DisableParallelization = true)]
public sealed class CliCollection;
