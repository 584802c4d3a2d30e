namespace SeqLab.Text;

/// <summary>How text becomes tokens (`--tokenizer`).</summary>
public enum TokenizerKind
{
    Word,
    Char,

    /// <summary>Byte-level byte-pair encoding, learned from the training text (tokenizer.json in the
    /// checkpoint).</summary>
    Bpe,

    /// <summary>BERT's WordPiece, imported with a Hugging Face model (tokenizer.json in the checkpoint); not
    /// learned by SeqLab.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("wordpiece")]
    WordPiece,
}
