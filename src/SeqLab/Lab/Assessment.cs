using SeqLab.Lab.Report;

namespace SeqLab.Lab;

/// <summary>A verdict, the rule that gave it (in words), and why, in this run's numbers.</summary>
public sealed record Assessment(Verdict Verdict, string Rule, string Reason)
{
    /// <summary>The JSON spelling: supported, not_supported, inconclusive.</summary>
    public string Json =>
        Verdict switch
        {
            Verdict.Supported => "supported",
            Verdict.NotSupported => "not_supported",
            _ => "inconclusive",
        };

    /// <summary>How a reader sees it: "supported", "not supported", "inconclusive at this scale" (in English, or
    /// in the language of <paramref name="t"/>).</summary>
    public string Words(Texts? t = null) =>
        (t ?? Texts.English)[
            Verdict switch
            {
                Verdict.Supported => "verdict.supported",
                Verdict.NotSupported => "verdict.not-supported",
                _ => "verdict.inconclusive",
            }
        ];

    /// <summary>The finding's last sentence, " Verdict: supported." (with its leading space), in the language of
    /// <paramref name="t"/>.</summary>
    public string Closing(Texts? t = null) => " " + (t ?? Texts.English)["verdict.sentence", Words(t)];

    /// <summary>
    /// One verdict from the verdicts of several seeds: the same in every seed, or inconclusive (and
    /// flagged) when they disagree: a direction that flips with the seed is no result.
    /// </summary>
    public static Assessment AcrossSeeds(string rule, IReadOnlyList<(int Seed, Assessment A)> perSeed, Texts? t = null)
    {
        t ??= Texts.English;
        if (perSeed.Count == 0)
            return new(Verdict.Inconclusive, rule, t["seeds.none"]);
        var first = perSeed[0].A.Verdict;
        if (perSeed.All(p => p.A.Verdict == first))
            return new(
                first,
                rule,
                perSeed.Count == 1
                    ? perSeed[0].A.Reason
                    : t[
                        "seeds.same",
                        perSeed.Count,
                        string.Join(", ", perSeed.Select(p => p.Seed)),
                        perSeed[0].Seed,
                        perSeed[0].A.Reason
                    ]
            );
        return new(
            Verdict.Inconclusive,
            rule,
            t["seeds.flips", string.Join("; ", perSeed.Select(p => t["seeds.one", p.Seed, p.A.Words(t), p.A.Reason]))]
        );
    }

    /// <summary>Each seed's verdict for the JSON numbers: [{seed, verdict, reason}].</summary>
    public static object PerSeedJson(IEnumerable<(int Seed, Assessment A)> perSeed) =>
        perSeed
            .Select(p => new
            {
                seed = p.Seed,
                verdict = p.A.Json,
                reason = p.A.Reason,
            })
            .ToList();
}
