using System.Security.Cryptography;
using System.Text.Json;
using SeqLab.IO;
using SeqLab.Models;
using SeqLab.Text;
using TorchSharp.Modules;

namespace SeqLab.Training;

/// <summary>
/// A checkpoint directory: config.json, training.json, vocab.json (fixed for the run), versioned
/// weights-STEP.safetensors and optimizer-STEP.bin, and manifest.json, replaced atomically after the
/// files it names are on disk. A crash at any moment leaves the previous manifest and its files, so
/// the last good checkpoint always loads; every file is checked against its SHA-256 on load.
/// </summary>
public static class Checkpoint
{
    public const string ConfigFile = "config.json",
        TrainingFile = "training.json",
        VocabFile = "vocab.json",
        ManifestFile = "manifest.json",
        TokenizerFile = BpeTokenizer.FileName,
        MetricsFile = "metrics.jsonl";

    /// <summary>The lock a training run holds on its folder, so that two runs cannot write into one.</summary>
    public const string LockFile = ".seqlab.lock";

    /// <summary>
    /// Files this process wrote into each checkpoint folder (full path → names): with the previous manifest's,
    /// the only ones <see cref="Save"/> may delete. A file SeqLab did not write is never removed.
    /// </summary>
    static readonly Dictionary<string, HashSet<string>> Written = new();

    /// <summary>
    /// Refuses a folder that SeqLab may not fill: one that already holds a checkpoint, a file, or a folder with
    /// anything in it. A new run goes into a new or empty folder, so no user file can be overwritten or deleted.
    /// </summary>
    public static void EnsureNew(string dir, string option = "--out")
    {
        if (File.Exists(dir))
            throw new SeqLabInputException($"{dir} is a file; {option} needs a folder for the checkpoint.");
        if (!Directory.Exists(dir))
            return;
        if (File.Exists(Path.Combine(dir, ManifestFile)))
            throw new SeqLabInputException(
                $"{dir} already holds a checkpoint; continue it with --resume {dir} or choose another {option}."
            );
        if (Directory.EnumerateFileSystemEntries(dir).Any())
            throw new SeqLabInputException(
                $"{dir} is not empty and is not a SeqLab checkpoint; choose a new or empty folder for {option} "
                    + "(SeqLab never writes over files it did not create)."
            );
    }

    /// <summary>
    /// Takes the folder's lock (an exclusive lock on <see cref="LockFile"/>, released by the system if the
    /// process dies); refuses when another run holds it.
    /// </summary>
    public static IDisposable Lock(string dir)
    {
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, LockFile);
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return new FolderLock(stream, path);
        }
        catch (IOException)
        {
            throw new SeqLabInputException(
                $"another training is writing into {dir} (it holds {LockFile}); wait for it to finish or choose "
                    + $"another folder."
            );
        }
    }

    sealed class FolderLock(FileStream stream, string path) : IDisposable
    {
        public void Dispose()
        {
            File.Delete(path); // while still held: nobody else can be inside
            stream.Dispose();
        }
    }

    public static void Begin(
        string dir,
        ModelConfig config,
        TrainingOptions training,
        Vocabulary vocab,
        ITokenizer? tokenizer = null
    )
    {
        Directory.CreateDirectory(dir);
        if (tokenizer is not null)
            Tokenizers.Save(tokenizer, Path.Combine(dir, TokenizerFile));
        AtomicFile.WriteAllText(Path.Combine(dir, ConfigFile), JsonSerializer.Serialize(config, Json.Options));
        AtomicFile.WriteAllText(Path.Combine(dir, TrainingFile), JsonSerializer.Serialize(training, Json.Options));
        vocab.Save(Path.Combine(dir, VocabFile));
    }

    public static void Save(
        string dir,
        SequenceModel model,
        OptimizerHelper? optimizer,
        TrainingState state,
        bool isBest
    )
    {
        var previous = TryReadManifest(dir);
        string weights = $"weights-{state.Step:D8}.safetensors";
        AtomicFile.Write(
            Path.Combine(dir, weights),
            s => SafeTensors.Write(s, model.state_dict().Select(kv => (kv.Key, kv.Value)))
        );
        Mine(dir).Add(weights);
        string? optimizerFile = null;
        if (optimizer is not null)
        {
            optimizerFile = $"optimizer-{state.Step:D8}.bin";
            var tmp = Path.Combine(dir, $".{optimizerFile}.tmp");
            optimizer.save_state_dict(tmp);
            using (var f = new FileStream(tmp, FileMode.Open, FileAccess.ReadWrite))
                f.Flush(flushToDisk: true);
            File.Move(tmp, Path.Combine(dir, optimizerFile), overwrite: true);
            Mine(dir).Add(optimizerFile);
        }
        var manifest = new Manifest
        {
            SeqLabVersion = Native.Versions.SeqLab,
            TorchSharpVersion = Native.Versions.TorchSharp,
            Family = model.Config.Family,
            Task = model.Config.Task,
            Weights = weights,
            BestWeights = isBest ? weights : previous?.BestWeights ?? weights,
            Optimizer = optimizerFile,
            State = state,
        };
        foreach (
            var f in new[]
            {
                ConfigFile,
                TrainingFile,
                VocabFile,
                Tokenizers.IsStored(model.Config.Tokenizer) ? TokenizerFile : null,
                manifest.Weights,
                manifest.BestWeights,
                optimizerFile,
            }
        )
            if (f is not null)
                manifest.Sha256[f] = Sha(Path.Combine(dir, f));
        AtomicFile.WriteAllText(Path.Combine(dir, ManifestFile), JsonSerializer.Serialize(manifest, Json.Options));

        // Only now may files that the new manifest no longer names go.
        var keep = new HashSet<string>(manifest.Sha256.Keys);
        var mine = Mine(dir);
        foreach (var name in previous?.Sha256.Keys ?? Enumerable.Empty<string>())
            if (
                name.StartsWith("weights-", StringComparison.Ordinal)
                || name.StartsWith("optimizer-", StringComparison.Ordinal)
            )
                mine.Add(name);
        // Only now may files that the new manifest no longer names go, and only those SeqLab wrote.
        foreach (var stale in mine.Where(f => !keep.Contains(f)).ToList())
        {
            File.Delete(Path.Combine(dir, stale));
            mine.Remove(stale);
        }
    }

    static HashSet<string> Mine(string dir)
    {
        lock (Written)
        {
            var key = Path.GetFullPath(dir);
            if (!Written.TryGetValue(key, out var set))
                Written[key] = set = new HashSet<string>(StringComparer.Ordinal);
            return set;
        }
    }

    static Manifest? TryReadManifest(string dir)
    {
        try
        {
            return JsonSerializer.Deserialize<Manifest>(
                File.ReadAllText(Path.Combine(dir, ManifestFile)),
                Json.Options
            );
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }

    static string Sha(string path)
    {
        using var s = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }

    /// <summary>Loads and verifies a checkpoint. <paramref name="best"/> picks the best-validation weights rather than
    /// the latest.</summary>
    public static LoadedModel Load(string dir, bool best = true, ModelFamily? expectedFamily = null)
    {
        if (!Directory.Exists(dir))
            throw new SeqLabInputException(
                $"{dir} is not a model directory (it does not exist); pass the --out folder of `seqlab train`."
            );
        var manifestPath = Path.Combine(dir, ManifestFile);
        if (!File.Exists(manifestPath))
            throw new SeqLabInputException(
                $"{dir} has no {ManifestFile}; it is not a finished SeqLab checkpoint (train into it with `seqlab "
                    + $"train --out {dir}`)."
            );
        var manifest = Json.Read<Manifest>(
            manifestPath,
            why => $"{manifestPath} is damaged ({why}); restore it or retrain."
        );
        if (
            manifest.Sha256 is null
            || string.IsNullOrEmpty(manifest.Weights)
            || manifest.Sha256.Values.Any(v => v is null)
        )
            throw new SeqLabInputException(
                $"{manifestPath} is damaged (its weights or checksums are missing); restore it or retrain."
            );

        var weightsFile = best && manifest.BestWeights is not null ? manifest.BestWeights : manifest.Weights;
        // Only what this load reads is verified: a damaged optimizer file stops a resume, not predict or export.
        foreach (var file in new[] { ConfigFile, TrainingFile, VocabFile, weightsFile })
            Verify(dir, manifest, file);
        if (manifest.Sha256.ContainsKey(TokenizerFile))
            Verify(dir, manifest, TokenizerFile);
        var config = ReadJson<ModelConfig>(Path.Combine(dir, ConfigFile));
        var training = ReadJson<TrainingOptions>(Path.Combine(dir, TrainingFile));
        if (config.Family != manifest.Family || config.Task != manifest.Task)
            throw new SeqLabInputException(
                $"{dir}: config.json says {config.Family.Name()}/{config.Task.Name()} but the weights are "
                    + $"{manifest.Family.Name()}/{manifest.Task.Name()}; the folder mixes two runs, retrain."
            );
        if (expectedFamily is not null && expectedFamily != config.Family)
            throw new SeqLabInputException(
                $"{dir} holds a {config.Family.Name()} model, not {expectedFamily.Value.Name()}; pass a "
                    + $"{expectedFamily.Value.Name()} checkpoint or change --model."
            );
        var vocab = Vocabulary.Load(Path.Combine(dir, VocabFile));
        if (vocab.Count != config.VocabSize)
            throw new SeqLabInputException(
                $"{dir}: vocab.json has {vocab.Count} tokens but the model was built for {config.VocabSize}; the "
                    + $"vocabulary does not belong to these weights, retrain."
            );

        var model = ModelFactory.Create(config);
        LoadWeights(model, Path.Combine(dir, weightsFile));
        model.eval();
        return new LoadedModel(
            dir,
            config,
            training,
            vocab,
            Tokenizers.Load(config.Tokenizer, config.Lowercase, Path.Combine(dir, TokenizerFile)),
            model,
            manifest
        );
    }

    /// <summary>Checks one file of a checkpoint against the manifest: listed, present, and with its SHA-256.</summary>
    static void Verify(string dir, Manifest manifest, string file)
    {
        var path = Path.Combine(dir, file);
        if (!manifest.Sha256.TryGetValue(file, out var sha))
            throw new SeqLabInputException(
                $"{dir}: its manifest does not list {file}; restore manifest.json or retrain."
            );
        if (!File.Exists(path))
            throw new SeqLabInputException(
                $"{dir} is missing {file}, which its manifest lists; restore the file or retrain."
            );
        if (Sha(path) != sha)
            throw new SeqLabInputException(
                $"{path} does not match its checksum (truncated or changed since it was saved); restore it or retrain."
            );
    }

    public static T ReadJson<T>(string path)
        where T : class =>
        File.Exists(path)
            ? Json.Read<T>(path, why => $"{path}: {why}; fix or restore the file.")
            : throw new SeqLabInputException($"{path} is missing; restore it or retrain.");

    /// <summary>Copies weights by name into the model, refusing unknown, missing or mis-shaped tensors by
    /// name.</summary>
    public static void LoadWeights(nn.Module model, string path) =>
        LoadState(model, SafeTensors.Read(File.ReadAllBytes(path), path), path);

    /// <summary>Copies <paramref name="tensors"/> (disposed after) into the model: every parameter present, none
    /// unknown, shapes equal, values finite; <paramref name="path"/> names where they came from in errors.</summary>
    public static void LoadState(nn.Module model, Dictionary<string, Tensor> tensors, string path)
    {
        try
        {
            var expected = model.state_dict();
            foreach (var name in tensors.Keys)
                if (!expected.ContainsKey(name))
                    throw new SeqLabInputException(
                        $"{path}: unexpected tensor '{name}' (this model has no such parameter); the weights are for "
                            + $"another architecture."
                    );
            using var _ = no_grad();
            foreach (var (name, target) in expected)
            {
                if (!tensors.TryGetValue(name, out var source))
                    throw new SeqLabInputException(
                        $"{path}: tensor '{name}' is missing; the weights are for another architecture."
                    );
                if (!source.shape.SequenceEqual(target.shape))
                    throw new SeqLabInputException(
                        $"{path}: tensor '{name}' has shape [{string.Join(", ", source.shape)}], the model expects "
                            + $"[{string.Join(", ", target.shape)}]."
                    );
                if (source.is_floating_point() && !source.isfinite().all().item<bool>())
                    throw new SeqLabInputException(
                        $"{path}: tensor '{name}' holds NaN or infinite values; these weights cannot give a usable "
                            + $"model."
                    );
                target.copy_(source);
            }
        }
        finally
        {
            foreach (var t in tensors.Values)
                t.Dispose();
        }
    }

    /// <summary>Restores the optimiser state saved with the manifest's latest weights (for --resume).</summary>
    public static void LoadOptimizer(string dir, Manifest manifest, OptimizerHelper optimizer)
    {
        if (manifest.Optimizer is null)
            throw new SeqLabInputException(
                $"{dir} has no optimizer state; it cannot be resumed (train a new run instead)."
            );
        try
        {
            Verify(dir, manifest, manifest.Optimizer);
        }
        catch (SeqLabInputException)
        {
            throw new SeqLabInputException(
                $"{Path.Combine(dir, manifest.Optimizer)} (the optimizer state) is damaged or missing, so this run "
                    + $"cannot "
                    + "be resumed exactly; its weights still serve predict, eval and export. Train a new run to go on."
            );
        }
        optimizer.load_state_dict(Path.Combine(dir, manifest.Optimizer));
    }
}
