using SeqLab.Data;
using SeqLab.IO;
using System.Diagnostics;
using SeqLab.Text;

namespace SeqLab.Lab;

/// <summary>
/// The real text the lab trains on: the session's --corpus (a file or folder; its last 10% of lines
/// held out), or Debian's fortunes-es in data/es, fetched by scripts/get-spanish-corpus.sh when absent.
/// </summary>
internal static class Corpus
{
    public sealed record Files(string Train, string Test, string Description);

    /// <summary>The train/test files, or null with the reason when no corpus can be found or fetched.</summary>
    public static (Files? Files, string? Problem) Resolve(LabSession s)
    {
        if (s.Corpus is { } path)
        {
            var lines = TextSource.ReadLines(path).Select(l => l.Text).Where(t => !string.IsNullOrWhiteSpace(t)).ToList();
            if (lines.Count < 20) throw new SeqLabInputException($"{path} has {lines.Count} non-empty lines; the lab needs a longer text (a few hundred lines at least).");
            int held = Math.Max(1, lines.Count / 10);
            var train = s.DataPath("corpus-train.txt");
            var test = s.DataPath("corpus-test.txt");
            IO.AtomicFile.WriteAllText(train, string.Join('\n', lines[..^held]) + "\n");
            IO.AtomicFile.WriteAllText(test, string.Join('\n', lines[^held..]) + "\n");
            return (new Files(train, test, $"{path} ({lines.Count:N0} lines; the last {held:N0} held out)"), null);
        }
        var dir = Path.Combine("data", "es");
        string trainPath = Path.Combine(dir, "train.txt"), testPath = Path.Combine(dir, "test.txt");
        if (!File.Exists(trainPath) || !File.Exists(testPath))
        {
            var script = FindScript();
            if (script is null) return (null, "no corpus: give --corpus PATH (any UTF-8 text), or run scripts/get-spanish-corpus.sh from a SeqLab checkout");
            s.Log($"fetching the Spanish corpus with {script}");
            try
            {
                using var p = Process.Start(new ProcessStartInfo("bash", [script, dir]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
                var err = p.StandardError.ReadToEnd();
                p.WaitForExit();
                if (p.ExitCode != 0) return (null, $"{script} failed ({err.Trim().Split('\n').LastOrDefault()}); give --corpus PATH with any UTF-8 text instead");
            }
            catch (System.ComponentModel.Win32Exception e) { return (null, $"could not run {script} ({e.Message}); give --corpus PATH instead"); }
        }
        return (new Files(trainPath, testPath, "Debian's fortunes-es (Spanish quotations, 0.9 MB; the last 10% held out)"), null);
    }

    static string? FindScript()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                var candidate = Path.Combine(d.FullName, "scripts", "get-spanish-corpus.sh");
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }
}
