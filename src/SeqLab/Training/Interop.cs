using SeqLab.IO;
using SeqLab.Models;
using SeqLab.Text;
using TorchSharp.Modules;

namespace SeqLab.Training;

/// <summary>
/// Weights in and out as safetensors with PyTorch's parameter names: export a checkpoint's weights for
/// PyTorch, or build a checkpoint from weights trained elsewhere (a config.json says the architecture).
/// </summary>
public static class Interop
{
    /// <summary>Writes the checkpoint's best (or latest) weights to <paramref name="outPath"/>, its floats as
    /// <paramref name="floats"/>; returns the tensor names.</summary>
    public static IReadOnlyList<string> Export(
        string modelDir,
        string outPath,
        bool latest = false,
        FloatFormat floats = FloatFormat.F32
    )
    {
        if (Directory.Exists(outPath))
            throw new SeqLabInputException(
                $"{outPath} is a folder; --out needs a file name such as {Path.Combine(outPath, "model.safetensors")}."
            );
        var outDir = Path.GetDirectoryName(Path.GetFullPath(outPath));
        if (
            string.Equals(
                outDir,
                Path.GetFullPath(modelDir).TrimEnd(Path.DirectorySeparatorChar),
                StringComparison.Ordinal
            )
        )
            throw new SeqLabInputException(
                $"{outPath} is inside the checkpoint folder {modelDir}, whose files are checksummed; write the export "
                    + "somewhere else."
            );
        var loaded = Checkpoint.Load(modelDir, best: !latest);
        using var model = loaded.Model;
        var names = model.state_dict().Keys.ToList();
        AtomicFile.Write(
            outPath,
            s => SafeTensors.Write(s, model.state_dict().Select(kv => (kv.Key, kv.Value)), floats)
        );
        return names;
    }

    /// <summary>
    /// Creates a checkpoint in <paramref name="outDir"/> from safetensors weights, a model config
    /// (config.json's keys) and a vocabulary. Unknown, missing or mis-shaped tensors are refused by name.
    /// </summary>
    public static LoadedModel Import(string weightsPath, string configPath, string vocabPath, string outDir)
    {
        if (!File.Exists(weightsPath))
            throw new SeqLabInputException($"{weightsPath} does not exist; check --weights.");
        if (!File.Exists(configPath))
            throw new SeqLabInputException($"{configPath} does not exist; check --config.");
        Checkpoint.EnsureNew(outDir);
        var config = Json.Read<ModelConfig>(
            configPath,
            why => $"{configPath}: not a SeqLab model config ({why}); use the keys of a checkpoint's config.json."
        );
        if (Tokenizers.IsStored(config.Tokenizer))
            throw new SeqLabInputException(
                $"{configPath} describes a {(config.Tokenizer == TokenizerKind.Bpe ? "BPE" : "WordPiece")} model, "
                    + "whose tokenizer.json `seqlab import "
                    + "--weights` does not take; import a word or char model, or a Hugging Face BERT with --format "
                    + "hf-bert."
            );
        var vocab = Vocabulary.LoadAny(vocabPath);
        if (config.VocabSize == 0)
            config.VocabSize = vocab.Count;
        if (config.VocabSize != vocab.Count)
            throw new SeqLabInputException(
                $"{configPath} says vocab_size {config.VocabSize} but {vocabPath} lists {vocab.Count} tokens; they "
                    + $"must describe the same model."
            );
        return Create(config, new TrainingOptions(), vocab, null, m => Checkpoint.LoadWeights(m, weightsPath), outDir);
    }

    /// <summary>A new checkpoint in <paramref name="outDir"/>: the model <paramref name="config"/> describes, with
    /// the weights <paramref name="loadWeights"/> puts in it (checked by name and shape before anything is
    /// written), and the optimiser state and step <paramref name="restoreOptimizer"/> rebuilds, if any.</summary>
    internal static LoadedModel Create(
        ModelConfig config,
        TrainingOptions training,
        Vocabulary vocab,
        ITokenizer? tokenizer,
        Action<SequenceModel> loadWeights,
        string outDir,
        Func<SequenceModel, (OptimizerHelper Optimizer, TrainingState State)>? restoreOptimizer = null
    )
    {
        var model = ModelFactory.Create(config);
        try
        {
            loadWeights(model); // before anything is written: refusals leave no folder behind
            var (optimizer, state) = restoreOptimizer?.Invoke(model) is { } restored
                ? restored
                : ((OptimizerHelper?)null, new TrainingState());
            using (optimizer)
            using (Checkpoint.Lock(outDir))
            {
                Checkpoint.Begin(outDir, config, training, vocab, tokenizer);
                Checkpoint.Save(outDir, model, optimizer, state, isBest: true);
            }
        }
        finally
        {
            model.Dispose();
        }
        return Checkpoint.Load(outDir);
    }
}
