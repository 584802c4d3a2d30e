namespace SeqLab.Inference;

/// <summary>The "[???]" a user writes where a word is missing; the models read the text up to it.</summary>
public static class Blank
{
    public const string Marker = "[???]";

    public static bool In(string text) => text.Contains(Marker, StringComparison.Ordinal);

    /// <summary>The text before the first blank, or the whole text when it has none.</summary>
    public static string LeftOf(string text) =>
        text.IndexOf(Marker, StringComparison.Ordinal) is >= 0 and var at ? text[..at] : text;
}
