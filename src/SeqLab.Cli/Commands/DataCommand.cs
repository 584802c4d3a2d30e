using SeqLab.Data;
using SeqLab.Data.Generated;
using SeqLab.IO;

namespace SeqLab.Cli.Commands;

/// <summary>`seqlab data reverse|copy|long-range`: writes a generated data set (seq2seq pairs, or the lecture's
/// long-range task).</summary>
public static class DataCommand
{
    public static readonly Option[] Options =
    [
        new("out", "FILE", "where to write the examples (.tsv, or .jsonl for JSON lines)"),
        new("examples", "N", "how many examples", 10_000),
        new("min-length", "N", "shortest sequence", 5),
        new("max-length", "N", "longest sequence", 20),
        new("symbols", "N", "alphabet size (a, b, c, …)", 10),
        new("distance", "N", "long-range: at least N tokens between the cue and the blank", 50),
        new("max-distance", "M", "long-range: draw each example's distance uniformly from N…M tokens; default N"),
        new(
            "format",
            $"{TaskKind.Classify.Name()}|{TaskKind.Lm.Name()}",
            "long-range: TSV language<TAB>text up to the blank (for a classifier), or one "
                + "completed text per line (for a language model)",
            TaskKind.Classify.Name()
        ),
        new("seed", "S", "random seed", 1),
        new("force", null, "overwrite --out if it exists, and write data sets estimated over 1 GB"),
        new("help", null, "show this help"),
    ];

    public const string Usage =
        "seqlab data reverse|copy --out FILE [--examples N] [--min-length 5] [--max-length 20] [--symbols 10] "
        + "[--seed S]\n"
        + "       seqlab data long-range --out FILE [--examples N] [--distance 50] [--max-distance M] [--format "
        + "classify|lm] [--seed S]";

    static readonly string[] Names = [.. SymbolTasks.Names, "long-range"];

    /// <summary>Data sets larger than this are written only with --force (they are streamed either way).</summary>
    const double MaxBytes = 1e9;

    static void CheckSize(double bytes, bool force)
    {
        if (bytes > MaxBytes && !force)
            throw new SeqLabInputException(
                $"this data set would be about {bytes / 1e9:F1} GB; lower --examples or the lengths, or add --force "
                    + $"to write it."
            );
    }

    public static int Run(Args a)
    {
        if (a.Positionals.Count != 1)
            throw new SeqLabInputException(
                $"`seqlab data` needs one data set name ({string.Join(", ", Names)}), e.g. `seqlab data reverse "
                    + $"--out reverse.tsv`."
            );
        string task = a.Positionals[0],
            path = a.Required("out");
        if (!Names.Contains(task))
            throw new SeqLabInputException($"unknown data set '{task}'; use one of: {string.Join(", ", Names)}.");
        if (File.Exists(path) && !a.Flag("force"))
            throw new SeqLabInputException(
                $"{path} already exists; choose another --out or add --force to replace it."
            );
        if (Directory.Exists(path))
            throw new SeqLabInputException(
                $"{path} is a directory; --out needs a file name such as {Path.Combine(path, task + ".tsv")}."
            );
        bool force = a.Flag("force");
        if (task == "long-range")
        {
            var format = Spelling.Parse<TaskKind>("--format", a.String("format")!);
            int examples = a.Int("examples", 1, 10_000_000)!.Value,
                distance = a.Int("distance", 0, 1_000_000)!.Value;
            int maxDistance = a.Int("max-distance", 0, 1_000_000) ?? distance;
            CheckSize(LongRange.EstimatedBytes(examples, distance, maxDistance), force);
            var (count, mean) = LongRange.Write(
                path,
                LongRange.Stream(examples, distance, maxDistance, a.Int("seed")!.Value),
                format
            );
            Output.Info(
                $"seqlab: wrote {count:N0} long-range examples (cue to blank: {mean:F0} tokens on average) to {path}"
            );
            return 0;
        }
        var options = new SymbolTasks.Options(
            a.Int("examples", 1, 10_000_000)!.Value,
            a.Int("min-length", 1, 100_000)!.Value,
            a.Int("max-length", 1, 100_000)!.Value,
            a.Int("symbols", 2, 676)!.Value,
            a.Int("seed")!.Value
        );
        options.Validate();
        CheckSize(SymbolTasks.EstimatedBytes(options), force);
        long written = SymbolTasks.Write(path, SymbolTasks.Generate(task, options));
        Output.Info($"seqlab: wrote {written:N0} {task} examples to {path}");
        return 0;
    }
}
