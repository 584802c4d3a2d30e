namespace SeqLab.Text;

/// <summary>The tokenizer a <see cref="TokenizerKind"/> names.</summary>
public static class Tokenizers
{
    public static ITokenizer Create(TokenizerKind kind, bool lowercase) =>
        kind switch
        {
            TokenizerKind.Char => new CharTokenizer(lowercase),
            _ => new WordTokenizer(lowercase),
        };
}
