using System.Diagnostics;

namespace SeqLab.Training;

/// <summary>
/// Where a run's wall time went, phase by phase: batching in C#, the forward pass (the batch's tensors made from its
/// arrays, the loss read back), backward, clipping, the optimiser, the dispose scope's release, logging, validation,
/// checkpoints and the curves figure. One stopwatch: each <see cref="Mark"/> books the time since the previous mark
/// to a phase, so the phases add up to the whole run. libtorch's CPU ops finish before they return, so wall time per
/// phase is honest.
/// </summary>
public sealed class StepProfile
{
    public static readonly string[] Phases =
    [
        "batch",
        "forward",
        "backward",
        "clip",
        "optimizer",
        "release",
        "logging",
        "validation",
        "checkpoint",
        "curves",
    ];

    readonly Stopwatch clock = Stopwatch.StartNew();
    readonly Dictionary<string, double> seconds = Phases.ToDictionary(p => p, _ => 0.0);

    /// <summary>Books the time since the last mark to <paramref name="phase"/>.</summary>
    public void Mark(string phase)
    {
        seconds[phase] += clock.Elapsed.TotalSeconds;
        clock.Restart();
    }

    /// <summary>Seconds per phase, in <see cref="Phases"/> order.</summary>
    public IReadOnlyDictionary<string, double> Seconds => seconds;

    public double Total => seconds.Values.Sum();
}
