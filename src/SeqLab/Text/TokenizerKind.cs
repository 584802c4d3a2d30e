namespace SeqLab.Text;

/// <summary>How text becomes tokens (`--tokenizer`).</summary>
public enum TokenizerKind
{
    Word,
    Char,

    /// <summary>Byte-level byte-pair encoding, learned from the training text (tokenizer.json in the
    /// checkpoint).</summary>
    Bpe,
}
