using SeqLab.Embeddings;
using SeqLab.Figures;
using SeqLab.Inference;
using SeqLab.IO;
using SeqLab.Lab.Report;
using SeqLab.Text;
using SeqLab.Training;

namespace SeqLab.Lab;

/// <summary>
/// The lecture's first point, measured: a static embedding gives a word one vector whatever the
/// sentence, so "banco" in a park and "banco" in a money sentence have cosine similarity exactly 1;
/// a contextual model (RNN, LSTM, GRU, Transformer) gives it a vector that depends on its neighbours,
/// so the similarity falls below 1.
/// </summary>
public static class ContextProbe
{
    /// <summary>
    /// Word2Vec for the probe's static side when only a text is given: the defaults, keeping words seen twice
    /// (a probe sentence's words are often rare in a small text).
    /// </summary>
    public static Word2Vec.Options StaticVectorOptions => new() { MinCount = 2 };

    public const string DefaultWord = "banco";
    public static readonly string[] DefaultSentences =
    [
        "Me senté en el banco del parque a leer un libro.",
        "Fui al banco a sacar dinero de mi cuenta.",
    ];

    /// <param name="Similarities">cosine between the word's vectors in sentence i and sentence j.</param>
    /// <param name="Mean">mean over the pairs i &lt; j.</param>
    public sealed record Row(string Name, string Kind, double[][] Similarities, double Mean);

    public sealed record Result(
        string Word,
        IReadOnlyList<string> Sentences,
        Row Static,
        IReadOnlyList<Row> Contextual,
        IReadOnlyList<WordVectors.Neighbor> StaticNeighbors,
        IReadOnlyList<IReadOnlyList<WordVectors.Neighbor>> SentenceNeighbors
    );

    public static Result Run(
        string word,
        IReadOnlyList<string> sentences,
        WordVectors vectors,
        IReadOnlyList<LoadedModel> models,
        int top = 5
    )
    {
        if (sentences.Count < 2)
            throw new SeqLabInputException($"give at least two sentences containing '{word}' (got {sentences.Count}).");
        var tokenizer = new WordTokenizer(lowercase: true);
        word = tokenizer.Tokenize(word) is [var single]
            ? single
            : throw new SeqLabInputException(
                $"'{word}' is not a single word; the probe compares one word across sentences."
            );
        var tokenized = sentences
            .Select(
                (s, i) =>
                {
                    var tokens = tokenizer.Tokenize(s);
                    if (!tokens.Contains(word))
                        throw new SeqLabInputException(
                            $"sentence {i + 1} (\"{s}\") does not contain '{word}'; every sentence must use the word."
                        );
                    return tokens;
                }
            )
            .ToList();

        // Static: the same lookup in every sentence.
        var staticVectors = tokenized.Select(_ => vectors[word].ToArray()).ToList();
        var staticRow = Compare("word2vec", "static", staticVectors);
        var sentenceNeighbors = tokenized
            .Select(tokens =>
            {
                // What the sentence is about, in the static space: the mean of its other words' vectors.
                var others = tokens.Where(t => t != word && vectors.Contains(t) && t.Any(char.IsLetter)).ToList();
                var mean = new float[vectors.Dim];
                foreach (var t in others)
                {
                    var v = vectors[t];
                    for (int j = 0; j < mean.Length; j++)
                        mean[j] += v[j] / others.Count;
                }
                return others.Count == 0 ? [] : vectors.Nearest(mean, top);
            })
            .ToList();

        var contextual = models
            .Select(m =>
            {
                if (m.Config.Tokenizer == TokenizerKind.Char)
                    throw new SeqLabInputException(
                        $"{m.Directory} reads characters; the probe compares a word's vectors, so it needs a word or "
                            + "subword (bpe) model."
                    );
                if (m.Config.Tokenizer == TokenizerKind.Word && !m.Vocabulary.Contains(word))
                    throw new SeqLabInputException(
                        $"{m.Directory} does not know '{word}' (it is not in its vocabulary), so every sentence "
                            + $"would give it the <unk> vector; choose another word or model."
                    );
                var perSentence = sentences
                    .Select(s =>
                    {
                        // A subword model's word vector is the mean of its pieces' states.
                        var tv = ContextualVectors.Words(m, s);
                        return tv.FirstOrDefault(t =>
                                string.Equals(t.Token, word, StringComparison.OrdinalIgnoreCase)
                            )?.Vector
                            ?? throw new SeqLabInputException(
                                $"'{word}' is not a word of \"{s}\"; every sentence must contain it."
                            );
                    })
                    .ToList();
                return Compare(
                    $"{m.Config.Family.Name()} {m.Config.Task.Name()} "
                        + $"({Path.GetFileName(Path.TrimEndingDirectorySeparator(m.Directory))})",
                    m.Config.Family.Name(),
                    perSentence
                );
            })
            .ToList();
        return new Result(word, sentences, staticRow, contextual, vectors.Neighbors(word, top), sentenceNeighbors);
    }

    static Row Compare(string name, string kind, IReadOnlyList<float[]> v)
    {
        int n = v.Count;
        var sims = new double[n][];
        var pairs = new List<double>();
        for (int i = 0; i < n; i++)
        {
            sims[i] = new double[n];
            for (int j = 0; j < n; j++)
            {
                sims[i][j] = WordVectors.Cosine(v[i], v[j]);
                if (i < j)
                    pairs.Add(sims[i][j]);
            }
        }
        return new Row(name, kind, sims, pairs.Average());
    }

    /// <summary>One bar per kind of vector, static first: its name and the word's mean cosine between the
    /// sentences.</summary>
    public static IReadOnlyList<(string Name, double Cosine)> Bars(Result r, Texts? t = null) =>
        [((t ?? Texts.English)["context.static"], r.Static.Mean), .. r.Contextual.Select(c => (c.Name, c.Mean))];

    /// <summary>
    /// The bars as a figure (PNG and SVG; the static bar highlighted): 1 − cosine, how far apart the word's vectors
    /// are (0: one vector), each bar labelled with its value, since the cosines all lie near 1. Returns the PNG's path.
    /// </summary>
    public static string Figure(Result r, string pathWithoutExtension, Texts? t = null)
    {
        t ??= Texts.English;
        using var numbers = t.Numbers();
        var bars = Bars(r, t);
        bool lecture = r.Sentences.SequenceEqual(DefaultSentences);
        return Plots.Bars(
            pathWithoutExtension,
            t[lecture ? "context.plot.title" : "context.plot.title-any", r.Word],
            t["context.plot.y"],
            bars.Select(b => b.Name).ToList(),
            bars.Select(b => Math.Max(0, 1 - b.Cosine)).ToList(),
            highlight: 0,
            valueFormat: "0.000"
        );
    }
}
