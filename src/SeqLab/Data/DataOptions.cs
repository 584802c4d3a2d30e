using SeqLab.Text;

namespace SeqLab.Data;

/// <summary>
/// Everything that decides how a task's files become batches: the text pipeline (tokenizer,
/// vocabulary limits), the batch shape and the seeded order. Built from a model config and training
/// options by the training recipe; the data layer needs nothing else.
/// </summary>
public sealed record DataOptions
{
    public TaskKind Task { get; init; } = TaskKind.Lm;
    public TokenizerKind Tokenizer { get; init; } = TokenizerKind.Word;
    public bool Lowercase { get; init; } = true;
    public int MinCount { get; init; } = 2;
    public int MaxVocab { get; init; } = 16000;

    /// <summary>lm, mlm: open each line with &lt;bos&gt; as well, BERT's [CLS] … [SEP] (an imported BERT).</summary>
    public bool ClsSepFraming { get; init; }

    /// <summary>bpe: the tokens a new byte-level BPE learns (the 256 byte symbols included).</summary>
    public int BpeVocabSize { get; init; } = 8000;

    /// <summary>classify/seq2seq: the longest example in tokens (longer classify texts are cut).</summary>
    public int MaxLength { get; init; } = 512;

    /// <summary>lm: tokens per training window.</summary>
    public int SeqLen { get; init; } = 64;
    public int BatchSize { get; init; } = 32;
    public int Seed { get; init; } = 1;

    /// <summary>Share of the training data held out for validation when no separate file is given.</summary>
    public double ValidFraction { get; init; } = 0.1;
    public bool LengthBuckets { get; init; }
    public bool Curriculum { get; init; }
}
