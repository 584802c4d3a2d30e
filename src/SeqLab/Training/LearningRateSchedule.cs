namespace SeqLab.Training;

/// <summary>Learning rate as a function of the step (1-based), as named in the training options.</summary>
public static class LearningRateSchedule
{
    /// <param name="totalSteps">Known length of the run (cosine decays to 10% over it); null when stopping by
    /// time.</param>
    /// <param name="modelDim">d_model for the noam schedule.</param>
    public static double At(TrainingOptions o, long step, long? totalSteps, int modelDim) =>
        o.Schedule switch
        {
            Schedule.Noam => o.LearningRate * Noam(step, modelDim, o.WarmupSteps),
            Schedule.Cosine => Warmup(o, step) * Cosine(step, o.WarmupSteps, totalSteps),
            _ => Warmup(o, step),
        };

    /// <summary>Vaswani et al. 2017, eq. 3: d_model^-0.5 · min(step^-0.5, step · warmup^-1.5).</summary>
    public static double Noam(long step, int modelDim, int warmup)
    {
        step = Math.Max(step, 1);
        return Math.Pow(modelDim, -0.5) * Math.Min(Math.Pow(step, -0.5), step * Math.Pow(warmup, -1.5));
    }

    static double Warmup(TrainingOptions o, long step) =>
        o.WarmupSteps > 0 && step < o.WarmupSteps ? o.LearningRate * step / o.WarmupSteps : o.LearningRate;

    static double Cosine(long step, int warmup, long? total)
    {
        if (total is not { } t || t <= warmup)
            return 1.0;
        double progress = Math.Clamp((double)(step - warmup) / (t - warmup), 0, 1);
        return 0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
