namespace SeqLab.Lab;

/// <summary>
/// What one experiment measured: numbers (for JSON), a table, plots, the finding in plain words beside
/// the lecture's claim, and the verdict with the rule that gave it.
/// </summary>
public sealed record LabResult(
    string Name,
    string Title,
    string Claim,
    string Finding,
    IReadOnlyList<string> Plots,
    IReadOnlyList<string[]> Table,
    object Numbers,
    double Seconds,
    string? Skipped = null,
    Assessment? Assessment = null
);
