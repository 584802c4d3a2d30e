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
        new(
            "pytorch",
            "DIR",
            "instead of --out: a new folder with the weights, config, vocabulary, model.py, data.py and train_ddp.py "
                + "(continue training with PyTorch DDP under torchrun; every family and task)"
        ),
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
        "seqlab export --model DIR --out model.safetensors [--latest] [--dtype f32|f16|bf16]\n"
        + "       seqlab export --model DIR --pytorch OUT_DIR [--latest]";

    public static int Export(Args a)
    {
        if (a.Has("pytorch"))
            return ExportPyTorch(a);
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

    static int ExportPyTorch(Args a)
    {
        if (a.Has("out") || a.Has("dtype"))
            throw new SeqLabInputException(
                "--pytorch writes a folder of its own; drop --out and --dtype (they are for a single weights file)."
            );
        string dir = a.Required("model"),
            outDir = a.Required("pytorch");
        TorchRuntime.EnsureLoaded();
        var files = PyTorchFolder.Export(dir, outDir, a.Flag("latest"));
        Output.Info(
            $"seqlab: wrote {string.Join(", ", files)} to {outDir}; continue training with `torchrun "
                + $"--nproc_per_node=2 {Path.Combine(outDir, "train_ddp.py")} --data TEXT --steps N --out OUT`, then "
                + "`seqlab import --from-pytorch OUT --out RUN` (see its README.md)"
        );
        return 0;
    }

    public static readonly Option[] ImportOptions =
    [
        new(
            "format",
            "F",
            "seqlab: --weights, --config and --vocab; hf-bert: a Hugging Face BertForMaskedLM folder given as DIR "
                + "(config.json, model.safetensors, vocab.txt)",
            "seqlab"
        ),
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
        new(
            "from-pytorch",
            "DIR",
            "instead of --weights/--config/--vocab: a folder train_ddp.py wrote (--out) or `export --pytorch` made"
        ),
        new("out", "DIR", "the checkpoint directory to create"),
        new("help", null, "show this help"),
    ];
    public const string ImportUsage =
        "seqlab import --weights model.safetensors --config config.json --vocab vocab.txt --out DIR\n"
        + "       seqlab import --from-pytorch DIR --out RUN\n"
        + "       seqlab import --format hf-bert BERT_DIR --out DIR";

    public static int Import(Args a)
    {
        if (a.Has("from-pytorch"))
        {
            foreach (var option in new[] { "weights", "config", "vocab" })
                if (a.Has(option))
                    throw new SeqLabInputException(
                        $"--{option} does not go with --from-pytorch; that folder brings its own files."
                    );
            TorchRuntime.EnsureLoaded();
            var back = PyTorchFolder.Import(a.Required("from-pytorch"), a.Required("out"));
            Output.Info(
                $"seqlab: imported a {back.Config.Family.Name()} {back.Config.Task.Name()} model "
                    + $"({back.Model.UniqueParameters().Sum(p => p.numel()):N0} parameters) into {back.Directory}"
                    + (
                        back.Manifest.Optimizer is null
                            ? "; `train --resume` continues it with a fresh optimiser"
                            : $" at step {back.Manifest.State.Step}; `train --resume` continues it with PyTorch's "
                                + "optimiser state"
                    )
            );
            return 0;
        }
        var format = a.String("format");
        if (format == HuggingFaceBert.Format)
            return ImportBert(a);
        if (format != "seqlab")
            throw new SeqLabInputException($"unknown --format '{format}'; use seqlab or {HuggingFaceBert.Format}.");
        if (a.Positionals.Count > 0)
            throw new SeqLabInputException(
                $"`seqlab import` takes a folder ({a.Positionals[0]}) only with --format {HuggingFaceBert.Format}; "
                    + "otherwise give --weights, --config and --vocab."
            );
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

    static int ImportBert(Args a)
    {
        if (a.Positionals.Count != 1)
            throw new SeqLabInputException(
                $"--format {HuggingFaceBert.Format} needs one folder, e.g. `seqlab import --format "
                    + $"{HuggingFaceBert.Format} ./bert-base-spanish --out runs/beto`."
            );
        foreach (var option in new[] { "weights", "config", "vocab" })
            if (a.Has(option))
                throw new SeqLabInputException(
                    $"--{option} is for --format seqlab; a {HuggingFaceBert.Format} folder brings its own files."
                );
        string outDir = a.Required("out");
        TorchRuntime.EnsureLoaded();
        var (loaded, ignored) = HuggingFaceBert.Import(a.Positionals[0], outDir);
        var c = loaded.Config;
        Output.Info(
            $"seqlab: imported a Hugging Face BERT ({c.NumLayers} layers, d_model {c.HiddenSize}, {c.Heads} heads, "
                + $"{c.VocabSize:N0} WordPiece tokens, "
                + $"{loaded.Model.UniqueParameters().Sum(p => p.numel()):N0} parameters) into {loaded.Directory}"
                + (
                    ignored.Count == 0
                        ? ""
                        : $"; left out {ignored.Count} tensors it does not use ({string.Join(", ", ignored.Take(3))}"
                            + $"{(ignored.Count > 3 ? ", …" : "")})"
                )
        );
        return 0;
    }
}
