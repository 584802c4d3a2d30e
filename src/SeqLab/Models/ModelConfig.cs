using System.Text.Json.Serialization;
using SeqLab.Data;
using SeqLab.IO;
using SeqLab.Recurrent;
using SeqLab.Text;
using SeqLab.Transformer;

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

    /// <summary>bpe: how many tokens the byte-level BPE learns from the training text (256 byte symbols
    /// included).</summary>
    public int BpeVocabSize { get; set; } = 8000;
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

    /// <summary>Transformer: the feed-forward nonlinearity, relu (the paper) or gelu (BERT, GPT).</summary>
    public Activation Activation { get; set; } = Activation.Relu;

    /// <summary>Transformer: the ε of every LayerNorm (PyTorch's 1e-5; BERT's 1e-12).</summary>
    public double LayerNormEps { get; set; } = 1e-5;

    /// <summary>Transformer: multiply the embeddings by √d_model (the paper, §3.4); BERT does not.</summary>
    public bool ScaleEmbeddings { get; set; } = true;

    /// <summary>Transformer: a LayerNorm over embedding + position before the first layer (BERT's
    /// embeddings).</summary>
    public bool EmbeddingNorm { get; set; }

    /// <summary>lm, mlm: a dense layer, the activation and a LayerNorm before the output layer (BERT's MLM head
    /// transform).</summary>
    public bool HeadTransform { get; set; }

    /// <summary>Texts are read as &lt;bos&gt; … &lt;eos&gt;, BERT's [CLS] … [SEP], as a model imported from
    /// Hugging Face was pretrained; SeqLab's own MLM reads a line as &lt;eos&gt; … &lt;eos&gt;, as its training
    /// stream has it.</summary>
    public bool ClsSepFraming { get; set; }

    /// <summary>Keep the input embedding fixed during training (e.g. pretrained Word2Vec vectors).</summary>
    public bool FreezeEmbeddings { get; set; }

    /// <summary>Whether a Transformer encoder attends only to earlier positions; null: for lm only. A classifier
    /// fine-tuned from a causal language model keeps its causal attention (as GPT is fine-tuned).</summary>
    public bool? CausalEncoder { get; set; }

    /// <summary>Keep the embedding and the encoder fixed: only the task's head learns (a pretrained encoder used as
    /// a feature extractor).</summary>
    public bool FreezeEncoder { get; set; }

    /// <summary>The word2vec file the embedding was initialised from, if any (a record; weights come from the
    /// checkpoint).</summary>
    public string? PretrainedEmbeddings { get; set; }

    /// <summary>Filled in when the vocabulary is built.</summary>
    public int VocabSize { get; set; }

    /// <summary>classify: the label names, in output order.</summary>
    public List<string> Labels { get; set; } = [];

    [JsonIgnore]
    public RecurrentFamily RecurrentFamily =>
        Family switch
        {
            ModelFamily.Rnn => RecurrentFamily.Rnn,
            ModelFamily.Gru => RecurrentFamily.Gru,
            _ => RecurrentFamily.Lstm,
        };

    /// <summary>The recurrent layer this config describes (dropout between stacked layers only, as PyTorch applies
    /// it).</summary>
    public RecurrentOptions Recurrent(bool bidirectional) =>
        new(RecurrentFamily, EmbedDim, HiddenSize, NumLayers, bidirectional, NumLayers > 1 ? Dropout : 0.0, Relu, Impl);

    [JsonIgnore]
    public bool IsTransformer => Family == ModelFamily.Transformer;

    /// <summary>The layers' shape of a Transformer stack this config describes.</summary>
    [JsonIgnore]
    public LayerSettings LayerSettings => new(HiddenSize, Heads, FfDim, Dropout, NormFirst, Activation, LayerNormEps);

    /// <summary>Rejects impossible settings with a message that names the key and the allowed values.</summary>
    // config.json files written before 0.2.0 also hold these two keys, derived from family and impl. They are read
    // (so those checkpoints load), checked against what they derive from, and never written.
    [JsonInclude, JsonPropertyName("recurrent_family"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    string? LegacyRecurrentFamily
    {
        get => null;
        set => legacyFamily = value;
    }
    string? legacyFamily;

    [JsonInclude, JsonPropertyName("recurrent_impl"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    string? LegacyRecurrentImpl
    {
        get => null;
        set => legacyImpl = value;
    }
    string? legacyImpl;

    /// <summary>The bounds every setting obeys, from the command line, a --config file or a checkpoint's
    /// config.json.</summary>
    public const int MaxWidth = 65536,
        MaxLayers = 64,
        MaxHeads = 1024,
        MaxFfDim = 1 << 20,
        MaxPositions = 1 << 20,
        MaxVocabulary = 10_000_000;

    public void Validate()
    {
        if (legacyFamily is { } f && f != RecurrentFamily.Name() && !IsTransformer)
            throw new SeqLabInputException(
                $"recurrent_family '{f}' contradicts family '{Family.Name()}'; drop recurrent_family (family sets it)."
            );
        if (legacyImpl is { } i && i != Impl.Name())
            throw new SeqLabInputException(
                $"recurrent_impl '{i}' contradicts impl '{Impl.Name()}'; drop recurrent_impl (impl sets it)."
            );
        Within("embed_dim", EmbedDim, 1, MaxWidth);
        Within("hidden_size", HiddenSize, 1, MaxWidth);
        Within("num_layers", NumLayers, 1, MaxLayers);
        AtLeast("min_count", MinCount, 1);
        Within("max_vocab", MaxVocab, 5, MaxVocabulary);
        Within("max_length", MaxLength, 1, MaxPositions);
        if (Tokenizer == TokenizerKind.Bpe)
            Within("bpe_vocab_size", BpeVocabSize, BpeTokenizer.Alphabet, MaxVocabulary);
        Within("vocab_size", VocabSize, 0, MaxVocabulary);
        if (double.IsNaN(Dropout) || Dropout < 0 || Dropout >= 1)
            throw new SeqLabInputException($"dropout must be in [0, 1) (got {Dropout}); try 0.1.");
        if (IsTransformer)
        {
            Within("heads", Heads, 1, MaxHeads);
            Within("ff_dim", FfDim, 1, MaxFfDim);
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
            if (double.IsNaN(LayerNormEps) || LayerNormEps <= 0 || LayerNormEps > 1)
                throw new SeqLabInputException($"layer_norm_eps must be in (0, 1] (got {LayerNormEps}); try 1e-5.");
        }
        else if (Activation != Activation.Relu || EmbeddingNorm || HeadTransform || !ScaleEmbeddings)
            throw new SeqLabInputException(
                "activation, embedding_norm, head_transform and scale_embeddings are Transformer settings; drop them "
                    + "for a recurrent model."
            );
        if (Task == TaskKind.Mlm && !IsTransformer)
            throw new SeqLabInputException(
                "a masked language model is BERT's Transformer encoder; use --model transformer with --task mlm."
            );
        if (FreezeEmbeddings && TieWeights && Task is TaskKind.Lm or TaskKind.Mlm or TaskKind.Seq2Seq)
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

    internal static void Within(string key, double value, double min, double max)
    {
        if (double.IsNaN(value) || value < min || value > max)
            throw new SeqLabInputException($"{key} must be between {min} and {max} (got {value}).");
    }

    /// <summary>
    /// About how many numbers the model holds: embeddings, layers, the output layer, and the Transformer's
    /// position table. For a memory check before anything is allocated, not an exact count.
    /// </summary>
    public double EstimatedParameters()
    {
        double V = Math.Max(VocabSize, 5),
            E = EmbedDim,
            H = HiddenSize,
            L = NumLayers;
        double p = V * E;
        if (IsTransformer)
            p += L * (4 * H * H + 2 * H * FfDim) * (Task == TaskKind.Seq2Seq ? 2.5 : 1) + (double)MaxLength * H;
        else
        {
            double gates = Family switch
            {
                ModelFamily.Lstm => 4,
                ModelFamily.Gru => 3,
                _ => 1,
            };
            double d = Bidirectional ? 2 : 1;
            p += d * gates * H * (E + H) + (L - 1) * d * gates * H * (d * H + H);
            if (Task == TaskKind.Seq2Seq)
                p *= 2;
        }
        if (Task != TaskKind.Classify)
            p += (TieWeights ? 0 : V * H) + V;
        return p;
    }

    /// <summary>
    /// Refuses a model whose estimated memory (<paramref name="bytesPerParameter"/> per number, plus
    /// <paramref name="extraBytes"/>) would not fit in this machine's memory, before any tensor exists.
    /// </summary>
    public void CheckMemory(double bytesPerParameter = 4, double extraBytes = 0)
    {
        double need = EstimatedParameters() * bytesPerParameter + extraBytes;
        double have = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (need > 0.8 * have)
            throw new SeqLabInputException(
                $"this model would need about {need / 1e9:F1} GB (about {EstimatedParameters():N0} parameters) but the "
                    + $"machine has {have / 1e9:F1} GB; make it smaller (hidden_size, num_layers, max_length or "
                    + $"max_vocab)."
            );
    }

    internal static void AtLeast(string key, double value, double min)
    {
        if (!double.IsFinite(value) || value < min)
            throw new SeqLabInputException($"{key} must be at least {min} (got {value}).");
    }

    public ModelConfig Clone()
    {
        var copy = (ModelConfig)MemberwiseClone();
        copy.Labels = [.. Labels];
        return copy;
    }
}
