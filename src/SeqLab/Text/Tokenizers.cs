namespace SeqLab.Text;

/// <summary>The tokenizer a <see cref="TokenizerKind"/> names.</summary>
public static class Tokenizers
{
    /// <summary>A word or character tokenizer; a BPE one is learned from text (<see cref="BpeTokenizer.Train"/>) or
    /// read from its tokenizer.json.</summary>
    public static ITokenizer Create(TokenizerKind kind, bool lowercase) =>
        kind switch
        {
            TokenizerKind.Char => new CharTokenizer(lowercase),
            TokenizerKind.Bpe => throw new InvalidOperationException(
                "a BPE tokenizer is learned or loaded, not created"
            ),
            _ => new WordTokenizer(lowercase),
        };
}
