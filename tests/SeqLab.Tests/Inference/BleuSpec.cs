using SeqLab.Inference;

namespace SeqLab.Tests;

public class BleuSpec
{
    static IReadOnlyList<string> T(string s) => s.Split(' ');

    [Fact]
    public void IdenticalOutputsScoreOneHundred() =>
        Assert.Equal(100, Bleu.Corpus([T("a b c d e")], [T("a b c d e")]), 6);

    [Fact]
    public void ShortOutputsPayTheBrevityPenalty() =>
        // Every n-gram of "a b c d" is in the reference, so BLEU = BP = exp(1 − 6/4).
        Assert.Equal(100 * Math.Exp(1 - 6.0 / 4), Bleu.Corpus([T("a b c d")], [T("a b c d e f")]), 6);

    [Fact]
    public void RepeatedWordsAreClippedByTheReference() =>
        // Unigram precision 2/7 ("the" counts at most twice); no bigram matches, so BLEU is 0.
        Assert.Equal(0, Bleu.Corpus([T("the the the the the the the")], [T("the cat is on the mat")]));
}
