namespace SeqLab.Tests;

/// <summary>A seed derived from (seed, epoch) or (seed, step) is the same number in every process and on every
/// machine.</summary>
public class SeedsSpec
{
    [Fact]
    public void MixIsAFixedFunctionOfItsValues()
    {
        // Constants, not a second call: a per-process randomised hash would pass a same-process comparison.
        Assert.Equal(Seeds.Mix(1, 0), Seeds.Mix(1, 0));
        Assert.Equal(-308458717, Seeds.Mix(1, 0));
        Assert.Equal(-4031551, Seeds.Mix(1, 1));
    }

    [Fact]
    public void MixSeparatesNeighbouringInputs() =>
        Assert.Equal(
            100,
            Enumerable
                .Range(0, 10)
                .SelectMany(s => Enumerable.Range(0, 10).Select(e => Seeds.Mix(s, e)))
                .Distinct()
                .Count()
        );
}
