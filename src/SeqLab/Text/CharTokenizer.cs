using System.Globalization;

namespace SeqLab.Text;

/// <summary>One token per user-perceived character (grapheme), spaces included, so "é" or an emoji is one
/// token.</summary>
public sealed class CharTokenizer(bool lowercase = false) : ITokenizer
{
    public string Name => "char";
    public bool Lowercase { get; } = lowercase;

    public IReadOnlyList<string> Tokenize(string text)
    {
        var normalized = WordTokenizer.Normalize(text);
        if (Lowercase)
            normalized = normalized.ToLowerInvariant();
        var tokens = new List<string>(normalized.Length);
        var e = StringInfo.GetTextElementEnumerator(normalized);
        while (e.MoveNext())
        {
            var element = e.GetTextElement();
            tokens.Add(element is "\r\n" or "\r" or "\t" ? " " : element);
        }
        return tokens;
    }

    public string Detokenize(IEnumerable<string> tokens) => string.Concat(tokens);
}
