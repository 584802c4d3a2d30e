using SeqLab.Text;

namespace SeqLab.Tests;

public class WordTokenizerSpec
{
    static string Tok(string text, bool lower = true) => string.Join(" ", new WordTokenizer(lower).Tokenize(text));

    [Fact]
    public void SplitsOffInvertedQuestionMarkAndLowercases() =>
        Assert.Equal("¿ dónde está el banco ?", Tok("¿Dónde está el banco?"));

    [Fact]
    public void SplitsOffInvertedExclamationAndGuillemets() =>
        Assert.Equal("¡ qué « bonito » día !", Tok("¡Qué «bonito» día!"));

    [Fact]
    public void KeepsAccentsAndEnye() => Assert.Equal("canción año pingüino", Tok("Canción AÑO pingüino"));

    [Fact]
    public void KeepsCaseWhenAsked() => Assert.Equal("Crecí en Suiza", Tok("Crecí en Suiza", lower: false));

    [Fact]
    public void KeepsNumbersWhole() =>
        Assert.Equal("pi vale 3,14 y son las 12:30 del 2024 .", Tok("Pi vale 3,14 y son las 12:30 del 2024."));

    [Fact]
    public void ComposesDecomposedAccents() => Assert.Equal(["está"], new WordTokenizer().Tokenize("esta\u0301"));

    [Fact]
    public void SplitsCommasAndEllipsis() => Assert.Equal("sí , pero … no", Tok("Sí, pero… no"));

    [Fact]
    public void DetokenizeGluesPunctuationToItsWord()
    {
        var t = new WordTokenizer(lowercase: false);
        Assert.Equal(
            "¿Dónde está el banco? ¡Allí, «cerca»!",
            t.Detokenize(t.Tokenize("¿Dónde está el banco? ¡Allí, «cerca»!"))
        );
    }
}
