using System.Diagnostics;

namespace SeqLab.Cli.Commands;

/// <summary>Fetches Debian's fortunes-es for the lab with scripts/get-spanish-corpus.sh, found above the working folder
/// or the tool.</summary>
public static class SpanishCorpus
{
    /// <returns>null when the corpus is in <paramref name="dir"/>, or why it could not be fetched.</returns>
    public static string? Fetch(string dir, Action<string> log)
    {
        var script = FindScript();
        if (script is null)
            return "no corpus: give --corpus PATH (any UTF-8 text), or run scripts/get-spanish-corpus.sh from a "
                + "SeqLab checkout";
        log($"fetching the Spanish corpus with {script}");
        try
        {
            using var p = Process.Start(
                new ProcessStartInfo("bash", [script, dir])
                {
                    RedirectStandardError = true,
                    RedirectStandardOutput = true,
                }
            )!;
            var err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0
                ? null
                : $"{script} failed ({err.Trim().Split('\n').LastOrDefault()}); give --corpus PATH with any UTF-8 "
                    + $"text instead";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"could not run {script} ({e.Message}); give --corpus PATH instead";
        }
    }

    static string? FindScript()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                var candidate = Path.Combine(d.FullName, "scripts", "get-spanish-corpus.sh");
                if (File.Exists(candidate))
                    return candidate;
            }
        return null;
    }
}
