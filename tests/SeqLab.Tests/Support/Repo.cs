using System.Text;

namespace SeqLab.Tests;

/// <summary>The repository checkout the tests were built from, and running other programs in it.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (System.IO.File.Exists(System.IO.Path.Combine(d.FullName, "SeqLab.slnx")))
                return d.FullName;
        throw new InvalidOperationException($"no SeqLab.slnx above {AppContext.BaseDirectory}");
    }

    public sealed record Output(int ExitCode, string Text);

    /// <summary>
    /// NuGet caches a package by id and version in the global packages folder: drop an earlier build of
    /// this version (one that SeqLab's own tests packed) so that the package just packed is the one used.
    /// </summary>
    public static void ForgetCachedPackage(string id, string version)
    {
        var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p
            ? p
            : System.IO.Path.Combine(
                Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
                ".nuget",
                "packages"
            );
        var cached = System.IO.Path.Combine(root, id.ToLowerInvariant(), version);
        if (Directory.Exists(cached))
            Directory.Delete(cached, recursive: true);
    }

    /// <summary>Runs a program to its end (stdout and stderr together), failing the test after <paramref
    /// name="timeout"/>.</summary>
    public static Output Run(
        string file,
        IEnumerable<string> args,
        string workingDirectory,
        TimeSpan timeout,
        IDictionary<string, string>? env = null
    )
    {
        var psi = new System.Diagnostics.ProcessStartInfo(file, args)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (k, v) in env ?? new Dictionary<string, string>())
            psi.Environment[k] = v;
        using var p = System.Diagnostics.Process.Start(psi)!;
        var text = new StringBuilder();
        p.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                lock (text)
                    text.AppendLine(e.Data);
        };
        p.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                lock (text)
                    text.AppendLine(e.Data);
        };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} ran past {timeout}: {text}");
        }
        p.WaitForExit();
        lock (text)
            return new Output(p.ExitCode, text.ToString());
    }
}
