using SeqLab.Lab.Report;

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
)
{
    /// <summary>An experiment that could not run (e.g. no corpus): its claim, and why; its verdict is
    /// inconclusive.</summary>
    public static LabResult Skip(
        string name,
        string title,
        string claim,
        string? problem,
        double seconds,
        Texts? t = null
    )
    {
        t ??= Texts.English;
        var why = problem ?? t["skip.reason"];
        return new(
            name,
            title,
            claim,
            "",
            [],
            [],
            new { skipped = problem },
            seconds,
            why,
            new Assessment(Verdict.Inconclusive, t["skip.rule"], why)
        );
    }

    /// <summary>
    /// The experiment's JSON document (DIR/NAME.json, and `lab --json`): the finding, and its verdict with the
    /// rule that gave it ("inconclusive" when the experiment was skipped).
    /// </summary>
    public object Document() =>
        new
        {
            experiment = Name,
            title = Title,
            claim = Claim,
            finding = Finding,
            skipped = Skipped,
            verdict = Assessment?.Json ?? "inconclusive",
            rule = Assessment?.Rule ?? Texts.English["skip.rule"],
            reason = Assessment?.Reason ?? Skipped,
            seconds = Seconds,
            numbers = Numbers,
            plots = Plots,
            table = Table,
        };
}
