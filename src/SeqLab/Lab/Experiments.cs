namespace SeqLab.Lab;

/// <summary>The lab's experiments by name, in the order the demo runs them (later ones reuse earlier models).</summary>
internal static class Experiments
{
    public static readonly (string Name, Func<LabSession, LabResult> Run)[] All =
    [
        ("long-range", LongRangeExperiment.Run),
        ("parallelism", ParallelismExperiment.Run),
        ("gradients", GradientsExperiment.Run),
        ("attention", AttentionExperiment.Run),
        ("effective-context", EffectiveContextExperiment.Run),
        ("context", ContextExperiment.Run),
        ("pretraining", PretrainingExperiment.Run),
    ];

    public static string[] Names => All.Select(e => e.Name).ToArray();

    /// <summary>Runs one experiment; its tables and plots write numbers in the session's language.</summary>
    public static LabResult Run(string name, LabSession session)
    {
        var run =
            All.FirstOrDefault(e => e.Name == name).Run
            ?? throw new SeqLabInputException($"unknown experiment '{name}'; use one of: {string.Join(", ", Names)}.");
        using var numbers = session.T.Numbers();
        return run(session);
    }
}
