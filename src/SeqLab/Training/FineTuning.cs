using System.Text.Json;
using SeqLab.Data;
using SeqLab.IO;
using SeqLab.Models;

namespace SeqLab.Training;

/// <summary>
/// Transfer, as ULMFiT and BERT do it: a classifier whose embedding and encoder start from a pretrained language
/// model's (lm or mlm), with its vocabulary and tokenizer; only the head starts fresh. The pretrained run fixes
/// the architecture: a size the user repeats is fine, one that differs is refused.
/// </summary>
public static class FineTuning
{
    /// <summary>What the pretrained encoder fixes: the family, the sizes, the positions and the text
    /// pipeline.</summary>
    static readonly string[] Fixed =
    [
        nameof(ModelConfig.Family),
        nameof(ModelConfig.Relu),
        nameof(ModelConfig.EmbedDim),
        nameof(ModelConfig.HiddenSize),
        nameof(ModelConfig.NumLayers),
        nameof(ModelConfig.Bidirectional),
        nameof(ModelConfig.Heads),
        nameof(ModelConfig.FfDim),
        nameof(ModelConfig.NormFirst),
        nameof(ModelConfig.LearnedPositions),
        nameof(ModelConfig.Activation),
        nameof(ModelConfig.LayerNormEps),
        nameof(ModelConfig.ScaleEmbeddings),
        nameof(ModelConfig.EmbeddingNorm),
        nameof(ModelConfig.ClsSepFraming),
        nameof(ModelConfig.MaxLength),
        nameof(ModelConfig.Tokenizer),
        nameof(ModelConfig.Lowercase),
        nameof(ModelConfig.MinCount),
        nameof(ModelConfig.MaxVocab),
        nameof(ModelConfig.BpeVocabSize),
    ];

    /// <summary>The pretrained run's config, checked: a language model (lm or mlm) that a classifier can start
    /// from.</summary>
    public static ModelConfig Source(string dir, ModelConfig target)
    {
        if (!Directory.Exists(dir))
            throw new SeqLabInputException($"{dir} does not exist; --init-from needs a checkpoint folder.");
        var source = Checkpoint.ReadJson<ModelConfig>(Path.Combine(dir, Checkpoint.ConfigFile));
        if (source.Task is not (TaskKind.Lm or TaskKind.Mlm))
            throw new SeqLabInputException(
                $"{dir} holds a {source.Task.Name()} model; --init-from starts from a pretrained language model "
                    + "(--task lm or mlm)."
            );
        if (target.Task != TaskKind.Classify)
            throw new SeqLabInputException(
                $"--init-from fine-tunes a classifier; use it with --task classify (got {target.Task.Name()})."
            );
        return source;
    }

    /// <summary>Takes the architecture from <paramref name="source"/>; a key in <paramref name="given"/> that differs
    /// is refused by name.</summary>
    public static void Inherit(ModelConfig config, ModelConfig source, IReadOnlySet<string> given, string dir)
    {
        foreach (var name in Fixed)
        {
            var property = typeof(ModelConfig).GetProperty(name)!;
            object? wanted = property.GetValue(config),
                pretrained = property.GetValue(source);
            string key = JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
            if (given.Contains(key) && !Equals(wanted, pretrained))
                throw new SeqLabInputException(
                    $"{key} is {Show(wanted)} here but {Show(pretrained)} in the pretrained model {dir}; a fine-tuned "
                        + $"encoder keeps its architecture and vocabulary: drop the option or use {Show(pretrained)}."
                );
            property.SetValue(config, pretrained);
        }
        config.CausalEncoder = source.Task == TaskKind.Lm && source.IsTransformer ? true : null;
    }

    static string Show(object? v) =>
        v switch
        {
            Enum e => JsonSerializer.Serialize(e, e.GetType(), Json.Options).Trim('"'),
            bool b => b ? "true" : "false",
            _ => $"{v}",
        };

    /// <summary>Copies the pretrained embedding and encoder into <paramref name="model"/>; returns how many tensors
    /// were copied.</summary>
    public static int CopyEncoder(SequenceModel model, LoadedModel source)
    {
        var target = model.state_dict();
        int copied = 0;
        using var _ = no_grad();
        foreach (var (name, t) in source.Model.state_dict())
        {
            if (
                !(
                    name.StartsWith("embedding.", StringComparison.Ordinal)
                    || name.StartsWith("encoder.", StringComparison.Ordinal)
                )
            )
                continue;
            if (!target.TryGetValue(name, out var into) || !into.shape.SequenceEqual(t.shape))
                throw new SeqLabInputException(
                    $"{source.Directory}: tensor {name} [{string.Join(", ", t.shape)}] does not fit the classifier; "
                        + "the "
                        + "pretrained run and this one must share the architecture."
                );
            into.copy_(t);
            copied++;
        }
        return copied;
    }
}
