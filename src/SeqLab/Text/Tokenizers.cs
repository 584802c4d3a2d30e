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
            TokenizerKind.WordPiece => throw new SeqLabInputException(
                "a WordPiece tokenizer comes with a BERT model imported by `seqlab import --format hf-bert`; "
                    + "SeqLab does not learn one. Use --tokenizer word, char or bpe, or --init-from an imported BERT."
            ),
            _ => new WordTokenizer(lowercase),
        };

    /// <summary>Whether the tokenizer of <paramref name="kind"/> is a file of the checkpoint (tokenizer.json): a
    /// learned BPE or an imported WordPiece. Word and char tokenizers are rules, rebuilt from the config.</summary>
    public static bool IsStored(TokenizerKind kind) => kind is TokenizerKind.Bpe or TokenizerKind.WordPiece;

    /// <summary>Writes a stored tokenizer to <paramref name="path"/>; a rule-based one needs no file.</summary>
    public static void Save(ITokenizer tokenizer, string path)
    {
        if (tokenizer is BpeTokenizer bpe)
            bpe.Save(path);
        else if (tokenizer is WordPieceTokenizer wordPiece)
            wordPiece.Save(path);
    }

    /// <summary>The tokenizer of a checkpoint: read from <paramref name="path"/> when it is stored, else
    /// created.</summary>
    public static ITokenizer Load(TokenizerKind kind, bool lowercase, string path) =>
        kind switch
        {
            TokenizerKind.Bpe => BpeTokenizer.Load(path),
            TokenizerKind.WordPiece => WordPieceTokenizer.Load(path),
            _ => Create(kind, lowercase),
        };
}
