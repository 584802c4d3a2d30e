using System.Diagnostics;
using System.Text;
using System.Text.Json;
using SeqLab.Data;
using SeqLab.IO;
using SeqLab.Models;
using SeqLab.Training;

namespace SeqLab.Lab;

/// <summary>
/// Settings shared by the experiments of one run, and the models they train — so the demo trains
/// each model once (the gradient experiment reuses the long-range models, the context probe the
/// effective-context language models). A model saved by an earlier run into the same folder, with the
/// same configuration and data, is reused: loaded as it is, or trained further when its experiment
/// accumulates training across runs.
/// </summary>
public sealed class LabSession(
    string outDir,
    LabScale scale = LabScale.Small,
    int seed = 1,
    int? threads = null,
    Action<string>? log = null,
    int seeds = 1
)
{
    public string OutDir { get; } = Path.GetFullPath(outDir);
    public LabScale Scale { get; } = scale;

    /// <summary>The first seed; the training-based experiments repeat with <see cref="Seeds"/>.</summary>
    public int Seed { get; } = seed;

    /// <summary>Seed, Seed + 1, …: one repetition of each training-based experiment per seed.</summary>
    public IReadOnlyList<int> Seeds { get; } = Enumerable.Range(seed, Math.Max(1, seeds)).ToArray();
    public int Threads { get; } = threads ?? Environment.ProcessorCount;

    /// <summary>A text corpus for the experiments on real text (effective-context, context); null = fetch
    /// fortunes-es.</summary>
    public string? Corpus { get; set; }

    /// <summary>
    /// Fetches the default corpus into the folder it is given when an experiment needs it and it is
    /// absent; returns null on success or the reason it could not. The library starts no process itself:
    /// the CLI supplies this (it runs scripts/get-spanish-corpus.sh).
    /// </summary>
    public Func<string, string?>? FetchCorpus { get; init; }

    /// <summary>What <see cref="Lab.Corpus.Resolve"/> prepared, and for which <see cref="Corpus"/>.</summary>
    internal (string? Corpus, (Corpus.Files? Files, string? Problem) Result)? ResolvedCorpus { get; set; }

    /// <summary>A folder with topics-train.tsv and topics-test.tsv (label TAB text) for the pretraining experiment;
    /// null = fortunes-es' four topics.</summary>
    public string? Topics { get; set; }

    /// <summary>The language of every sentence, table and plot a reader sees (English by default).</summary>
    public Report.Texts T { get; init; } = Report.Texts.English;

    /// <summary>The sentence for the attention maps; null = the lecture's.</summary>
    public string? Sentence { get; set; }
    readonly Dictionary<string, LoadedModel> models = new();
    readonly Dictionary<string, TrainedFor> trained = new();

    // In a job of Concurrently: the libtorch threads of the runs it starts (one; the jobs share the cores).
    [ThreadStatic]
    static int? laneThreads;

    /// <summary>
    /// Runs independent jobs (each trains and measures one model) as many at a time as there are threads, each with
    /// one libtorch thread: small models use two threads poorly (the long-range classifiers train 1.2× faster on two
    /// than on one), so two at a time finish sooner. Not at the full scale: there each model slowed down far more
    /// side by side (the long-range GRU took 1 364 s, against 372 s alone on two threads), so the jobs run one after
    /// another on every thread. The cause is glibc's: tensors over 32 MB come from fresh mappings, and two threads
    /// faulting their pages in (about 300 000 faults a second) contend for the process's memory map; see
    /// MallocThresholds for the part that could be fixed from inside the process. Results come back in the jobs'
    /// order. A job's model must have no dropout: its initial weights are its own (see GlobalGenerator), dropout masks
    /// would not be.
    /// </summary>
    public T[] Concurrently<T>(IReadOnlyList<Func<T>> jobs)
    {
        var results = new T[jobs.Count];
        if (Threads < 2 || jobs.Count < 2 || Scale == LabScale.Full)
        {
            for (int i = 0; i < jobs.Count; i++)
                results[i] = jobs[i]();
            return results;
        }
        int next = -1;
        System.Runtime.ExceptionServices.ExceptionDispatchInfo? failure = null;
        var lanes = Enumerable
            .Range(0, Math.Min(Threads, jobs.Count))
            .Select(_ => new Thread(() =>
            {
                laneThreads = 1;
                for (int i; failure is null && (i = Interlocked.Increment(ref next)) < jobs.Count; )
                {
                    try
                    {
                        results[i] = jobs[i]();
                    }
                    catch (Exception e)
                    {
                        Interlocked.CompareExchange(
                            ref failure,
                            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e),
                            null
                        );
                    }
                }
            }))
            .ToList();
        lanes.ForEach(l => l.Start());
        lanes.ForEach(l => l.Join());
        failure?.Throw();
        return results;
    }

    public void Log(string line) => log?.Invoke(line);

    /// <summary>The seeds a run uses when none are asked for: <paramref name="usual"/>, but one at the full scale,
    /// which takes most of an hour per seed on 2 cores.</summary>
    public static int DefaultSeeds(LabScale scale, int usual) => scale == LabScale.Full ? 1 : usual;

    public T Pick<T>(T tiny, T small, T full) =>
        Scale switch
        {
            LabScale.Tiny => tiny,
            LabScale.Full => full,
            _ => small,
        };

    public string PlotPath(string name) => Path.Combine(OutDir, "plots", name);

    public string DataPath(string name) => Path.Combine(OutDir, "data", name);

    /// <summary>How long each model of this session has been trained in total (key → steps, seconds).</summary>
    public IReadOnlyDictionary<string, TrainedFor> Trained => trained;

    /// <summary>Writes the result's JSON document to DIR/NAME.json (atomically); returns its path.</summary>
    public string Save(LabResult r)
    {
        Directory.CreateDirectory(OutDir);
        var path = Path.Combine(OutDir, r.Name + ".json");
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(r.Document(), Json.Options));
        return path;
    }

    const string LabKeyFile = "lab-key.txt";

    /// <summary>
    /// Trains (once per key and seed) and loads a model. A checkpoint that an earlier run left in the
    /// same place with the same configuration, options and data is reused: as it is, or, with
    /// <paramref name="accumulate"/>, trained for this run's budget more (so a second demo continues
    /// where the first stopped).
    /// </summary>
    public LoadedModel Model(
        string key,
        ModelConfig config,
        TrainingOptions options,
        string data,
        string? valid,
        int? seed = null,
        bool accumulate = false
    )
    {
        int runSeed = seed ?? Seed;
        key = $"{key}/seed{runSeed}";
        lock (models)
            if (models.TryGetValue(key, out var cached))
                return cached;
        var dir = Path.Combine(OutDir, "models", key.Replace('/', '-'));
        options.Seed = runSeed;
        options.Threads ??= laneThreads ?? Threads;
        string identity = Identity(config, options, data, valid);
        var clock = Stopwatch.StartNew();

        LoadedModel? previous = null;
        if (File.Exists(Path.Combine(dir, Checkpoint.ManifestFile)))
        {
            bool same =
                File.Exists(Path.Combine(dir, LabKeyFile))
                && File.ReadAllText(Path.Combine(dir, LabKeyFile)) == identity;
            if (same)
            {
                try
                {
                    previous = Checkpoint.Load(dir, best: false);
                }
                catch (SeqLabInputException e)
                {
                    Log($"{key}: the saved model cannot be reused ({e.Message}); training anew");
                }
            }
            // Only ever remove a checkpoint this lab wrote before (same out dir, same key).
            if (previous is null)
                Directory.Delete(dir, recursive: true);
        }

        // A model whose run was cut short (the demo stopped mid-training) is trained on to its budget, not reused.
        bool finished = options.Steps is not { } budget || previous?.Manifest.State.Step >= budget;
        if (previous is not null && !accumulate && finished)
        {
            Log($"reused {key}: {previous.Manifest.State.Step} steps, trained earlier");
            previous.Model.Dispose();
            return Remember(
                key,
                new TrainedFor(previous.Manifest.State.Step, previous.Manifest.State.ElapsedSeconds, Continued: false),
                Checkpoint.Load(dir)
            );
        }

        TrainingRun run;
        if (previous is not null)
        {
            // Another run's budget on top of what the saved model has had (accumulate), or the rest of an unfinished
            // run's own budget.
            var done = previous.Manifest.State;
            previous.Model.Dispose();
            Log($"continuing {key} from step {done.Step}");
            run = TrainingRun.Resume(
                dir,
                data,
                valid,
                o =>
                {
                    o.Steps = accumulate ? done.Step + options.Steps : options.Steps;
                    (o.Epochs, o.Threads) = (options.Epochs, options.Threads);
                    o.TimeBudgetSeconds = accumulate
                        ? done.ElapsedSeconds + options.TimeBudgetSeconds
                        : options.TimeBudgetSeconds;
                }
            );
        }
        else
        {
            run = TrainingRun.Start(config, options, data, valid, dir);
            File.WriteAllText(Path.Combine(dir, LabKeyFile), identity);
        }
        var state = run.Run();
        // Progress lines stay English with English numbers, whatever the report's language.
        Log(
            string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"trained {key}: {run.Parameters:N0} parameters, {state.Step} steps in total "
                    + $"({clock.Elapsed.TotalSeconds:F0} s now)"
            )
        );
        run.Model.Dispose();
        return Remember(
            key,
            new TrainedFor(state.Step, state.ElapsedSeconds, Continued: previous is not null),
            Checkpoint.Load(dir)
        );
    }

    LoadedModel Remember(string key, TrainedFor trainedFor, LoadedModel model)
    {
        lock (models)
        {
            trained[key] = trainedFor;
            return models[key] = model;
        }
    }

    /// <summary>What makes a saved model the same one: its configuration, its options (less the budget) and its
    /// data.</summary>
    static string Identity(ModelConfig config, TrainingOptions options, string data, string? valid)
    {
        var o = options.Clone();
        o.Steps = null;
        o.TimeBudgetSeconds = null;
        o.Epochs = null;
        o.Threads = null;
        var text = new StringBuilder()
            .AppendLine(JsonSerializer.Serialize(config, Json.Options))
            .AppendLine(JsonSerializer.Serialize(o, Json.Options))
            .AppendLine(Hash(data))
            .AppendLine(valid is null ? "-" : Hash(valid));
        return text.ToString();
    }

    static string Hash(string path) => TextSource.Fingerprint(path);
}
