namespace SeqLab.Lab;

/// <summary>How big an experiment runs: tiny (tests, seconds), small (the demo, minutes), full (the larger
/// version).</summary>
public enum LabScale
{
    Tiny,
    Small,
    Full,
}
