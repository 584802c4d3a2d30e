using SeqLab.Data;
using SeqLab.Text;

namespace SeqLab.Tests;

/// <summary>BERT's masking: 15% of positions chosen, 80% of them &lt;mask&gt;, 10% a random token, 10% unchanged;
/// targets only there; fixed masks for a fixed seed.</summary>
public class MaskedLanguageDataSpec
{
    static readonly Vocabulary Vocab = Vocabulary.Build(Enumerable.Range(0, 50).Select(i => $"w{i}")).WithMask();

    static long[] Stream(int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (long)Vocab[$"w{rng.Next(50)}"]).ToArray();
    }

    [Fact]
    public void FifteenPercentAreChosenAndEightyTenTenReplaced()
    {
        var stream = Stream(64_000, 1);
        var batches = MaskedLanguageData.Batches(stream, 64, 32, Vocab, new Random(7)).ToList();
        long mask = Vocab[Vocabulary.Mask];
        long chosen = 0,
            masked = 0,
            unchanged = 0,
            random = 0;
        foreach (var b in batches)
            for (int i = 0; i < b.Inputs.Length; i++)
            {
                if (b.Targets[i] == Vocabulary.PadId)
                {
                    Assert.NotEqual(mask, b.Inputs[i]); // only chosen positions are touched
                    continue;
                }
                chosen++;
                if (b.Inputs[i] == mask)
                    masked++;
                else if (b.Inputs[i] == b.Targets[i])
                    unchanged++;
                else
                    random++;
            }
        Assert.Equal(64_000 / 64 * 10, chosen); // round(0.15 × 64) = 10 per window
        Assert.InRange(masked / (double)chosen, 0.78, 0.82);
        Assert.InRange(random / (double)chosen, 0.085, 0.115); // a random draw may hit the same token (1 in 50)
        Assert.InRange(unchanged / (double)chosen, 0.085, 0.12);
    }

    [Fact]
    public void TheTargetsAreTheOriginalTokensAtTheChosenPositions()
    {
        var stream = Stream(640, 2);
        var b = MaskedLanguageData.Batches(stream, 64, 10, Vocab, new Random(3)).Single();
        for (int i = 0; i < stream.Length; i++)
            if (b.Targets[i] != Vocabulary.PadId)
                Assert.Equal(stream[i], b.Targets[i]);
            else
                Assert.Equal(stream[i], b.Inputs[i]);
    }

    [Fact]
    public void TheSameSeedGivesTheSameMasks()
    {
        var stream = Stream(2_000, 3);
        var a = MaskedLanguageData.Batches(stream, 64, 8, Vocab, new Random(TaskData.ValidationMaskSeed)).ToList();
        var b = MaskedLanguageData.Batches(stream, 64, 8, Vocab, new Random(TaskData.ValidationMaskSeed)).ToList();
        Assert.Equal(a.SelectMany(x => x.Inputs), b.SelectMany(x => x.Inputs));
        Assert.Equal(a.SelectMany(x => x.Targets), b.SelectMany(x => x.Targets));
    }

    [Fact]
    public void RandomReplacementsAreOrdinaryTokens()
    {
        var stream = Stream(64_000, 4);
        long mask = Vocab[Vocabulary.Mask];
        foreach (var b in MaskedLanguageData.Batches(stream, 64, 32, Vocab, new Random(5)))
            Assert.All(b.Inputs, id => Assert.True(id == mask || !Vocabulary.IsSpecial((int)id)));
    }
}
