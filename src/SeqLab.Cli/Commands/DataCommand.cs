using System.Text.Json;
using SeqLab.Data;
using SeqLab.Training;

namespace SeqLab.Cli.Commands;

/// <summary>`seqlab data reverse|copy`: writes a generated seq2seq data set (TSV or JSONL).</summary>
public static class DataCommand
{
    public static readonly Option[] Options =
    [
        new("out", "FILE", "where to write the examples (.tsv, or .jsonl for JSON lines)"),
        new("examples", "N", "how many examples; default 10000"),
        new("min-length", "N", "shortest sequence; default 5"),
        new("max-length", "N", "longest sequence; default 20"),
        new("symbols", "N", "alphabet size (a, b, c, …); default 10"),
        new("seed", "S", "random seed; default 1"),
        new("force", null, "overwrite --out if it exists"),
        new("help", null, "show this help"),
    ];

    public const string Usage = "seqlab data reverse|copy --out FILE [--examples N] [--min-length 5] [--max-length 20] [--symbols 10] [--seed S]";

    public static int Run(Args a)
    {
        if (a.Positionals.Count != 1)
            throw new SeqLabInputException($"`seqlab data` needs one task name ({string.Join(", ", SymbolTasks.Names)}), e.g. `seqlab data reverse --out reverse.tsv`.");
        string task = a.Positionals[0], path = a.Required("out");
        if (!SymbolTasks.Names.Contains(task))
            throw new SeqLabInputException($"unknown data set '{task}'; use one of: {string.Join(", ", SymbolTasks.Names)}.");
        if (File.Exists(path) && !a.Flag("force")) throw new SeqLabInputException($"{path} already exists; choose another --out or add --force to replace it.");
        if (Directory.Exists(path)) throw new SeqLabInputException($"{path} is a directory; --out needs a file name such as {Path.Combine(path, task + ".tsv")}.");
        var options = new SymbolTasks.Options(a.Int("examples", 1, 10_000_000) ?? 10_000, a.Int("min-length", 1, 100_000) ?? 5,
            a.Int("max-length", 1, 100_000) ?? 20, a.Int("symbols", 2, 676) ?? 10, a.Int("seed") ?? 1);
        bool jsonl = path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
        var lines = SymbolTasks.Generate(task, options).Select(p => jsonl
            ? JsonSerializer.Serialize(new { source = p.Source, target = p.Target })
            : $"{p.Source}\t{p.Target}").ToList();
        AtomicFile.WriteAllText(path, string.Join('\n', lines) + "\n");
        Output.Info($"seqlab: wrote {lines.Count:N0} {task} examples to {path}");
        return 0;
    }
}
