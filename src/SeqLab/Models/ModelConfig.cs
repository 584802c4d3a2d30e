using SeqLab.Data;
using SeqLab.Recurrent;
using SeqLab.Text;

namespace SeqLab.Models;

/// <summary>
/// Everything needed to rebuild a model: its family, task, sizes and text pipeline. Saved as
/// config.json in the checkpoint; the "model" object of a --config file sets the same keys.
/// </summary>
public sealed class ModelConfig
{
    public ModelFamily Family { get; set; } = ModelFamily.Lstm;
    public TaskKind Task { get; set; } = TaskKind.Lm;

    /// <summary>fused (libtorch kernels) or reference (our cells stepping in C#); weights are
    /// interchangeable.</summary>
    public RecurrentImpl Impl { get; set; } = RecurrentImpl.Fused;
    public TokenizerKind Tokenizer { get; set; } = TokenizerKind.Word;
    public bool Lowercase { get; set; } = true;
    public int MinCount { get; set; } = 2;
    public int MaxVocab { get; set; } = 16000;
    public int EmbedDim { get; set; } = 256;
    public int HiddenSize { get; set; } = 256;
    public int NumLayers { get; set; } = 1;
    public double Dropout { get; set; } = 0.1;

    /// <summary>Share the input embedding with the output layer (Press and Wolf 2017); lm only.</summary>
    public bool TieWeights { get; set; } = true;
    public bool Bidirectional { get; set; }

    /// <summary>Simple RNN only: ReLU instead of tanh.</summary>
    public bool Relu { get; set; }

    /// <summary>classify: how the token states become one vector (last state, mean or max over states).</summary>
    public Pooling Pooling { get; set; } = Pooling.Last;

    /// <summary>Longest input the model reads at once (predict keeps the last this-many tokens of the context; seq2seq:
    /// also the longest output).</summary>
    public int MaxLength { get; set; } = 512;

    /// <summary>Transformer: attention heads (must divide hidden_size, which is d_model).</summary>
    public int Heads { get; set; } = 4;

    /// <summary>Transformer: inner size of the position-wise feed-forward network.</summary>
    public int FfDim { get; set; } = 1024;

    /// <summary>Transformer: pre-LN (x + Sublayer(LN(x))) instead of the paper's post-LN.</summary>
    public bool NormFirst { get; set; }

    /// <summary>Transformer: learned position embeddings instead of the paper's sinusoids.</summary>
    public bool LearnedPositions { get; set; }

    /// <summary>Keep the input embedding fixed during training (e.g. pretrained Word2Vec vectors).</summary>
    public bool FreezeEmbeddings { get; set; }

    /// <summary>The word2vec file the embedding was initialised from, if any (a record; weights come from the
    /// checkpoint).</summary>
    public string? PretrainedEmbeddings { get; set; }

    /// <summary>Filled in when the vocabulary is built.</summary>
    public int VocabSize { get; set; }

    /// <summary>classify: the label names, in output order.</summary>
    public List<string> Labels { get; set; } = [];

    public RecurrentFamily RecurrentFamily =>
        Family switch
        {
            ModelFamily.Rnn => RecurrentFamily.Rnn,
            ModelFamily.Gru => RecurrentFamily.Gru,
            _ => RecurrentFamily.Lstm,
        };

    public bool IsTransformer => Family == ModelFamily.Transformer;

    /// <summary>Rejects impossible settings with a message that names the key and the allowed values.</summary>
    public void Validate()
    {
        AtLeast("embed_dim", EmbedDim, 1);
        AtLeast("hidden_size", HiddenSize, 1);
        AtLeast("num_layers", NumLayers, 1);
        AtLeast("min_count", MinCount, 1);
        AtLeast("max_vocab", MaxVocab, 5);
        AtLeast("max_length", MaxLength, 1);
        if (double.IsNaN(Dropout) || Dropout < 0 || Dropout >= 1)
            throw new SeqLabInputException($"dropout must be in [0, 1) (got {Dropout}); try 0.1.");
        if (IsTransformer)
        {
            AtLeast("heads", Heads, 1);
            AtLeast("ff_dim", FfDim, 1);
            if (HiddenSize % Heads != 0)
                throw new SeqLabInputException(
                    $"heads ({Heads}) must divide hidden_size ({HiddenSize}), the Transformer's d_model; e.g. "
                        + $"--heads 4 with --hidden-size 256."
                );
            if (EmbedDim != HiddenSize)
                throw new SeqLabInputException(
                    $"for the Transformer embed_dim and hidden_size are both d_model; set them equal (got {EmbedDim} "
                        + $"and {HiddenSize})."
                );
            if (Bidirectional)
                throw new SeqLabInputException(
                    "--bidirectional is for recurrent models; a Transformer encoder already reads both ways."
                );
        }
        if (FreezeEmbeddings && TieWeights && Task is TaskKind.Lm or TaskKind.Seq2Seq)
            throw new SeqLabInputException(
                "frozen embeddings are tied to the output layer, which would freeze it too; add --untie-weights (or "
                    + "set tie_weights false) with --freeze-embeddings."
            );
        if (Bidirectional && Task == TaskKind.Lm)
            throw new SeqLabInputException(
                "a bidirectional model cannot be a language model (it would see the word it predicts); drop "
                    + "--bidirectional or use --task classify."
            );
    }

    internal static void AtLeast(string key, double value, double min)
    {
        if (double.IsNaN(value) || value < min)
            throw new SeqLabInputException($"{key} must be at least {min} (got {value}).");
    }

    public ModelConfig Clone()
    {
        var copy = (ModelConfig)MemberwiseClone();
        copy.Labels = [.. Labels];
        return copy;
    }
}
