using SeqLab.Training;

namespace SeqLab.Cli.Commands;

/// <summary>`seqlab plot RUN… --out FILE`: several runs' training curves on the same axes.</summary>
public static class PlotCommand
{
    public static readonly Option[] Options =
    [
        new("out", "FILE", "where to write the figure: FILE.png and FILE.svg (default: curves in this folder)"),
        new("force", null, "overwrite FILE.png/.svg if they exist"),
        new("json", null, "print {\"png\": …, \"svg\": …} on stdout"),
        new("help", null, "show this help"),
    ];

    public const string Usage =
        "seqlab plot RUN [RUN …] [--out FILE]     # e.g. seqlab plot runs/lstm runs/gpt --out cmp";

    public static int Run(Args a)
    {
        var outFile = a.String("out") ?? "curves";
        string png = Path.ChangeExtension(outFile, ".png"),
            svg = Path.ChangeExtension(outFile, ".svg");
        foreach (var f in new[] { png, svg })
            if (File.Exists(f) && !a.Flag("force"))
                throw new SeqLabInputException(
                    $"{f} already exists; choose another --out or add --force to replace it."
                );
        png = TrainingCurves.Compare(a.Positionals, outFile);
        Output.Info(
            $"seqlab: curves of {a.Positionals.Count} run(s) written to {png} and {Path.ChangeExtension(png, ".svg")}"
        );
        if (a.Flag("json"))
            Output.Json(
                new
                {
                    png,
                    svg = Path.ChangeExtension(png, ".svg"),
                    runs = a.Positionals,
                }
            );
        return 0;
    }
}
