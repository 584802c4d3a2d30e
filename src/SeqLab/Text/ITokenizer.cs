namespace SeqLab.Text;

/// <summary>Turns text into tokens and back. Implementations never throw on any Unicode input.</summary>
public interface ITokenizer
{
    /// <summary>The name stored in a model's config ("word" or "char").</summary>
    string Name { get; }
    IReadOnlyList<string> Tokenize(string text);
    string Detokenize(IEnumerable<string> tokens);

    /// <summary>How one token reads to a person (a subword's bytes as text, without its leading space).</summary>
    string Show(string token) => token;
}
