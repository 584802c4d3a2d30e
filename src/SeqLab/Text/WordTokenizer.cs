using System.Text;
using System.Text.RegularExpressions;

namespace SeqLab.Text;

/// <summary>
/// Words, numbers and punctuation, for Spanish and other Latin-script text: accents are kept (text is
/// NFC-normalised first), "¿ ¡ « »" and every other punctuation mark become tokens of their own,
/// numbers such as "3,14" or "12:30" stay whole, and "sacar-dinero"/"l'home" keep their inner mark.
/// </summary>
public sealed partial class WordTokenizer(bool lowercase = true) : ITokenizer
{
    public string Name => "word";
    public bool Lowercase { get; } = lowercase;

    [GeneratedRegex(
        @"\p{N}+(?:[.,:]\p{N}+)+|[\p{L}\p{M}\p{N}]+(?:['’\-][\p{L}\p{M}\p{N}]+)*|[\uD800-\uDBFF][\uDC00-\uDFFF]|\S"
    )]
    private static partial Regex TokenPattern();

    public IReadOnlyList<string> Tokenize(string text)
    {
        var normalized = Normalize(text);
        if (Lowercase)
            normalized = normalized.ToLowerInvariant();
        var matches = TokenPattern().Matches(normalized);
        var tokens = new List<string>(matches.Count);
        foreach (Match m in matches)
            tokens.Add(m.Value);
        return tokens;
    }

    // Closing marks attach to the word before them, opening marks to the word after them.
    const string NoSpaceBefore = ".,;:!?)]}»…%";
    const string NoSpaceAfter = "¿¡([{«";

    public string Detokenize(IEnumerable<string> tokens)
    {
        var sb = new StringBuilder();
        string? previous = null;
        foreach (var token in tokens)
        {
            bool glue =
                previous is null
                || (token.Length == 1 && NoSpaceBefore.Contains(token[0]))
                || (previous.Length == 1 && NoSpaceAfter.Contains(previous[0]));
            if (!glue)
                sb.Append(' ');
            sb.Append(token);
            previous = token;
        }
        return sb.ToString();
    }

    internal static string Normalize(string text)
    {
        try
        {
            return text.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            return text;
        } // lone surrogates: leave the text as it is
    }
}
