using System.Text.Json;
using System.Text.Json.Nodes;
using SeqLab.Data;
using SeqLab.IO;
using SeqLab.Models;
using SeqLab.Text;
using TorchSharp.Modules;
using static TorchSharp.torch.optim;

namespace SeqLab.Training;

/// <summary>
/// A model as a self-contained PyTorch folder and back (`seqlab export --pytorch`, `seqlab import --from-pytorch`):
/// the weights under SeqLab's names, its config, training settings and vocabulary, and three Python files that
/// rebuild the architecture (model.py), read SeqLab's data formats (data.py) and continue training with
/// DistributedDataParallel under torchrun (train_ddp.py). TorchSharp has no distributed training; PyTorch's DDP is
/// the engine for more than one machine.
/// </summary>
public static class PyTorchFolder
{
    /// <summary>The folder layout's version: an import refuses a newer one.</summary>
    public const int Layout = 1;

    public const string MarkerFile = "seqlab.json",
        WeightsFile = "model.safetensors",
        VocabFile = "vocab.json",
        OptimizerFile = "optimizer.safetensors",
        OptimizerStepFile = "optimizer.json";

    static readonly string[] Scripts = ["model.py", "data.py", "train_ddp.py", "README.md"];

    /// <summary>Writes the checkpoint <paramref name="modelDir"/>'s best (or latest) weights and everything PyTorch
    /// needs into the new or empty folder <paramref name="outDir"/>; returns the files written.</summary>
    public static IReadOnlyList<string> Export(string modelDir, string outDir, bool latest = false)
    {
        Checkpoint.EnsureNew(outDir, "--pytorch");
        var loaded = Checkpoint.Load(modelDir, best: !latest);
        using var model = loaded.Model;
        Directory.CreateDirectory(outDir);
        AtomicFile.Write(
            Path.Combine(outDir, WeightsFile),
            s => SafeTensors.Write(s, model.state_dict().Select(kv => (kv.Key, kv.Value)))
        );
        var files = new List<string> { WeightsFile };
        foreach (var name in new[] { Checkpoint.ConfigFile, Checkpoint.TrainingFile, Checkpoint.VocabFile })
        {
            File.Copy(Path.Combine(modelDir, name), Path.Combine(outDir, name));
            files.Add(name);
        }
        if (File.Exists(Path.Combine(modelDir, Checkpoint.TokenizerFile)))
        {
            File.Copy(Path.Combine(modelDir, Checkpoint.TokenizerFile), Path.Combine(outDir, Checkpoint.TokenizerFile));
            files.Add(Checkpoint.TokenizerFile);
        }
        foreach (var script in Scripts)
        {
            using var source =
                typeof(PyTorchFolder).Assembly.GetManifestResourceStream($"pytorch/{script}")
                ?? throw new InvalidOperationException($"the library lacks its embedded {script}");
            using var reader = new StreamReader(source);
            AtomicFile.WriteAllText(Path.Combine(outDir, script), reader.ReadToEnd());
            files.Add(script);
        }
        AtomicFile.WriteAllText(
            Path.Combine(outDir, MarkerFile),
            new JsonObject
            {
                ["layout"] = Layout,
                ["seqlab"] = Native.Versions.SeqLab,
                ["family"] = loaded.Config.Family.Name(),
                ["task"] = loaded.Config.Task.Name(),
            }.ToJsonString(new JsonSerializerOptions { WriteIndented = true })
        );
        files.Add(MarkerFile);
        return files;
    }

    /// <summary>
    /// A checkpoint in <paramref name="outDir"/> from a folder that <see cref="Export"/> or train_ddp.py wrote: the
    /// weights, config, vocabulary (and tokenizer), with training.json's settings, and, when train_ddp.py saved them
    /// (optimizer.safetensors, optimizer.json), Adam's moments and step: `train --resume` then goes on with the
    /// optimiser and the schedule where PyTorch stopped. Without them (an export's folder) it starts a fresh one.
    /// </summary>
    public static LoadedModel Import(string dir, string outDir)
    {
        if (!Directory.Exists(dir))
            throw new SeqLabInputException(
                $"{dir} is not a folder; --from-pytorch takes the folder that train_ddp.py's --out wrote."
            );
        foreach (var name in new[] { Checkpoint.ConfigFile, VocabFile, WeightsFile })
            if (!File.Exists(Path.Combine(dir, name)))
                throw new SeqLabInputException(
                    $"{dir} has no {name}; give the folder train_ddp.py wrote (--out) or `seqlab export --pytorch` "
                        + "made, with its files."
                );
        var marker = Path.Combine(dir, MarkerFile);
        if (File.Exists(marker))
        {
            var layout = JsonNode.Parse(File.ReadAllText(marker))?["layout"]?.GetValue<int>() ?? 0;
            if (layout > Layout)
                throw new SeqLabInputException(
                    $"{dir} is in export layout {layout}, newer than this SeqLab reads ({Layout}); update SeqLab."
                );
        }
        Checkpoint.EnsureNew(outDir);
        var config = Checkpoint.ReadJson<ModelConfig>(Path.Combine(dir, Checkpoint.ConfigFile));
        var training = File.Exists(Path.Combine(dir, Checkpoint.TrainingFile))
            ? Checkpoint.ReadJson<TrainingOptions>(Path.Combine(dir, Checkpoint.TrainingFile))
            : new TrainingOptions();
        var vocab = Vocabulary.Load(Path.Combine(dir, VocabFile));
        var tokenizer = Tokenizers.Load(
            config.Tokenizer,
            config.Lowercase,
            Path.Combine(dir, Checkpoint.TokenizerFile)
        );
        if (config.VocabSize != vocab.Count)
            throw new SeqLabInputException(
                $"{dir}: config.json says vocab_size {config.VocabSize} but vocab.json lists {vocab.Count} tokens; "
                    + "they must come from the same model."
            );
        var weights = Path.Combine(dir, WeightsFile);
        string moments = Path.Combine(dir, OptimizerFile),
            stepFile = Path.Combine(dir, OptimizerStepFile);
        var restore =
            File.Exists(moments) && File.Exists(stepFile)
                ? (Func<SequenceModel, (OptimizerHelper, TrainingState)>)(
                    m => Optimizer(m, training, moments, stepFile)
                )
                : null;
        return Interop.Create(
            config,
            training,
            vocab,
            tokenizer,
            m => Checkpoint.LoadWeights(m, weights),
            outDir,
            restore
        );
    }

    /// <summary>SeqLab's optimiser for <paramref name="model"/> (as training builds it) holding PyTorch's Adam moments
    /// and step, and the training state at that step.</summary>
    static (OptimizerHelper, TrainingState) Optimizer(
        SequenceModel model,
        TrainingOptions training,
        string moments,
        string stepFile
    )
    {
        long step = JsonNode.Parse(File.ReadAllText(stepFile))?["step"]?.GetValue<long>() is > 0 and var s
            ? s
            : throw new SeqLabInputException($"{stepFile} has no positive \"step\"; it is not train_ddp.py's.");
        var tensors = SafeTensors.Read(File.ReadAllBytes(moments), moments);
        var optimizer = TrainingStep.Optimizer(training, model.UniqueParameters(), model);
        try
        {
            // Every name of a parameter (a tied weight has two), for the file may use any of them.
            var names = model
                .named_parameters()
                .GroupBy(p => p.parameter.Handle)
                .ToDictionary(g => g.Key, g => g.Select(p => p.name).ToList());
            var states = optimizer.state_dict().State;
            var parameters = optimizer.parameters().ToList();
            using var noGrad = no_grad();
            for (int i = 0; i < parameters.Count; i++)
            {
                var name = names[parameters[i].Handle];
                Tensor Moment(string kind) =>
                    name.Select(n => tensors.GetValueOrDefault($"{n}.{kind}")).FirstOrDefault(t => t is not null)
                    ?? throw new SeqLabInputException(
                        $"{moments} lacks '{name[0]}.{kind}'; it is not the optimiser of this model (delete "
                            + $"{OptimizerStepFile} to import the weights alone, with a fresh optimiser)."
                    );
                var (m, v) = (Moment("exp_avg"), Moment("exp_avg_sq"));
                if (!m.shape.SequenceEqual(parameters[i].shape) || !v.shape.SequenceEqual(parameters[i].shape))
                    throw new SeqLabInputException(
                        $"{moments}: the moments of '{name[0]}' have shape [{string.Join(", ", m.shape)}], the "
                            + $"parameter [{string.Join(", ", parameters[i].shape)}]; they belong to another model."
                    );
                switch (states[i])
                {
                    case AdamW.State w:
                        w.step = step;
                        w.exp_avg.copy_(m);
                        w.exp_avg_sq.copy_(v);
                        break;
                    case Adam.State a:
                        a.step = step;
                        a.exp_avg.copy_(m);
                        a.exp_avg_sq.copy_(v);
                        break;
                }
            }
        }
        catch
        {
            optimizer.Dispose();
            throw;
        }
        finally
        {
            foreach (var t in tensors.Values)
                t.Dispose();
        }
        return (optimizer, new TrainingState { Step = step });
    }
}
