using SeqLab.Embeddings;
using SeqLab.IO;

namespace SeqLab.Cli.Commands;

/// <summary>`seqlab embed train|neighbors|analogy|similarity|convert`: static word vectors (Word2Vec), their
/// queries, and the files they come in.</summary>
public static class EmbedCommand
{
    static readonly Word2Vec.Options Defaults = new();

    public static readonly Option[] Options =
    [
        new("data", "PATH", "train: a UTF-8 text file or folder of .txt (one sentence or paragraph per line)"),
        new("out", "FILE", "train/convert: where to write the vectors"),
        new(
            "format",
            "F",
            "train/convert: text (word2vec text, as gensim writes it), binary (word2vec .bin) or glove (text, no "
                + "header); default: binary for a .bin --out, else text"
        ),
        new(
            "vectors",
            "FILE",
            "neighbors/analogy/similarity/convert: word vectors in word2vec text or binary, or GloVe text (recognised "
                + "from the file)"
        ),
        new("word", "WORD", "neighbors: the word to look up (or give it after `neighbors`)"),
        new("top", "K", "how many answers; default 10 (neighbors), 5 (analogy)"),
        new("dim", "N", "train: vector size", Defaults.Dim),
        new("window", "N", "train: context words on each side (a size in 1…N is drawn per word)", Defaults.Window),
        new("negative", "N", "train: noise words per positive pair", Defaults.Negative),
        new("min-count", "N", "train: ignore words seen fewer times", Defaults.MinCount),
        new("epochs", "N", "train: passes over the text", Defaults.Epochs),
        new("sg", null, "train: skip-gram (default)"),
        new("cbow", null, "train: continuous bag of words instead of skip-gram"),
        new("sample", "T", "train: subsampling threshold for frequent words (0 = off)", Defaults.Sample),
        new("alpha", "RATE", "train: starting learning rate (decays linearly); default 0.025 (sg), 0.05 (cbow)"),
        new("max-vocab", "N", "train: keep at most the N most frequent words", Defaults.MaxVocab),
        new("threads", "N", "train: worker threads (1 = reproducible); default: all cores"),
        new("seed", "S", "train: random seed", Defaults.Seed),
        new("force", null, "train/convert: overwrite --out if it exists"),
        new("json", null, "print one JSON document on stdout"),
        new("help", null, "show this help"),
    ];

    public const string Usage =
        "seqlab embed train --data PATH --out vectors.txt [--dim 100 --window 5 --negative 5 --min-count 5 --epochs "
        + "5 --sg|--cbow]\n"
        + "       seqlab embed neighbors --vectors FILE --word banco [--top 10]\n"
        + "       seqlab embed analogy --vectors FILE rey hombre mujer [--top 5]     # rey − hombre + mujer\n"
        + "       seqlab embed similarity --vectors FILE perro gato\n"
        + "       seqlab embed convert --vectors FILE --out vectors.bin [--format text|binary|glove]";

    static readonly string[] Subcommands = ["train", "neighbors", "analogy", "similarity", "convert"];

    public static int Run(Args a)
    {
        var p = a.Positionals;
        if (p.Count == 0 || !Subcommands.Contains(p[0]))
            throw new SeqLabInputException(
                $"`seqlab embed` needs one of: {string.Join(", ", Subcommands)} (e.g. `seqlab embed neighbors "
                    + $"--vectors v.txt --word banco`); see `seqlab embed --help`."
            );
        var words = p.Skip(1).Select(w => w.ToLowerInvariant()).ToList();
        switch (p[0])
        {
            case "train":
                Expect(words, 0, "train");
                return Train(a);
            case "convert":
                Expect(words, 0, "convert");
                return Convert(a);
            case "neighbors":
            {
                var word =
                    a.String("word")?.ToLowerInvariant()
                    ?? (words.Count == 1 ? words[0] : null)
                    ?? throw new SeqLabInputException("`seqlab embed neighbors` needs the word: --word banco.");
                if (a.Has("word"))
                    Expect(words, 0, "neighbors --word");
                var result = Load(a).Neighbors(word, a.Int("top", 1, 100_000) ?? 10);
                if (a.Flag("json"))
                    Output.Json(
                        new { word, neighbors = result.Select(n => new { word = n.Word, similarity = n.Similarity }) }
                    );
                else
                    foreach (var n in result)
                        Console.WriteLine($"{n.Similarity, 8:F4}  {n.Word}");
                return 0;
            }
            case "analogy":
            {
                Expect(words, 3, "analogy");
                var result = Load(a).Analogy(words[0], words[1], words[2], a.Int("top", 1, 100_000) ?? 5);
                if (a.Flag("json"))
                    Output.Json(
                        new
                        {
                            query = words,
                            answers = result.Select(n => new { word = n.Word, similarity = n.Similarity }),
                        }
                    );
                else
                {
                    Console.WriteLine($"{words[0]} − {words[1]} + {words[2]} ≈");
                    foreach (var n in result)
                        Console.WriteLine($"{n.Similarity, 8:F4}  {n.Word}");
                }
                return 0;
            }
            default:
            {
                Expect(words, 2, "similarity");
                double s = Load(a).Similarity(words[0], words[1]);
                if (a.Flag("json"))
                    Output.Json(new { words, similarity = s });
                else
                    Console.WriteLine($"{s:F4}");
                return 0;
            }
        }
    }

    static void Expect(List<string> words, int n, string what)
    {
        if (words.Count != n)
            throw new SeqLabInputException(
                n == 0
                    ? $"unexpected argument '{words[0]}' for `seqlab embed {what}`; see `seqlab embed --help`."
                    : $"`seqlab embed {what}` needs {n} words (got {words.Count}), e.g. "
                        + $"{(n == 3 ? "rey hombre mujer" : "perro gato")}."
            );
    }

    static WordVectors Load(Args a) => WordVectors.Load(a.Required("vectors"));

    /// <summary>--out, checked before any work: a file SeqLab may write (not a folder, not an existing file
    /// without --force).</summary>
    static string OutPath(Args a)
    {
        var outPath = a.Required("out");
        if (Directory.Exists(outPath))
            throw new SeqLabInputException(
                $"{outPath} is a folder; --out needs a file name such as {Path.Combine(outPath, "vectors.txt")}."
            );
        if (File.Exists(outPath) && !a.Flag("force"))
            throw new SeqLabInputException(
                $"{outPath} already exists; choose another --out or add --force to replace it."
            );
        return outPath;
    }

    static VectorFormat Format(Args a, string outPath) =>
        a.String("format") is { } f ? Spelling.Parse<VectorFormat>("--format", f) : VectorFile.ForPath(outPath);

    static int Convert(Args a)
    {
        string outPath = OutPath(a);
        var format = Format(a, outPath);
        var vectors = Load(a);
        vectors.Save(outPath, format);
        Output.Info($"seqlab: {vectors.Count:N0} vectors (dim {vectors.Dim}) written to {outPath} as {format.Name()}");
        if (a.Flag("json"))
            Output.Json(
                new
                {
                    out_path = outPath,
                    format = format.Name(),
                    vectors = vectors.Count,
                    dim = vectors.Dim,
                }
            );
        return 0;
    }

    static int Train(Args a)
    {
        string data = a.Required("data"),
            outPath = OutPath(a);
        var format = Format(a, outPath);
        if (a.Flag("sg") && a.Flag("cbow"))
            throw new SeqLabInputException("--sg and --cbow exclude each other; choose one.");
        var options = new Word2Vec.Options
        {
            Dim = a.Int("dim", 1, 10_000)!.Value,
            Window = a.Int("window", 1, 1000)!.Value,
            Negative = a.Int("negative", 1, 1000)!.Value,
            MinCount = a.Int("min-count", 1)!.Value,
            Epochs = a.Int("epochs", 1, 10_000)!.Value,
            SkipGram = !a.Flag("cbow"),
            Sample = a.Double("sample", 0, 1)!.Value,
            Alpha = a.Double("alpha", double.Epsilon, 1),
            MaxVocab = a.Int("max-vocab", 2)!.Value,
            Threads = a.Int("threads", 1, 1024) ?? Defaults.Threads,
            Seed = a.Int("seed")!.Value,
        };
        options.Validate();
        var sentences = Word2Vec.Sentences(data);
        var w2v = new Word2Vec(options);
        var (vectors, summary) = ProgressView.Embedding(w2v, () => w2v.Train(sentences));
        vectors.Save(outPath, format);
        Output.Info(
            $"seqlab: {(options.SkipGram ? "skip-gram" : "CBOW")} vectors for {summary.Vocabulary:N0} words (dim "
                + $"{options.Dim}) from {summary.CorpusWords:N0} words × {options.Epochs} epochs "
                + $"in {summary.Seconds:F1} s ({summary.WordsPerSecond:N0} words/s, {options.Threads} threads); "
                + $"written to {outPath}"
        );
        if (a.Flag("json"))
            Output.Json(
                new
                {
                    out_path = outPath,
                    vocabulary = summary.Vocabulary,
                    corpus_words = summary.CorpusWords,
                    epochs = options.Epochs,
                    seconds = summary.Seconds,
                    words_per_s = summary.WordsPerSecond,
                    dim = options.Dim,
                    skip_gram = options.SkipGram,
                }
            );
        return 0;
    }
}
