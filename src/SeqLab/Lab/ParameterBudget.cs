using SeqLab.Models;

namespace SeqLab.Lab;

/// <summary>Sizes models of different families to the same number of parameters, so a comparison is about architecture,
/// not size.</summary>
internal static class ParameterBudget
{
    public static long Count(ModelConfig config)
    {
        using var model = ModelFactory.Create(config.Clone());
        return model.UniqueParameters().Sum(p => p.numel());
    }

    /// <summary>The hidden size (1…2048) whose parameter count is closest to <paramref name="target"/>.</summary>
    public static (int HiddenSize, long Parameters) HiddenSizeFor(ModelConfig template, long target)
    {
        int lo = 1,
            hi = 2048;
        long CountAt(int h)
        {
            var c = template.Clone();
            c.HiddenSize = h;
            return Count(c);
        }
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (CountAt(mid) < target)
                lo = mid + 1;
            else
                hi = mid;
        }
        var best = new[] { Math.Max(1, lo - 1), lo }.Select(h => (h, n: CountAt(h))).MinBy(p => Math.Abs(p.n - target));
        return (best.h, best.n);
    }
}
