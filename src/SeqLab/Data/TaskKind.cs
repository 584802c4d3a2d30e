using System.Text.Json.Serialization;

namespace SeqLab.Data;

/// <summary>What a model learns, which fixes the data format it reads (`--task`).</summary>
public enum TaskKind
{
    /// <summary>The next token of a plain text.</summary>
    Lm,

    /// <summary>Masked tokens of a plain text, read from both sides (BERT's pretraining).</summary>
    Mlm,

    /// <summary>One label per text: TSV label&lt;TAB&gt;text or JSONL {text, label}.</summary>
    Classify,

    /// <summary>An output text per source text: TSV source&lt;TAB&gt;target or JSONL {source, target}.</summary>
    [JsonStringEnumMemberName("seq2seq")]
    Seq2Seq,
}
