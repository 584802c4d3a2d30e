namespace SeqLab.Lab.Report;

/// <summary>Which language: from `--lang`, or from the locale.</summary>
public static class Languages
{
    /// <summary>`--lang es|en` (also "es_ES.UTF-8"-style locale names); anything else is refused by name.</summary>
    public static Language Parse(string value) =>
        TryLocale(value)
        ?? throw new SeqLabInputException($"unknown --lang '{value}'; use es (Spanish) or en (English).");

    /// <summary>
    /// The language the environment's locale asks for: the first of LC_ALL, LC_MESSAGES and LANG that is set
    /// (POSIX's order), when it is Spanish or English; English otherwise (C, POSIX, other languages).
    /// </summary>
    public static Language FromEnvironment(Func<string, string?>? variable = null)
    {
        variable ??= Environment.GetEnvironmentVariable;
        var locale = new[] { "LC_ALL", "LC_MESSAGES", "LANG" }
            .Select(variable)
            .FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
        return locale is null ? Language.En : TryLocale(locale) ?? Language.En;
    }

    /// <summary>"es", "es_ES.UTF-8", "es-MX" → Spanish; "en…" → English; anything else → null.</summary>
    public static Language? TryLocale(string value)
    {
        var code = value.Trim().ToLowerInvariant();
        int end = code.IndexOfAny(['_', '-', '.', '@']);
        return (end < 0 ? code : code[..end]) switch
        {
            "es" => Language.Es,
            "en" => Language.En,
            _ => null,
        };
    }

    /// <summary>The two-letter code (HTML's lang attribute, file names).</summary>
    public static string Code(this Language language) => language == Language.Es ? "es" : "en";
}
