using SeqLab.Data;
using SeqLab.Embeddings;
using SeqLab.Models;
using SeqLab.Native;
using SeqLab.Text;

namespace SeqLab.Training;

/// <summary>
/// One training run from data to checkpoint — the recipe every caller uses (the CLI, the lab, the
/// playground's defaults, the tests): read the data under one vocabulary, build or restore the model,
/// open the checkpoint folder, train, load the result.
/// </summary>
public sealed class TrainingRun : IDisposable
{
    IDisposable? _lock;

    public ModelConfig Config { get; }
    public TrainingOptions Options { get; }
    public TaskData Data { get; }
    public SequenceModel Model { get; }

    /// <summary>The checkpoint folder.</summary>
    public string Directory { get; }

    /// <summary>The saved run this one continues, or null for a new run.</summary>
    public LoadedModel? Resumed { get; }

    /// <summary>How many vocabulary words started from pretrained vectors (0 without them).</summary>
    public int PretrainedWords { get; }
    public long Parameters => Model.UniqueParameters().Sum(p => p.numel());

    /// <summary>Cancel it (Ctrl+C) to end the run after the current step, with a checkpoint.</summary>
    public CancellationToken Stop { get; set; }

    /// <summary>Whether <see cref="Run"/> ended because <see cref="Stop"/> was cancelled.</summary>
    public bool Interrupted { get; private set; }

    /// <summary>After each step, and after each validation with its numbers.</summary>
    public event Action<TrainingProgress>? Progress;

    TrainingRun(
        ModelConfig config,
        TrainingOptions options,
        TaskData data,
        SequenceModel model,
        string dir,
        LoadedModel? resumed,
        int pretrainedWords
    )
    {
        (Config, Options, Data, Model, Directory, Resumed, PretrainedWords) = (
            config,
            options,
            data,
            model,
            dir,
            resumed,
            pretrainedWords
        );
    }

    /// <summary>
    /// A new run into <paramref name="outDir"/>, which must not hold a checkpoint. The config and options
    /// are used as they are; <see cref="TrainingDefaults.Apply"/> fills what a user left unset.
    /// </summary>
    public static TrainingRun Start(
        ModelConfig config,
        TrainingOptions options,
        string data,
        string? valid,
        string outDir,
        WordVectors? pretrained = null
    )
    {
        Checkpoint.EnsureNew(outDir);
        config.Validate();
        options.Validate();
        // A Transformer LM's windows must fit its position table.
        if (config.IsTransformer && config.Task is TaskKind.Lm or TaskKind.Mlm && options.SeqLen > config.MaxLength)
            throw new SeqLabInputException(
                $"seq_len ({options.SeqLen}) is longer than max_length ({config.MaxLength}), the longest input the "
                    + $"model "
                    + "reads; lower --seq-len or raise --max-length."
            );
        if (pretrained is null && config.PretrainedEmbeddings is { } path)
            pretrained = WordVectors.Load(path);
        LoadedModel? source;
        TaskData taskData;
        SequenceModel model;
        // Seeded, then drawn from by this run alone: the same initial weights whatever else trains in the process.
        lock (GlobalGenerator.Gate)
        {
            Seed(options);
            // Fine-tuning reads the data with the pretrained vocabulary and tokenizer, so its ids mean the same.
            source = options.InitFrom is { } initFrom ? Checkpoint.Load(initFrom) : null;
            taskData = PrepareData(config, options, data, valid, source?.Vocabulary, source?.Tokenizer);
            options.DataSha256 = Fingerprint(data, valid);
            // Training holds each weight four times (value, gradient, two Adam moments), plus the activations.
            double window = config.Task is TaskKind.Lm or TaskKind.Mlm ? options.SeqLen : config.MaxLength;
            config.CheckMemory(16, 16.0 * options.BatchSize * window * config.HiddenSize * config.NumLayers * 4);
            model = ModelFactory.Create(config);
        }
        using var sourceModel = source?.Model; // only its weights are needed, once
        if (source is not null)
            FineTuning.CopyEncoder(model, source);
        int found = pretrained is null ? 0 : PretrainedEmbeddings.Apply(model, taskData.Vocabulary, pretrained);
        var folderLock = Checkpoint.Lock(outDir);
        try
        {
            Checkpoint.Begin(outDir, config, options, taskData.Vocabulary, taskData.Tokenizer);
        }
        catch
        {
            folderLock.Dispose();
            throw;
        }
        return new TrainingRun(config, options, taskData, model, outDir, null, found) { _lock = folderLock };
    }

    /// <summary>
    /// Continues the run saved in <paramref name="dir"/> on the same data: its model, optimiser state and
    /// place in the data order. <paramref name="change"/> may extend the budget or alter the schedule.
    /// </summary>
    public static TrainingRun Resume(
        string dir,
        string data,
        string? valid,
        Action<TrainingOptions>? change = null,
        bool allowNewData = false
    )
    {
        TorchRuntime.EnsureLoaded();
        var folderLock = Checkpoint.Lock(dir);
        try
        {
            var saved = Checkpoint.Load(dir, best: false);
            var options = saved.Training;
            if (!allowNewData && options.DataSha256 is { } recorded && recorded != Fingerprint(data, valid))
                throw new SeqLabInputException(
                    $"{data} is not the data this run was trained on (its SHA-256 differs from the one in {dir}); give "
                        + "the same --data (and --valid), or add --allow-new-data to go on with new data."
                );
            change?.Invoke(options);
            options.Validate();
            Seed(options);
            var taskData = PrepareData(saved.Config, options, data, valid, saved.Vocabulary, saved.Tokenizer);
            return new TrainingRun(saved.Config, options, taskData, saved.Model, dir, saved, 0) { _lock = folderLock };
        }
        catch
        {
            folderLock.Dispose();
            throw;
        }
    }

    /// <summary>Where the run's time went, phase by phase (after <see cref="Run"/>).</summary>
    public StepProfile? Profile { get; private set; }

    /// <summary>Trains until the budget, early stopping or divergence ends the run; the checkpoint is current after
    /// each validation.</summary>
    public TrainingState Run()
    {
        try
        {
            var trainer = new Trainer(Options) { Stop = Stop };
            trainer.Progress += p => Progress?.Invoke(p);
            var state = trainer.Run(Model, Data, Directory, Resumed);
            Interrupted = trainer.Interrupted;
            Profile = trainer.Profile;
            return state;
        }
        finally
        {
            Dispose();
        }
    }

    /// <summary>Releases the folder's lock (the run is over; <see cref="Run"/> does this itself).</summary>
    public void Dispose()
    {
        _lock?.Dispose();
        _lock = null;
    }

    /// <summary>The trained model as saved: the best validation weights, or the latest.</summary>
    public LoadedModel Load(bool best = true) => Checkpoint.Load(Directory, best);

    /// <summary>
    /// The task's data under the config's text pipeline and the options' batch shape. A new vocabulary
    /// (and label set) is built from the training part unless <paramref name="vocab"/> is given; the
    /// config learns its vocabulary size and labels.
    /// </summary>
    public static TaskData PrepareData(
        ModelConfig config,
        TrainingOptions options,
        string data,
        string? valid,
        Vocabulary? vocab = null,
        ITokenizer? tokenizer = null
    )
    {
        var dataOptions = new DataOptions
        {
            Task = config.Task,
            Tokenizer = config.Tokenizer,
            Lowercase = config.Lowercase,
            ClsSepFraming = config.ClsSepFraming,
            MinCount = config.MinCount,
            MaxVocab = config.MaxVocab,
            BpeVocabSize = config.BpeVocabSize,
            MaxLength = config.MaxLength,
            SeqLen = options.SeqLen,
            BatchSize = options.BatchSize,
            Seed = options.Seed,
            ValidFraction = options.ValidFraction,
            LengthBuckets = options.LengthBuckets,
            Curriculum = options.Curriculum,
        };
        // A resumed classifier keeps its labels; a new one (fine-tuned from a pretrained vocabulary too) finds them.
        var labels =
            vocab is not null && config.Task == TaskKind.Classify && config.Labels.Count > 0 ? config.Labels : null;
        var taskData = TaskData.Prepare(dataOptions, data, valid, vocab, labels, tokenizer);
        config.VocabSize = taskData.Vocabulary.Count;
        if (config.Task == TaskKind.Classify)
            config.Labels = [.. taskData.Labels];
        return taskData;
    }

    static string Fingerprint(string data, string? valid) =>
        valid is null
            ? TextSource.Fingerprint(data)
            : $"{TextSource.Fingerprint(data)}+{TextSource.Fingerprint(valid)}";

    static void Seed(TrainingOptions options)
    {
        TorchRuntime.SetThreads(options.Threads);
        lock (GlobalGenerator.Gate)
            TorchSharp.torch.manual_seed(options.Seed);
    }
}
