using System.Text.RegularExpressions;
using SeqLab.Cli.Serve;
using SeqLab.Lab;
using SeqLab.Lab.Report;

namespace SeqLab.Tests;

/// <summary>The report, the demo's summary and the playground in Spanish or English: one resource file per
/// language, the same keys in both, numbers written the language's way.</summary>
public class LanguageSpec
{
    static readonly Regex Placeholder = new(@"\{(\d+)(?::[^}]*)?\}");

    static IEnumerable<string> Placeholders(string template) =>
        Placeholder.Matches(template).Select(m => m.Groups[1].Value).Distinct().Order();

    [Fact]
    public void BothLanguagesHaveExactlyTheSameKeys()
    {
        var en = Texts.English.Keys.ToHashSet();
        var es = Texts.Spanish.Keys.ToHashSet();
        Assert.Empty(en.Except(es)); // in English only: missing in Spanish
        Assert.Empty(es.Except(en)); // in Spanish only: missing in English
    }

    [Fact]
    public void EveryKeyTakesTheSameArgumentsInBothLanguages()
    {
        foreach (var key in Texts.English.Keys)
            Assert.True(
                Placeholders(Texts.English.Template(key)).SequenceEqual(Placeholders(Texts.Spanish.Template(key))),
                $"{key}: '{Texts.English.Template(key)}' vs '{Texts.Spanish.Template(key)}'"
            );
    }

    [Fact]
    public void EveryKeyTheSourceAsksForIsInTheResourceFiles()
    {
        var root = Repo.Root;
        var key = new Regex(@"[\w\)\]]\[\s*""([a-z-]+(?:\.[a-z-]+)+)"""); // an indexer: t["…"], s.T["…"]
        var used = Directory
            .EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .SelectMany(f => key.Matches(File.ReadAllText(f)).Select(m => (File: f, Key: m.Groups[1].Value)))
            .ToList();
        Assert.True(used.Count > 100, $"found only {used.Count} keys in src/");
        var missing = used.Where(u => !Texts.English.Keys.Contains(u.Key)).ToList();
        Assert.True(missing.Count == 0, string.Join("\n", missing.Select(m => $"{m.File}: {m.Key}")));
    }

    [Fact]
    public void SpanishWritesADecimalCommaAndASpaceBeforePercent()
    {
        Assert.Equal("azar (21 %)", Texts.Spanish["long-range.plot.chance", 0.214]);
        Assert.Equal("chance (21 %)", Texts.English["long-range.plot.chance", 0.214]);
        Assert.Equal("0,97", 0.974.ToString("F2", Texts.Spanish.Culture));
        Assert.Equal("1.234", 1234.ToString("N0", Texts.Spanish.Culture));
        Assert.Equal("0.97", 0.974.ToString("F2", Texts.English.Culture));
    }

    [Theory]
    [InlineData("es_ES.UTF-8", null, "C.UTF-8", Language.Es)] // LC_ALL wins
    [InlineData(null, null, "es_MX.UTF-8", Language.Es)]
    [InlineData("", "es_AR", "en_US.UTF-8", Language.Es)] // an empty LC_ALL is unset; LC_MESSAGES before LANG
    [InlineData("en_GB.UTF-8", null, "es_ES.UTF-8", Language.En)]
    [InlineData(null, null, "C.UTF-8", Language.En)]
    [InlineData(null, null, "fr_FR.UTF-8", Language.En)] // neither: English
    [InlineData(null, null, null, Language.En)]
    public void TheDefaultLanguageComesFromTheLocale(string? lcAll, string? lcMessages, string? lang, Language expected)
    {
        var env = new Dictionary<string, string?>
        {
            ["LC_ALL"] = lcAll,
            ["LC_MESSAGES"] = lcMessages,
            ["LANG"] = lang,
        };
        Assert.Equal(expected, Languages.FromEnvironment(v => env.GetValueOrDefault(v)));
    }

    [Fact]
    public void AnUnknownLanguageIsRefusedByName()
    {
        var e = Assert.Throws<SeqLabInputException>(() => Languages.Parse("fr"));
        Assert.Contains("'fr'", e.Message);
        Assert.Contains("es", e.Message);
    }

    [Fact]
    public void AVerdictReadsInTheReportsLanguage()
    {
        var a = new Assessment(Verdict.Supported, "r", "why");
        Assert.Equal("supported", a.Words());
        Assert.Equal("confirmada", a.Words(Texts.Spanish));
        var flips = Assessment.AcrossSeeds(
            "r",
            [(1, a), (2, new Assessment(Verdict.NotSupported, "r", "x"))],
            Texts.Spanish
        );
        Assert.StartsWith("el veredicto cambia de una semilla a otra: semilla 1: confirmada", flips.Reason);
    }

    [Theory]
    [InlineData(Language.En, "SeqLab playground", "mean of heads")]
    [InlineData(Language.Es, "Zona de pruebas de SeqLab", "media de las cabezas")]
    public void ThePlaygroundPageIsWrittenInOneLanguage(Language language, string title, string meanOfHeads)
    {
        var page = Playground.Page(Texts.For(language));
        Assert.Contains($"<html lang=\"{language.Code()}\">", page);
        Assert.Contains($"<h1>{title}</h1>", page);
        Assert.Contains(meanOfHeads, page);
        Assert.DoesNotContain("{{", page); // every placeholder filled
    }
}
