using SeqLab.Embeddings;
using SeqLab.Lab;
using SeqLab.Native;
using SeqLab.Text;
using SeqLab.Training;

namespace SeqLab.Cli.Commands;

/// <summary>`seqlab lab EXPERIMENT`: measure one of the lecture's claims.</summary>
public static class LabCommand
{
    public static readonly Option[] Options =
    [
        new("word", "WORD", "context: the word to follow across sentences; default banco"),
        new("sentence", "TEXT", "context: a sentence containing the word (repeat; default: a park and a money sentence)"),
        new("vectors", "FILE", "context: static word2vec vectors (`seqlab embed train`)"),
        new("data", "PATH", "context: without --vectors, train Word2Vec on this text first"),
        new("model", "DIR", "context: a trained rnn/lstm/gru/transformer checkpoint (repeat to compare several)"),
        new("top", "K", "context: static neighbours to show; default 5"),
        new("out", "DIR", "also write the numbers (JSON) into DIR"),
        new("json", null, "print one JSON document on stdout"),
        new("help", null, "show this help"),
    ];

    public const string Usage = "seqlab lab context [--word banco] [--sentence \"…\" …] (--vectors FILE | --data PATH) [--model DIR …] [--json] [--out DIR]";

    static readonly string[] Experiments = ["context"];

    public static int Run(Args a)
    {
        if (a.Positionals.Count != 1 || !Experiments.Contains(a.Positionals[0]))
            throw new SeqLabInputException($"`seqlab lab` needs one experiment: {string.Join(", ", Experiments)}; see `seqlab lab --help`.");
        return Context(a);
    }

    static int Context(Args a)
    {
        var sentences = a.All("sentence").Count > 0 ? a.All("sentence").ToList() : ContextProbe.DefaultSentences.ToList();
        WordVectors vectors;
        if (a.String("vectors") is { } path) vectors = WordVectors.Load(path);
        else if (a.String("data") is { } data)
        {
            var tokenizer = new WordTokenizer();
            var w2v = new Word2Vec(new Word2Vec.Options { MinCount = 2 });
            vectors = ProgressView.Embedding(w2v, () => w2v.Train(TextSource.ReadLines(data).Select(l => tokenizer.Tokenize(l.Text)).Where(s => s.Count > 0).ToList())).Vectors;
        }
        else throw new SeqLabInputException("`seqlab lab context` needs static vectors: --vectors FILE (from `seqlab embed train`) or --data PATH to train them now.");
        if (a.All("model").Count > 0) TorchRuntime.EnsureLoaded();
        var models = a.All("model").Select(dir => Checkpoint.Load(dir)).ToList();
        var r = ContextProbe.Run(a.String("word") ?? ContextProbe.DefaultWord, sentences, vectors, models, a.Int("top", 1, 1000) ?? 5);

        var json = new
        {
            word = r.Word, sentences = r.Sentences,
            @static = new { similarity = r.Static.Mean, matrix = r.Static.Similarities, neighbors = r.StaticNeighbors.Select(n => new { word = n.Word, similarity = n.Similarity }),
                sentence_neighbors = r.SentenceNeighbors.Select(ns => ns.Select(n => new { word = n.Word, similarity = n.Similarity })) },
            contextual = r.Contextual.Select(m => new { name = m.Name, family = m.Kind, similarity = m.Mean, matrix = m.Similarities }),
        };
        if (a.String("out") is { } outDir)
        {
            Directory.CreateDirectory(outDir);
            AtomicFile.WriteAllText(Path.Combine(outDir, "context.json"), System.Text.Json.JsonSerializer.Serialize(json, SeqLab.Json.Options));
        }
        if (a.Flag("json")) { Output.Json(json); return 0; }

        Console.WriteLine($"'{r.Word}' across {r.Sentences.Count} sentences:");
        for (int i = 0; i < r.Sentences.Count; i++)
            Console.WriteLine($"  {i + 1}. {r.Sentences[i]}\n     static neighbours of the sentence: {string.Join(", ", r.SentenceNeighbors[i].Select(n => n.Word))}");
        Console.WriteLine($"\n  {"model",-40} mean cosine of '{r.Word}' between sentences");
        Console.WriteLine($"  {"word2vec (static)",-40} {r.Static.Mean:F6}");
        foreach (var m in r.Contextual) Console.WriteLine($"  {m.Name,-40} {m.Mean:F6}");
        Console.WriteLine($"\n  static neighbours of '{r.Word}' (the same in every sentence): {string.Join(", ", r.StaticNeighbors.Select(n => n.Word))}");
        return 0;
    }
}
