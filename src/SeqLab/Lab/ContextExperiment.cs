using SeqLab.Embeddings;
using SeqLab.Reports;
using SeqLab.Text;

namespace SeqLab.Lab;

/// <summary>The "banco" probe inside the lab: Word2Vec and the corpus language models, on the same real text.</summary>
public static class ContextExperiment
{
    public static LabResult Run(LabSession s)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        const string title = "Static versus contextual vectors";
        const string claim = "Static embeddings such as Word2Vec give \"banco\" the same vector in every sentence; recurrent networks and Transformers give each occurrence a vector that depends on its context.";
        var (corpus, problem) = Corpus.Resolve(s);
        if (corpus is null) return new LabResult("context", title, claim, "", [], [], new { skipped = problem }, clock.Elapsed.TotalSeconds, problem);

        s.Log("context: Word2Vec");
        var sentences = Word2Vec.Sentences(corpus.Train);
        var w2v = new Word2Vec(new Word2Vec.Options { MinCount = s.Pick(1, 2, 2), Epochs = s.Pick(1, 10, 20), Threads = s.Threads, Seed = s.Seed });
        var (vectors, summary) = w2v.Train(sentences);
        vectors.Save(Path.Combine(s.OutDir, "models", "word2vec.txt"));
        var models = EffectiveContextExperiment.Families.Select(f => EffectiveContextExperiment.Train(s, f, corpus)).ToList();
        ContextProbe.Result r;
        try { r = ContextProbe.Run(ContextProbe.DefaultWord, ContextProbe.DefaultSentences, vectors, models); }
        catch (SeqLabInputException e)
        {
            return new LabResult("context", title, claim, "", [], [], new { skipped = e.Message }, clock.Elapsed.TotalSeconds, $"{e.Message} (use `seqlab lab context --sentence …` with a word your corpus has)");
        }
        var names = new[] { "word2vec (static)" }.Concat(r.Contextual.Select(c => c.Name)).ToList();
        var values = new[] { r.Static.Mean }.Concat(r.Contextual.Select(c => c.Mean)).ToList();
        var plot = Plots.Bars(s.PlotPath("context-banco"), $"Cosine of \"{r.Word}\" between the park and the money sentence", "cosine similarity", names, values, highlight: 0);
        var table = new List<string[]> { new[] { "model", $"cosine of '{r.Word}' across sentences" } };
        table.AddRange(names.Zip(values).Select(p => new[] { p.First, p.Second.ToString("F6") }));
        var finding = $"Static: exactly {r.Static.Mean:F6} — one vector per word. " + string.Join(", ", r.Contextual.Select(c => $"{c.Name}: {c.Mean:F4}")) +
            $" — each occurrence gets its own vector. Word2Vec ({summary.Vocabulary:N0} words, {summary.WordsPerSecond:N0} words/s) puts '{r.Word}' near " +
            string.Join(", ", r.StaticNeighbors.Select(n => n.Word)) + ", whichever sentence it is in.";
        return new LabResult("context", title, claim, finding, [plot], table,
            new { word = r.Word, sentences = r.Sentences, @static = r.Static.Mean, contextual = r.Contextual.ToDictionary(c => c.Name, c => c.Mean),
                  static_neighbors = r.StaticNeighbors.Select(n => n.Word) }, clock.Elapsed.TotalSeconds);
    }
}
