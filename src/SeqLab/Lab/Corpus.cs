using SeqLab.Data;

namespace SeqLab.Lab;

/// <summary>
/// The real text the lab trains on: the session's --corpus (a file or folder; its last 10% of lines
/// held out), or Debian's fortunes-es in data/es (fetched through the session's FetchCorpus when absent).
/// </summary>
internal static class Corpus
{
    public sealed record Files(string Train, string Test, string Description);

    /// <summary>The train/test files, or null with the reason when no corpus can be found or fetched; prepared once
    /// per session and corpus (effective-context, context and pretraining all ask).</summary>
    public static (Files? Files, string? Problem) Resolve(LabSession s)
    {
        if (s.ResolvedCorpus is { } done && done.Corpus == s.Corpus)
            return done.Result;
        var result = Prepare(s);
        s.ResolvedCorpus = (s.Corpus, result);
        return result;
    }

    static (Files? Files, string? Problem) Prepare(LabSession s)
    {
        if (s.Corpus is { } path)
        {
            var lines = TextSource
                .ReadLines(path)
                .Select(l => l.Text)
                .Where(t => !string.IsNullOrWhiteSpace(t))
                .ToList();
            if (lines.Count < 20)
                throw new SeqLabInputException(
                    $"{path} has {lines.Count} non-empty lines; the lab needs a longer text (a few hundred lines at "
                        + $"least)."
                );
            int held = Math.Max(1, lines.Count / 10);
            var train = s.DataPath("corpus-train.txt");
            var test = s.DataPath("corpus-test.txt");
            IO.AtomicFile.WriteAllText(train, string.Join('\n', lines[..^held]) + "\n");
            IO.AtomicFile.WriteAllText(test, string.Join('\n', lines[^held..]) + "\n");
            return (new Files(train, test, s.T["corpus.own", path, lines.Count, held]), null);
        }
        var (dir, missing) = Fortunes(s);
        if (dir is null)
            return (null, missing);
        var text = WithoutQuotations(
            s,
            Path.Combine(dir, "train.txt"),
            PretrainingExperiment.Data(s, dir, PretrainingExperiment.FortunesTopics).Test.Select(e => e.Text)
        );
        return (new Files(text, Path.Combine(dir, "test.txt"), s.T["corpus.fortunes"]), null);
    }

    /// <summary>
    /// fortunes-es' training text less every line of the quotations the pretraining experiment tests on, so that the
    /// corpus language models (effective-context, context) can also be its pretrained encoders: they never read a test
    /// quotation. The topic files join a quotation's lines with spaces, so a line is dropped when it is part of one.
    /// </summary>
    internal static string WithoutQuotations(LabSession s, string train, IEnumerable<string> quotations)
    {
        var held = string.Join('\n', quotations);
        var kept = File.ReadLines(train)
            .Where(line =>
            {
                var text = line.Replace('\t', ' ').Trim(' ');
                return text.Length == 0 || !held.Contains(text, StringComparison.Ordinal);
            });
        var path = s.DataPath("fortunes-train.txt");
        IO.AtomicFile.WriteAllText(path, string.Join('\n', kept) + "\n");
        return path;
    }

    /// <summary>The folder of Debian's fortunes-es (data/es: train.txt, test.txt and the topic files), fetched when
    /// absent; or null with the reason it could not be.</summary>
    public static (string? Dir, string? Problem) Fortunes(LabSession s)
    {
        var dir = Path.Combine("data", "es");
        string[] needed = ["train.txt", "test.txt", "topics-train.tsv", "topics-test.tsv"];
        if (needed.All(f => File.Exists(Path.Combine(dir, f))))
            return (dir, null);
        var problem = s.FetchCorpus is { } fetch ? fetch(dir) : s.T["corpus.none"];
        return problem is null ? (dir, null) : (null, problem);
    }
}
