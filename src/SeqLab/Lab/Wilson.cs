namespace SeqLab.Lab;

/// <summary>
/// The Wilson score interval for a proportion (Wilson 1927): unlike p ± z·√(p(1−p)/n) it stays inside
/// [0, 1] and is honest at 0% and 100%, which is where classifiers on easy or impossible tasks end up.
/// </summary>
public static class Wilson
{
    /// <summary>The 95% interval (z = 1.96) of <paramref name="successes"/> out of <paramref name="n"/>.</summary>
    public static (double Low, double High) Interval(int successes, int n, double z = 1.96)
    {
        if (n <= 0)
            return (0, 1);
        if (successes < 0 || successes > n)
            throw new ArgumentOutOfRangeException(nameof(successes), $"{successes} of {n}");
        double p = (double)successes / n,
            z2 = z * z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = z / (1 + z2 / n) * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}
