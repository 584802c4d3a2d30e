using SeqLab.Text;

namespace SeqLab.Tests;

public class CharTokenizerSpec
{
    [Fact]
    public void OneTokenPerGraphemeIncludingSpaces() =>
        Assert.Equal(["a", "ñ", " ", "é"], new CharTokenizer().Tokenize("an\u0303 e\u0301"));

    [Fact]
    public void DetokenizeConcatenates() =>
        Assert.Equal("¿qué?", new CharTokenizer().Detokenize(new CharTokenizer().Tokenize("¿qué?")));
}
