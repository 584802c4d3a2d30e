namespace SeqLab.Training;

/// <summary>What the trainer reports after each step (and after each evaluation, with the validation
/// numbers).</summary>
public sealed record TrainingProgress(
    long Step,
    long? TotalSteps,
    int Epoch,
    double Loss,
    double LearningRate,
    double TokensPerSecond,
    double ElapsedSeconds,
    double? BudgetSeconds,
    double? ValidLoss = null,
    double? ValidAccuracy = null
)
{
    /// <summary>Fraction done, by steps or by time, whichever the run is bounded by and is further along.</summary>
    public double? Fraction =>
        Math.Max(TotalSteps is { } t ? (double)Step / t : 0, BudgetSeconds is { } b ? ElapsedSeconds / b : 0) is var f
        && f > 0
            ? Math.Min(1, f)
            : null;
}
