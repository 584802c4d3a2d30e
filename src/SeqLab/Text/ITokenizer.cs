namespace SeqLab.Text;

/// <summary>Turns text into tokens and back. Implementations never throw on any Unicode input.</summary>
public interface ITokenizer
{
    /// <summary>The name stored in a model's config ("word", "char", "bpe" or "wordpiece").</summary>
    string Name { get; }
    IReadOnlyList<string> Tokenize(string text);
    string Detokenize(IEnumerable<string> tokens);

    /// <summary>How one token reads to a person (a subword's bytes as text, without its leading space).</summary>
    string Show(string token) => token;

    /// <summary>Whether a token can begin a word (a WordPiece "##amo" only continues one).</summary>
    bool StartsWord(string token) => true;
}
