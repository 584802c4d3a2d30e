using SeqLab.Data;
using SeqLab.Embeddings;
using SeqLab.Inference;
using SeqLab.Lab.Report;
using SeqLab.Models;
using SeqLab.Training;

namespace SeqLab.Lab;

/// <summary>The "banco" probe inside the lab: Word2Vec and the corpus language models, on the same real text.</summary>
public static class ContextExperiment
{
    public static LabResult Run(LabSession s)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var t = s.T;
        string title = t["context.title"],
            claim = t["context.claim"];
        var (corpus, problem) = Corpus.Resolve(s);
        if (corpus is null)
            return LabResult.Skip("context", title, claim, problem, clock.Elapsed.TotalSeconds, t);

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
        List<Fill> fills = [];
        foreach (var seed in s.Seeds.Reverse()) // the first seed last: its numbers are the ones shown
        {
            // The corpus language models (LSTM, causal Transformer), and the same Transformer as a masked LM (BERT's).
            var models = EffectiveContextExperiment
                .Families.Select(f => CorpusModels.Train(s, f, TaskKind.Lm, corpus.Train, seed))
                .Append(CorpusModels.Train(s, ModelFamily.Transformer, TaskKind.Mlm, corpus.Train, seed))
                .ToList();
            if (seed == s.Seeds[0])
                fills = Fills(models);
            try
            {
                r = ContextProbe.Run(ContextProbe.DefaultWord, ContextProbe.DefaultSentences, vectors, models);
            }
            catch (SeqLabInputException e)
            {
                return LabResult.Skip(
                    "context",
                    title,
                    claim,
                    t["context.word-missing", e.Message],
                    clock.Elapsed.TotalSeconds,
                    t
                );
            }
            cosines[seed.ToString()] = r.Contextual.ToDictionary(c => c.Name, c => c.Mean);
            perSeed.Add((seed, Judge(r.Static.Mean, cosines[seed.ToString()], t)));
        }
        perSeed.Reverse();
        var assessment = Assessment.AcrossSeeds(Rule(t), perSeed, t);
        var plot = ContextProbe.Figure(r, s.PlotPath("context-banco"), t);
        var table = new List<string[]> { new[] { t["table.model"], t["context.table.cosine", r.Word] } };
        table.AddRange(ContextProbe.Bars(r, t).Select(b => new[] { b.Name, b.Cosine.ToString("F6", t.Culture) }));
        string Top(Fill f, bool masked) =>
            string.Join(
                ", ",
                (masked ? f.Masked : f.Causal).Select(c => string.Create(t.Culture, $"{c.Token} ({c.Probability:P0})"))
            );
        var fillText = string.Join(
            " ",
            fills.Select(f => t["context.fill", f.Sentence, Top(f, masked: false), Top(f, masked: true)])
        );
        var finding =
            t[
                "context.finding",
                r.Static.Mean,
                string.Join(", ", r.Contextual.Select(c => string.Create(t.Culture, $"{c.Name}: {c.Mean:F4}"))),
                summary.Vocabulary,
                summary.WordsPerSecond,
                r.Word,
                string.Join(", ", r.StaticNeighbors.Select(n => n.Word))
            ]
            + (fillText.Length > 0 ? " " + fillText : "")
            + assessment.Closing(t);
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
                fill_the_blank = fills.Select(f => new
                {
                    sentence = f.Sentence,
                    causal = f.Causal.Select(c => new { token = c.Token, probability = c.Probability }),
                    masked = f.Masked.Select(c => new { token = c.Token, probability = c.Probability }),
                }),
                verdicts_per_seed = Assessment.PerSeedJson(perSeed),
            },
            clock.Elapsed.TotalSeconds,
            Assessment: assessment
        );
    }

    /// <summary>The probe's sentences with the word as a blank: the right context ("del parque", "a sacar dinero")
    /// tells the two senses apart.</summary>
    public static readonly string[] BlankSentences =
    [
        "Me senté en el [???] del parque a leer un libro.",
        "Fui al [???] a sacar dinero de mi cuenta.",
    ];

    /// <summary>One sentence's top answers for the blank: the causal Transformer's (the words before it) and the
    /// masked model's (both sides).</summary>
    public sealed record Fill(string Sentence, IReadOnlyList<Candidate> Causal, IReadOnlyList<Candidate> Masked);

    /// <summary>Both Transformers fill each blank sentence (empty when either is missing).</summary>
    static List<Fill> Fills(IReadOnlyList<LoadedModel> models)
    {
        var causal = models.FirstOrDefault(m => m.Config.IsTransformer && m.Config.Task == TaskKind.Lm);
        var masked = models.FirstOrDefault(m => m.Config.Task == TaskKind.Mlm);
        if (causal is null || masked is null)
            return [];
        return BlankSentences
            .Select(x => new Fill(
                x,
                Predictors.For(causal).Predict(x, 3).Candidates,
                Predictors.For(masked).Predict(x, 3).Candidates
            ))
            .ToList();
    }

    /// <summary>The verdict's rule, in words.</summary>
    public static string Rule(Texts? t = null) => (t ?? Texts.English)["context.rule"];

    /// <summary>The rule for one seed: the static cosine and each contextual model's.</summary>
    public static Assessment Judge(double staticCosine, IReadOnlyDictionary<string, double> contextual, Texts? t = null)
    {
        t ??= Texts.English;
        var each = contextual.Select(c => string.Create(t.Culture, $"{c.Key} {c.Value:F4}"));
        string numbers = string.Create(t.Culture, $"word2vec {staticCosine:F6}, {string.Join(", ", each)}");
        if (contextual.Any(c => c.Value >= 0.999999))
            return new(Verdict.NotSupported, Rule(t), t["context.judge.identical", numbers]);
        if (staticCosine >= 0.999999 && contextual.All(c => c.Value < 0.999))
            return new(Verdict.Supported, Rule(t), numbers);
        return new(Verdict.Inconclusive, Rule(t), t["context.judge.close", numbers]);
    }
}
