using SeqLab.IO;
using SeqLab.Native;
using SeqLab.Training;

namespace SeqLab.Cli.Commands;

/// <summary>`seqlab export` and `seqlab import`: safetensors with PyTorch's parameter names, out of and into
/// checkpoints.</summary>
public static class InteropCommands
{
    public static readonly Option[] ExportOptions =
    [
        new("model", "DIR", "checkpoint directory written by `seqlab train`"),
        new("out", "FILE", "where to write the weights (.safetensors)"),
        new("latest", null, "the latest weights instead of the best-validation ones"),
        new(
            "dtype",
            "T",
            "how to store the weights: f32 (as trained), f16 or bf16 (half the size, rounded to nearest even)",
            "f32"
        ),
        new("force", null, "overwrite --out if it exists"),
        new("help", null, "show this help"),
    ];
    public const string ExportUsage =
        "seqlab export --model DIR --out model.safetensors [--latest] [--dtype f32|f16|bf16]";

    public static int Export(Args a)
    {
        string dir = a.Required("model"),
            outPath = a.Required("out");
        if (File.Exists(outPath) && !a.Flag("force"))
            throw new SeqLabInputException($"{outPath} already exists; choose another --out or add --force.");
        TorchRuntime.EnsureLoaded();
        var floats = Spelling.Parse<FloatFormat>("--dtype", a.String("dtype")!);
        var names = Interop.Export(dir, outPath, a.Flag("latest"), floats);
        Output.Info(
            $"seqlab: wrote {names.Count} tensors "
                + $"({string.Join(", ", names.Take(4))}{(names.Count > 4 ? ", …" : "")}) to {outPath}; the "
                + $"architecture is {Path.Combine(dir, Checkpoint.ConfigFile)}, the tokens "
                + $"{Path.Combine(dir, Checkpoint.VocabFile)}"
        );
        return 0;
    }

    public static readonly Option[] ImportOptions =
    [
        new(
            "weights",
            "FILE",
            "safetensors with SeqLab's / PyTorch's parameter names (see the README's interop section)"
        ),
        new(
            "config",
            "FILE.json",
            "the architecture: the keys of a checkpoint's config.json (family, task, sizes, vocab_size, …)"
        ),
        new(
            "vocab",
            "FILE",
            "the tokens: a SeqLab vocab.json, or a text file with one token per line (line i = id i; <pad> <unk> "
                + "<bos> <eos> first)"
        ),
        new("out", "DIR", "the checkpoint directory to create"),
        new("help", null, "show this help"),
    ];
    public const string ImportUsage =
        "seqlab import --weights model.safetensors --config config.json --vocab vocab.txt --out DIR";

    public static int Import(Args a)
    {
        TorchRuntime.EnsureLoaded();
        var loaded = Interop.Import(
            a.Required("weights"),
            a.Required("config"),
            a.Required("vocab"),
            a.Required("out")
        );
        Output.Info(
            $"seqlab: imported a {loaded.Config.Family.Name()} {loaded.Config.Task.Name()} model "
                + $"({loaded.Model.UniqueParameters().Sum(p => p.numel()):N0} parameters) into {loaded.Directory}"
        );
        return 0;
    }
}
