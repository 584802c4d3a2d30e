using SeqLab.Data;
using SeqLab.IO;
using SeqLab.Models;
using SeqLab.Text;
using SeqLab.Training;

namespace SeqLab.Cli.Commands;

/// <summary>`seqlab train`: parses the options into a config and training options, and runs the library's <see
/// cref="TrainingRun"/>.</summary>
public static class TrainCommand
{
    static readonly Setting<ModelConfig>[] ModelSettings =
    [
        Setting<ModelConfig>.Enum<TaskKind>(
            "task",
            "task",
            "what to learn: next token (lm), masked tokens read from both sides (mlm: BERT's pretraining, "
                + "transformer only), one label per text (classify), or an output text per source (seq2seq: an "
                + "encoder–decoder)",
            c => c.Task,
            (c, v) => c.Task = v
        ),
        Setting<ModelConfig>.Enum<ModelFamily>(
            "model",
            "family",
            "model family (seq2seq: transformer unless given)",
            c => c.Family,
            (c, v) => c.Family = v
        ),
        Setting<ModelConfig>.Enum<Recurrent.RecurrentImpl>(
            "impl",
            "impl",
            "fused = libtorch kernels (fast); reference = our cells stepping in C#",
            c => c.Impl,
            (c, v) => c.Impl = v
        ),
        Setting<ModelConfig>.Enum<TokenizerKind>(
            "tokenizer",
            "tokenizer",
            "how text becomes tokens",
            c => c.Tokenizer,
            (c, v) => c.Tokenizer = v
        ),
        Setting<ModelConfig>.Int(
            "vocab-size",
            "bpe_vocab_size",
            "bpe: tokens the tokenizer learns from the training text, the 256 byte symbols included",
            c => c.BpeVocabSize,
            (c, v) => c.BpeVocabSize = v,
            BpeTokenizer.Alphabet,
            ModelConfig.MaxVocabulary
        ),
        Setting<ModelConfig>.Enum<Pooling>(
            "pooling",
            "pooling",
            "classify: how token states become one vector",
            c => c.Pooling,
            (c, v) => c.Pooling = v
        ),
        Setting<ModelConfig>.Int(
            "embed-dim",
            "embed_dim",
            "embedding size (with --pretrained-embeddings: their size)",
            c => c.EmbedDim,
            (c, v) => c.EmbedDim = v,
            1,
            ModelConfig.MaxWidth
        ),
        Setting<ModelConfig>.Int(
            "hidden-size",
            "hidden_size",
            "recurrent state size; the Transformer's d_model",
            c => c.HiddenSize,
            (c, v) => c.HiddenSize = v,
            1,
            ModelConfig.MaxWidth
        ),
        Setting<ModelConfig>.Int(
            "layers",
            "num_layers",
            "stacked layers",
            c => c.NumLayers,
            (c, v) => c.NumLayers = v,
            1,
            ModelConfig.MaxLayers
        ),
        Setting<ModelConfig>.Double(
            "dropout",
            "dropout",
            "dropout probability in [0, 1)",
            c => c.Dropout,
            (c, v) => c.Dropout = v,
            0,
            1,
            maxExclusive: true,
            value: "P"
        ),
        Setting<ModelConfig>.Flag(
            "bidirectional",
            "bidirectional",
            "classify, recurrent: read the text both ways",
            c => c.Bidirectional = true
        ),
        Setting<ModelConfig>.Int(
            "heads",
            "heads",
            "transformer: attention heads (must divide --hidden-size)",
            c => c.Heads,
            (c, v) => c.Heads = v,
            1,
            ModelConfig.MaxHeads
        ),
        Setting<ModelConfig>.Int(
            "ff-dim",
            "ff_dim",
            "transformer: feed-forward inner size",
            c => c.FfDim,
            (c, v) => c.FfDim = v,
            1,
            ModelConfig.MaxFfDim
        ),
        Setting<ModelConfig>.Flag(
            "norm-first",
            "norm_first",
            "transformer: pre-LN instead of the paper's post-LN",
            c => c.NormFirst = true
        ),
        Setting<ModelConfig>.Flag(
            "learned-positions",
            "learned_positions",
            "transformer: learned position embeddings instead of sinusoids",
            c => c.LearnedPositions = true
        ),
        Setting<ModelConfig>.Flag(
            "freeze-embeddings",
            "freeze_embeddings",
            "keep the input embedding fixed while training (needs " + "--untie-weights for lm/seq2seq)",
            c => c.FreezeEmbeddings = true
        ),
        Setting<ModelConfig>.Flag(
            "freeze-encoder",
            "freeze_encoder",
            "keep the embedding and the encoder fixed: only the head learns (with --init-from: the pretrained "
                + "encoder as a feature extractor)",
            c => c.FreezeEncoder = true
        ),
        Setting<ModelConfig>.Flag(
            "untie-weights",
            "tie_weights",
            "lm/seq2seq: give the output layer its own weights instead of sharing the " + "embedding",
            c => c.TieWeights = false
        ),
        Setting<ModelConfig>.Int(
            "max-length",
            "max_length",
            "longest input (and seq2seq output) in tokens; the Transformer's position " + "table size",
            c => c.MaxLength,
            (c, v) => c.MaxLength = v,
            1,
            ModelConfig.MaxPositions
        ),
        Setting<ModelConfig>.Int(
            "min-count",
            "min_count",
            "keep words seen at least N times",
            c => c.MinCount,
            (c, v) => c.MinCount = v
        ),
        Setting<ModelConfig>.Int(
            "max-vocab",
            "max_vocab",
            "largest vocabulary",
            c => c.MaxVocab,
            (c, v) => c.MaxVocab = v,
            5
        ),
    ];

    static readonly Setting<TrainingOptions>[] TrainingSettings =
    [
        new(new Option("steps", "N", "stop after N optimiser steps"), "steps", (a, o) => o.Steps = a.Long("steps", 1)),
        new(
            new Option("epochs", "N", "stop after N passes over the training data"),
            "epochs",
            (a, o) => o.Epochs = a.Int("epochs", 1)
        ),
        new(
            new Option(
                "time-budget",
                "DURATION",
                $"stop after this much time, e.g. 90s, 2m (when no limit is given: "
                    + $"{TrainingDefaults.TimeBudgetSeconds:0} s, at most {TrainingDefaults.Epochs} epochs)"
            ),
            "time_budget_seconds",
            (a, o) => o.TimeBudgetSeconds = a.Seconds("time-budget")
        ),
        Setting<TrainingOptions>.Int(
            "seed",
            "seed",
            "random seed (data order, initialisation, dropout)",
            o => o.Seed,
            (o, v) => o.Seed = v,
            int.MinValue,
            value: "S"
        ),
        new(
            new Option(
                "init-from",
                "DIR",
                "classify: start the embedding and encoder from a pretrained language model's checkpoint (lm or "
                    + "mlm; its architecture, vocabulary and tokenizer are kept, the head starts fresh)"
            ),
            "init_from",
            (a, o) => o.InitFrom = a.String("init-from")
        ),
        new(
            new Option(
                "head-lr",
                "RATE",
                "the task head's own learning rate (fine-tuning: e.g. 10× --lr, so a fresh head learns fast while "
                    + "the pretrained encoder moves slowly); default: --lr"
            ),
            "head_learning_rate",
            (a, o) => o.HeadLearningRate = a.Double("head-lr", double.Epsilon, double.PositiveInfinity)
        ),
        new(
            new Option(
                "tensorboard",
                "DIR",
                "also write TensorBoard event files to DIR: loss, perplexity, learning rate, gradient norm and "
                    + "tokens/s per step; validation loss, perplexity and accuracy"
            ),
            "tensorboard",
            (a, o) => o.Tensorboard = a.String("tensorboard")
        ),
        new(
            new Option("threads", "N", "libtorch threads; default: all cores"),
            "threads",
            (a, o) => o.Threads = a.Int("threads", 1, 1024)
        ),
        Setting<TrainingOptions>.Double(
            "lr",
            "learning_rate",
            $"peak learning rate (transformer: {TrainingDefaults.TransformerLearningRate}; "
                + "with --schedule noam a factor on d_model^-0.5 · min(step^-0.5, step · warmup^-1.5))",
            o => o.LearningRate,
            (o, v) => o.LearningRate = v,
            double.Epsilon,
            value: "RATE"
        ),
        Setting<TrainingOptions>.Enum<Native.Precision>(
            "precision",
            "precision",
            "matrix products in fp32, or in bf16 with fp32 master weights, loss and AdamW (faster where the CPU has "
                + "AVX512-BF16; see the README's Performance section)",
            o => o.Precision,
            (o, v) => o.Precision = v
        ),
        Setting<TrainingOptions>.Double(
            "label-smoothing",
            "label_smoothing",
            "spread E of each target's probability over the vocabulary " + "(the paper: 0.1)",
            o => o.LabelSmoothing,
            (o, v) => o.LabelSmoothing = v,
            0,
            1,
            maxExclusive: true,
            value: "E"
        ),
        Setting<TrainingOptions>.Int(
            "batch-size",
            "batch_size",
            "examples (lm: windows) per step",
            o => o.BatchSize,
            (o, v) => o.BatchSize = v,
            1,
            1 << 20
        ),
        Setting<TrainingOptions>.Int(
            "seq-len",
            "seq_len",
            "lm: tokens per training window",
            o => o.SeqLen,
            (o, v) => o.SeqLen = v,
            1,
            ModelConfig.MaxPositions
        ),
        Setting<TrainingOptions>.Enum<Schedule>(
            "schedule",
            "schedule",
            "learning-rate schedule (all with linear warmup)",
            o => o.Schedule,
            (o, v) => o.Schedule = v
        ),
        Setting<TrainingOptions>.Int(
            "warmup",
            "warmup_steps",
            "warmup steps",
            o => o.WarmupSteps,
            (o, v) => o.WarmupSteps = v,
            0
        ),
        Setting<TrainingOptions>.Int(
            "eval-interval",
            "eval_interval",
            "validate and checkpoint every N steps",
            o => o.EvalInterval,
            (o, v) => o.EvalInterval = v
        ),
        Setting<TrainingOptions>.Int(
            "patience",
            "patience",
            "stop after N validations without improvement (0 = never)",
            o => o.Patience,
            (o, v) => o.Patience = v,
            0
        ),
    ];

    /// <summary>Training options that a resumed run may change (its budget and schedule); the rest are fixed by the
    /// checkpoint.</summary>
    static readonly HashSet<string> Resumable =
    [
        "steps",
        "epochs",
        "time-budget",
        "seed",
        "threads",
        "tensorboard",
        "lr",
        "label-smoothing",
        "schedule",
        "warmup",
        "eval-interval",
        "patience",
    ];

    public static readonly Option[] Options =
    [
        new(
            "data",
            "PATH",
            "training data: text file or folder of .txt (lm); TSV label<TAB>text or JSONL {text, label} (classify); "
                + "TSV source<TAB>target or JSONL {source, target} (seq2seq)"
        ),
        new(
            "valid",
            "PATH",
            "validation data in the same format; default: hold out the last 10% (lm) or a seeded random 10% "
                + "(classify, seq2seq)"
        ),
        new(
            "config",
            "FILE.json",
            "{\"model\": {...}, \"training\": {...}} with the snake_case keys of config.json / training.json"
        ),
        new("out", "DIR", "checkpoint directory to create (must not hold another checkpoint)"),
        new("resume", "DIR", "continue the run saved in DIR (needs the same --data)"),
        new("allow-new-data", null, "with --resume: go on with data other than the run's (refused otherwise)"),
        new("device", "cpu", "where to train; this build of SeqLab is CPU-only"),
        new(
            "preset",
            "paper",
            "train as Vaswani et al. 2017: Adam β=(0.9, 0.98), ε=1e-9, no weight decay, label smoothing 0.1, the noam "
                + "schedule (warmup 4000 unless --warmup); --lr then scales the noam curve (default 1)"
        ),
        new(
            "pretrained-embeddings",
            "FILE",
            "start the input embedding from word2vec vectors (`seqlab embed train`, gensim)"
        ),
        .. ModelSettings.Select(s => s.Option),
        .. TrainingSettings.Select(s => s.Option),
        new("json", null, "print a JSON summary on stdout"),
        new(
            "profile",
            null,
            "print where the run's time went: batching, forward, backward, clipping, optimiser, release, logging, "
                + "validation, checkpoints, curves (--json has it as profile_s)"
        ),
        new("help", null, "show this help"),
    ];

    public const string Usage =
        "seqlab train --task lm|mlm|classify|seq2seq --model rnn|lstm|gru|transformer --data PATH [--valid PATH] "
        + "[--steps N|--epochs N|--time-budget 90s] --out DIR";

    public static int Run(Args a)
    {
        string data = a.Required("data");
        string? resumeDir = a.String("resume");
        string outDir =
            a.String("out")
            ?? resumeDir
            ?? throw new SeqLabInputException(
                "`seqlab train` needs --out DIR (where the checkpoint goes); see `seqlab train --help`."
            );
        if (resumeDir is not null && Path.GetFullPath(resumeDir) != Path.GetFullPath(outDir))
            throw new SeqLabInputException(
                "--resume continues a run in its own directory; drop --out or make it the same as --resume."
            );
        if (a.String("device") is { } device && device != "cpu")
            throw new SeqLabInputException(
                $"--device {device} is not available: this build uses TorchSharp-cpu; use --device cpu."
            );

        var run = resumeDir is null ? Start(a, data, outDir) : Resume(a, data, resumeDir);
        var config = run.Config;
        bool lm = config.Task is TaskKind.Lm or TaskKind.Mlm;
        Output.Info(
            $"seqlab: {config.Family.Name()} ({config.Impl.Name()}) {config.Task.Name()} model, {run.Parameters:N0} "
                + $"parameters, "
                + $"vocabulary {run.Data.Vocabulary.Count:N0}, {run.Data.TrainSize:N0} training "
                + $"{(lm ? "tokens" : "examples")}, "
                + $"{run.Data.BatchesPerEpoch:N0} batches per epoch"
                + (run.Resumed is { } r ? $"; resuming at step {r.Manifest.State.Step}" : "")
                + (
                    run.Resumed is { Manifest.Optimizer: null }
                        ? " with a fresh optimizer (the checkpoint was imported and has no optimizer state)"
                        : ""
                )
        );
        TrainingState state;
        using (var interrupt = new Interrupt())
        {
            run.Stop = interrupt.Token;
            state = ProgressView.Training(run, lm, run.Run);
        }

        string best = lm
            ? $"best valid perplexity {Math.Exp(state.BestValidLoss):F2}"
            : $"best valid loss {state.BestValidLoss:F4}";
        Output.Info(
            $"seqlab: {state.Step} steps in {state.ElapsedSeconds:F0} s; {best} (step {state.BestStep}); checkpoint "
                + $"in {outDir}"
        );
        if (a.Flag("json"))
            Output.Json(
                new
                {
                    out_dir = outDir,
                    steps = state.Step,
                    epochs = state.Epoch,
                    elapsed_s = state.ElapsedSeconds,
                    best_valid_loss = state.BestValidLoss,
                    best_step = state.BestStep,
                    best_valid_perplexity = lm ? Math.Exp(state.BestValidLoss) : (double?)null,
                    parameters = run.Parameters,
                    interrupted = run.Interrupted,
                    profile_s = run.Profile?.Seconds,
                }
            );
        if (a.Flag("profile") && run.Profile is { } profile)
            Output.Info(Profile(profile, state.Step));
        if (run.Interrupted)
        {
            Output.Info(
                $"seqlab: interrupted at step {state.Step}; the checkpoint in {outDir} is saved. Continue with "
                    + $"`seqlab train --resume {outDir} --data {data}`."
            );
            return Interrupt.ExitCode;
        }
        return 0;
    }

    static TrainingRun Start(Args a, string data, string outDir)
    {
        var file = ConfigFile.Read(a.String("config"));
        var given = new HashSet<string>(file.Given);
        if (a.String("preset") is { } preset)
        {
            if (preset != "paper")
                throw new SeqLabInputException(
                    $"unknown preset '{preset}'; the one preset is 'paper' (Vaswani et al. 2017)."
                );
            TrainingOptions.Paper(file.Training);
            given.Add("learning_rate");
        }
        foreach (var s in ModelSettings)
            s.Apply(a, file.Model, given);
        foreach (var s in TrainingSettings)
            s.Apply(a, file.Training, given);
        if (a.String("pretrained-embeddings") is { } vectors)
            file.Model.PretrainedEmbeddings = vectors;
        var pretrained = TrainingDefaults.Apply(file.Model, file.Training, given);
        var run = TrainingRun.Start(file.Model, file.Training, data, a.String("valid"), outDir, pretrained);
        if (pretrained is not null)
            Output.Info(
                $"seqlab: {run.PretrainedWords:N0} of {run.Data.Vocabulary.Count - Vocabulary.Specials.Length:N0} "
                    + $"vocabulary words start "
                    + $"from {file.Model.PretrainedEmbeddings}"
                    + (file.Model.FreezeEmbeddings ? " (frozen)" : "")
            );
        return run;
    }

    static TrainingRun Resume(Args a, string data, string dir)
    {
        var fixedOptions = Options
            .Select(o => o.Name)
            .Where(n =>
                n is not ("data" or "valid" or "out" or "resume" or "device" or "json" or "help" or "allow-new-data")
                && !Resumable.Contains(n)
            );
        foreach (var name in fixedOptions)
            if (a.Has(name))
                throw new SeqLabInputException(
                    $"--{name} cannot change when resuming; the run keeps the settings saved in {dir}."
                );
        return TrainingRun.Resume(
            dir,
            data,
            a.String("valid"),
            o =>
            {
                foreach (var s in TrainingSettings)
                    s.Apply(a, o, new HashSet<string>());
            },
            allowNewData: a.Flag("allow-new-data")
        );
    }

    /// <summary>The phases' seconds, share of the run and milliseconds per step, one line each.</summary>
    static string Profile(StepProfile p, long steps)
    {
        var lines = new List<string> { $"seqlab: where the {p.Total:F1} s went ({steps} steps):" };
        foreach (var (phase, s) in p.Seconds)
        {
            double share = s / Math.Max(1e-9, p.Total),
                perStep = 1000 * s / Math.Max(1, steps);
            lines.Add($"  {phase, -11} {s, 8:F3} s  {share, 6:P1}  {perStep, 8:F2} ms/step");
        }
        return string.Join("\n", lines);
    }
}
