namespace SeqLab.Text;

/// <summary>How text becomes tokens (`--tokenizer`).</summary>
public enum TokenizerKind
{
    Word,
    Char,
}
