using SeqLab.Lab;

namespace SeqLab.Tests;

/// <summary>The 95% Wilson interval, against values computed by hand from the formula.</summary>
public class WilsonSpec
{
    [Theory]
    [InlineData(100, 100, 0.963, 1.0)]
    [InlineData(0, 100, 0.0, 0.037)]
    [InlineData(50, 100, 0.404, 0.596)]
    [InlineData(17, 100, 0.109, 0.255)]
    public void MatchesTheFormula(int successes, int n, double low, double high)
    {
        var (lo, hi) = Wilson.Interval(successes, n);
        Assert.Equal(low, lo, 3);
        Assert.Equal(high, hi, 3);
    }

    [Fact]
    public void NarrowsWithMoreExamples()
    {
        var (lo10, hi10) = Wilson.Interval(9, 10);
        var (lo1000, hi1000) = Wilson.Interval(900, 1000);
        Assert.True(hi1000 - lo1000 < (hi10 - lo10) / 5);
    }
}
