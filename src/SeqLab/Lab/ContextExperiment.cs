using SeqLab.Embeddings;
using SeqLab.Figures;
using SeqLab.Lab.Report;

namespace SeqLab.Lab;

/// <summary>The "banco" probe inside the lab: Word2Vec and the corpus language models, on the same real text.</summary>
public static class ContextExperiment
{
    public static LabResult Run(LabSession s)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        const string title = "Static versus contextual vectors";
        const string claim =
            "Static embeddings such as Word2Vec give \"banco\" the same vector in every sentence; recurrent networks "
            + "and Transformers give each occurrence a vector that depends on its context.";
        var (corpus, problem) = Corpus.Resolve(s);
        if (corpus is null)
            return LabResult.Skip("context", title, claim, problem, clock.Elapsed.TotalSeconds);

        s.Log("context: Word2Vec");
        var sentences = Word2Vec.Sentences(corpus.Train);
        var w2v = new Word2Vec(
            new Word2Vec.Options
            {
                MinCount = s.Pick(1, 2, 2),
                Epochs = s.Pick(1, 10, 20),
                Threads = s.Threads,
                Seed = s.Seed,
            }
        );
        var (vectors, summary) = w2v.Train(sentences);
        vectors.Save(Path.Combine(s.OutDir, "models", "word2vec.txt"));
        ContextProbe.Result r = null!;
        var perSeed = new List<(int Seed, Assessment A)>();
        var cosines = new Dictionary<string, Dictionary<string, double>>();
        foreach (var seed in s.Seeds.Reverse()) // the first seed last: its numbers are the ones shown
        {
            var models = EffectiveContextExperiment
                .Families.Select(f => EffectiveContextExperiment.Train(s, f, corpus, seed))
                .ToList();
            try
            {
                r = ContextProbe.Run(ContextProbe.DefaultWord, ContextProbe.DefaultSentences, vectors, models);
            }
            catch (SeqLabInputException e)
            {
                return new LabResult(
                    "context",
                    title,
                    claim,
                    "",
                    [],
                    [],
                    new { skipped = e.Message },
                    clock.Elapsed.TotalSeconds,
                    $"{e.Message} (use `seqlab lab context --sentence …` with a word your corpus has)"
                );
            }
            cosines[seed.ToString()] = r.Contextual.ToDictionary(c => c.Name, c => c.Mean);
            perSeed.Add((seed, Judge(r.Static.Mean, cosines[seed.ToString()])));
        }
        perSeed.Reverse();
        var assessment = Assessment.AcrossSeeds(Rule, perSeed);
        var names = new[] { "word2vec (static)" }.Concat(r.Contextual.Select(c => c.Name)).ToList();
        var values = new[] { r.Static.Mean }.Concat(r.Contextual.Select(c => c.Mean)).ToList();
        var plot = Plots.Bars(
            s.PlotPath("context-banco"),
            $"Cosine of \"{r.Word}\" between the park and the money sentence",
            "cosine similarity",
            names,
            values,
            highlight: 0
        );
        var table = new List<string[]> { new[] { "model", $"cosine of '{r.Word}' across sentences" } };
        table.AddRange(names.Zip(values).Select(p => new[] { p.First, p.Second.ToString("F6") }));
        var finding =
            $"Static: exactly {r.Static.Mean:F6} — one vector per word. "
            + string.Join(", ", r.Contextual.Select(c => $"{c.Name}: {c.Mean:F4}"))
            + $" — each occurrence gets its own vector. Word2Vec ({summary.Vocabulary:N0} words, "
            + $"{summary.WordsPerSecond:N0} words/s) puts '{r.Word}' near "
            + string.Join(", ", r.StaticNeighbors.Select(n => n.Word))
            + $", whichever sentence it is in. Verdict: {assessment.Words}.";
        return new LabResult(
            "context",
            title,
            claim,
            finding,
            [plot],
            table,
            new
            {
                word = r.Word,
                sentences = r.Sentences,
                @static = r.Static.Mean,
                contextual = r.Contextual.ToDictionary(c => c.Name, c => c.Mean),
                static_neighbors = r.StaticNeighbors.Select(n => n.Word),
                seeds = s.Seeds,
                contextual_per_seed = cosines,
                verdicts_per_seed = Assessment.PerSeedJson(perSeed),
            },
            clock.Elapsed.TotalSeconds,
            Assessment: assessment
        );
    }

    public const string Rule =
        "Supported when Word2Vec gives the word the same vector in both sentences (cosine ≥ 0.999999) and every "
        + "contextual model gives it different ones (cosine < 0.999), in every seed; not supported when a contextual "
        + "model's vectors are as "
        + "identical as the static ones; otherwise inconclusive.";

    /// <summary>The rule for one seed: the static cosine and each contextual model's.</summary>
    public static Assessment Judge(double staticCosine, IReadOnlyDictionary<string, double> contextual)
    {
        string numbers =
            $"word2vec {staticCosine:F6}, " + string.Join(", ", contextual.Select(c => $"{c.Key} {c.Value:F4}"));
        if (contextual.Any(c => c.Value >= 0.999999))
            return new(Verdict.NotSupported, Rule, $"a contextual model gives identical vectors ({numbers})");
        if (staticCosine >= 0.999999 && contextual.All(c => c.Value < 0.999))
            return new(Verdict.Supported, Rule, numbers);
        return new(Verdict.Inconclusive, Rule, $"too close to call ({numbers})");
    }
}
