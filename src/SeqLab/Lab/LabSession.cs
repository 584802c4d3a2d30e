using System.Diagnostics;
using SeqLab.Models;
using SeqLab.Native;
using SeqLab.Training;

namespace SeqLab.Lab;

/// <summary>How big an experiment runs: tiny (tests, seconds), small (the demo, minutes), full (the larger version).</summary>
public enum LabScale { Tiny, Small, Full }

/// <summary>What one experiment measured: numbers (for JSON), a table, plots, and the finding in plain words beside the lecture's claim.</summary>
public sealed record LabResult(string Name, string Title, string Claim, string Finding, IReadOnlyList<string> Plots,
    IReadOnlyList<string[]> Table, object Numbers, double Seconds, string? Skipped = null);

/// <summary>
/// Settings shared by the experiments of one run, and the models they train — so the demo trains
/// each model once (the gradient experiment reuses the long-range models, the context probe the
/// effective-context language models).
/// </summary>
public sealed class LabSession(string outDir, LabScale scale = LabScale.Small, int seed = 1, int? threads = null, Action<string>? log = null)
{
    public string OutDir { get; } = Path.GetFullPath(outDir);
    public LabScale Scale { get; } = scale;
    public int Seed { get; } = seed;
    public int Threads { get; } = threads ?? Environment.ProcessorCount;
    /// <summary>A text corpus for the experiments on real text (effective-context, context); null = fetch fortunes-es.</summary>
    public string? Corpus { get; set; }
    /// <summary>The sentence for the attention maps; null = the lecture's.</summary>
    public string? Sentence { get; set; }
    readonly Dictionary<string, LoadedModel> models = new();

    public void Log(string line) => log?.Invoke(line);

    public T Pick<T>(T tiny, T small, T full) => Scale switch { LabScale.Tiny => tiny, LabScale.Full => full, _ => small };

    public string PlotPath(string name) => Path.Combine(OutDir, "plots", name);
    public string DataPath(string name) => Path.Combine(OutDir, "data", name);

    /// <summary>Trains (once per key) and loads a model; progress lines go to the log.</summary>
    public LoadedModel Model(string key, ModelConfig config, TrainingOptions options, string data, string? valid)
    {
        if (models.TryGetValue(key, out var cached)) return cached;
        TorchRuntime.SetThreads(Threads);
        TorchSharp.torch.manual_seed(Seed);
        var dir = Path.Combine(OutDir, "models", key.Replace('/', '-'));
        // Only ever remove a checkpoint this lab wrote before (same out dir, same key).
        if (Directory.Exists(dir) && File.Exists(Path.Combine(dir, Checkpoint.ManifestFile))) Directory.Delete(dir, recursive: true);
        options.Seed = Seed;
        var taskData = TaskData.Prepare(config, options, data, valid);
        var model = ModelFactory.Create(config);
        Checkpoint.Begin(dir, config, options, taskData.Vocabulary);
        var clock = Stopwatch.StartNew();
        var state = new Trainer(options).Run(model, taskData, dir);
        Log($"trained {key}: {model.UniqueParameters().Sum(p => p.numel()):N0} parameters, {state.Step} steps in {clock.Elapsed.TotalSeconds:F0} s");
        return models[key] = Checkpoint.Load(dir);
    }

    public bool TryCached(string key, out LoadedModel model) => models.TryGetValue(key, out model!);
}
