using SeqLab.Data;
using SeqLab.Embeddings;
using SeqLab.Models;

namespace SeqLab.Training;

/// <summary>
/// SeqLab's choices for whatever the user left unset. <c>given</c> holds the snake_case keys the user
/// did set (on the command line or in a --config file: "family", "learning_rate", "embed_dim", …);
/// a default never replaces one of them.
/// </summary>
public static class TrainingDefaults
{
    /// <summary>The budget when no steps, epochs or time budget is given: 2 minutes, at most 20 epochs.</summary>
    public const double TimeBudgetSeconds = 120;
    public const int Epochs = 20;

    /// <summary>
    /// Post-LN Transformers stall at the recurrent families' 3e-3 (measured: seq2seq reversal stays at
    /// chance), so 1e-3 is theirs.
    /// </summary>
    public const double TransformerLearningRate = 1e-3;

    /// <summary>Fills the defaults in place; returns the pretrained vectors when the config names some.</summary>
    public static WordVectors? Apply(ModelConfig config, TrainingOptions options, IReadOnlySet<string> given)
    {
        // Fine-tuning: the pretrained run fixes the architecture (before the defaults below read the family).
        if (options.InitFrom is { } initFrom)
        {
            FineTuning.Inherit(config, FineTuning.Source(initFrom, config), given, initFrom);
            options.InitFrom = Path.GetFullPath(initFrom);
        }
        // seq2seq is the Transformer encoder–decoder unless another family is asked for.
        if (config.Task == TaskKind.Seq2Seq && !given.Contains("family"))
            config.Family = ModelFamily.Transformer;
        if (config.IsTransformer && !given.Contains("learning_rate"))
            options.LearningRate = TransformerLearningRate;
        if (options.Steps is null && options.Epochs is null && options.TimeBudgetSeconds is null)
            (options.TimeBudgetSeconds, options.Epochs) = (TimeBudgetSeconds, Epochs);

        if (config.PretrainedEmbeddings is not { } path)
            return null;
        var vectors = WordVectors.Load(path);
        config.PretrainedEmbeddings = Path.GetFullPath(path);
        // The embedding takes the vectors' size (and so does a Transformer's d_model) unless a size is given.
        if (!given.Contains("embed_dim"))
            config.EmbedDim = vectors.Dim;
        if (config.IsTransformer && !given.Contains("hidden_size"))
            config.HiddenSize = vectors.Dim;
        return vectors;
    }
}
