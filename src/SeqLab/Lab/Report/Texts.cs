using System.Globalization;
using System.Text.Json;

namespace SeqLab.Lab.Report;

/// <summary>
/// Everything a reader of the report, the demo's summary and the playground sees, in one language: the
/// sentences come from one resource file per language (Lab/Report/texts.LANG.json, keys shared), and numbers
/// follow the language's conventions (Spanish: decimal comma, "99 %"). JSON numbers never pass through here.
/// </summary>
public sealed class Texts
{
    readonly IReadOnlyDictionary<string, string> templates;

    Texts(Language language, IReadOnlyDictionary<string, string> templates)
    {
        Language = language;
        this.templates = templates;
        Culture = CultureFor(language);
    }

    public Language Language { get; }

    /// <summary>How numbers are written: English as .NET's invariant culture; Spanish with a decimal comma, a point
    /// between thousands and a space before "%".</summary>
    public CultureInfo Culture { get; }

    public static readonly Texts English = Load(Language.En);
    public static readonly Texts Spanish = Load(Language.Es);

    public static Texts For(Language language) => language == Language.Es ? Spanish : English;

    /// <summary>The keys of one language's file (a test checks both languages have the same).</summary>
    public IReadOnlyCollection<string> Keys => templates.Keys.ToArray();

    /// <summary>The raw template of a key ("{0}" marks where arguments go).</summary>
    public string Template(string key) =>
        templates.TryGetValue(key, out var t)
            ? t
            : throw new KeyNotFoundException($"texts.{Language.Code()}.json has no key '{key}'");

    /// <summary>The sentence for <paramref name="key"/> with its arguments formatted in this language.</summary>
    public string this[string key, params object?[] args] => string.Format(Culture, Template(key), args);

    /// <summary>Makes this language's number conventions the thread's for a while (the experiments format table
    /// cells and plot ticks with the current culture); disposing restores the previous culture.</summary>
    public IDisposable Numbers() => new CultureScope(Culture);

    sealed class CultureScope : IDisposable
    {
        readonly CultureInfo previous = CultureInfo.CurrentCulture;

        public CultureScope(CultureInfo culture) => CultureInfo.CurrentCulture = culture;

        public void Dispose() => CultureInfo.CurrentCulture = previous;
    }

    static CultureInfo CultureFor(Language language)
    {
        // Built from the invariant culture, so it needs no ICU data (invariant-globalization hosts work too).
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        if (language == Language.Es)
        {
            var n = culture.NumberFormat;
            (n.NumberDecimalSeparator, n.NumberGroupSeparator) = (",", ".");
            (n.PercentDecimalSeparator, n.PercentGroupSeparator) = (",", ".");
            (n.CurrencyDecimalSeparator, n.CurrencyGroupSeparator) = (",", ".");
            n.PercentPositivePattern = 0; // "99 %"
            n.PercentNegativePattern = 0;
        }
        return CultureInfo.ReadOnly(culture);
    }

    static Texts Load(Language language)
    {
        var name = $"texts.{language.Code()}.json";
        using var stream =
            typeof(Texts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the resource {name} is missing from the SeqLab assembly");
        var map =
            JsonSerializer.Deserialize<Dictionary<string, string>>(stream)
            ?? throw new InvalidOperationException($"{name} is empty");
        return new Texts(language, map);
    }
}
