using CsCheck;
using SeqLab.Data;
using SeqLab.Text;

namespace SeqLab.Tests;

/// <summary>Properties over generated input (CsCheck).</summary>
public class PropertySpec
{
    static readonly Gen<string> AnyText = Gen.String[Gen.Char, 0, 60];
    static readonly string[] Pieces =
    [
        "banco",
        "año",
        "¿qué",
        "hola!",
        "3,14",
        "l'home",
        "sacar-dinero",
        "niño",
        "«cita»",
        "tú",
    ];
    static readonly Gen<string> Words = Gen.Int[0, Pieces.Length - 1]
        .Array[0, 12]
        .Select(a => string.Join(' ', a.Select(i => Pieces[i])));

    [Fact]
    public void TokenizersNeverThrowOnArbitraryUnicode() =>
        AnyText.Sample(
            text =>
            {
                new WordTokenizer().Tokenize(text);
                new CharTokenizer().Tokenize(text);
            },
            iter: 2000
        );

    [Fact]
    public void DetokenizingKeepsTheWords() =>
        Words.Sample(
            text =>
            {
                var tokenizer = new WordTokenizer();
                var tokens = tokenizer.Tokenize(text);
                Assert.Equal(tokens, tokenizer.Tokenize(tokenizer.Detokenize(tokens)));
            },
            iter: 500
        );

    [Fact]
    public void VocabularyEncodeDecodeRoundTrips() =>
        Gen.String[Gen.Char.AlphaNumeric, 1, 6]
            .Array[1, 40]
            .Sample(
                words =>
                {
                    var vocab = Vocabulary.Build(words);
                    var ids = vocab.Encode(words);
                    Assert.Equal(words, ids.Select(i => vocab[(int)i]));
                },
                iter: 300
            );

    [Fact]
    public void LanguageModelBatchingNeverDropsOrDuplicatesTokens() =>
        Gen.Select(Gen.Int[2, 400], Gen.Int[1, 20], Gen.Int[1, 6], (n, seqLen, batch) => (n, seqLen, batch))
            .Sample(
                t =>
                {
                    var stream = Enumerable.Range(0, t.n).Select(i => (long)i + 4).ToArray();
                    var seen = LanguageModelData
                        .Batches(stream, t.seqLen, t.batch)
                        .SelectMany(b =>
                            Enumerable
                                .Range(0, b.Rows)
                                .SelectMany(r =>
                                    Enumerable.Range(0, (int)b.Lengths[r]).Select(c => b.Inputs[r * b.Columns + c])
                                )
                        )
                        .ToList();
                    Assert.Equal(seen.Count, seen.Distinct().Count()); // no token read twice as an input
                    Assert.True(seen.Count >= t.n - 1 - (t.n - 1) % t.seqLen, $"{seen.Count} of {t.n} tokens used"); // at most a final partial window is left
                },
                iter: 300
            );
}
