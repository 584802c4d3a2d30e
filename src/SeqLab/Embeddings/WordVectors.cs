using System.Globalization;
using System.Text;
using SeqLab.IO;

namespace SeqLab.Embeddings;

/// <summary>
/// Static word vectors — one vector per word, whatever the sentence — with the classic queries
/// (nearest neighbours by cosine, analogies a − b + c, similarity) and the word2vec text format as
/// gensim reads and writes it: a "count dim" header, then one "word v1 … vd" line per word.
/// </summary>
public sealed class WordVectors
{
    readonly string[] words;
    readonly float[] data; // (count, dim), row-major
    readonly Dictionary<string, int> index;
    float[]? unit; // rows scaled to length 1, for cosine queries

    public int Dim { get; }
    public int Count => words.Length;
    public IReadOnlyList<string> Words => words;

    public WordVectors(string[] words, float[] data, int dim)
    {
        if (data.LongLength != (long)words.Length * dim)
            throw new ArgumentException("data must hold count × dim values");
        (this.words, this.data, Dim) = (words, data, dim);
        index = new Dictionary<string, int>(words.Length, StringComparer.Ordinal);
        for (int i = 0; i < words.Length; i++)
            index.TryAdd(words[i], i);
    }

    public bool Contains(string word) => index.ContainsKey(word);

    public ReadOnlySpan<float> this[string word] => data.AsSpan(Require(word) * Dim, Dim);

    int Require(string word) =>
        index.TryGetValue(word, out var i)
            ? i
            : throw new SeqLabInputException(
                $"'{word}' is not in the vectors' vocabulary ({Count:N0} words); check the spelling (vectors are "
                    + $"usually lowercased) or train with a lower --min-count."
            );

    float[] Unit()
    {
        if (unit is not null)
            return unit;
        var u = new float[data.Length];
        for (int r = 0; r < Count; r++)
        {
            var row = data.AsSpan(r * Dim, Dim);
            double norm = 0;
            foreach (var x in row)
                norm += x * x;
            float scale = norm > 0 ? (float)(1 / Math.Sqrt(norm)) : 0;
            for (int j = 0; j < Dim; j++)
                u[r * Dim + j] = row[j] * scale;
        }
        return unit = u;
    }

    public double Similarity(string a, string b) => Cosine(this[a], this[b]);

    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0,
            na = 0,
            nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }

    public sealed record Neighbor(string Word, double Similarity);

    /// <summary>The words whose vectors are closest to <paramref name="word"/>'s by cosine.</summary>
    public IReadOnlyList<Neighbor> Neighbors(string word, int top = 10) =>
        Nearest(this[word].ToArray(), top, [Require(word)]);

    /// <summary>a − b + c (rey − hombre + mujer ≈ reina), as gensim's most_similar(positive=[a, c], negative=[b]): unit
    /// vectors combined, inputs excluded.</summary>
    public IReadOnlyList<Neighbor> Analogy(string a, string b, string c, int top = 5)
    {
        var u = Unit();
        int ia = Require(a),
            ib = Require(b),
            ic = Require(c);
        var query = new float[Dim];
        for (int j = 0; j < Dim; j++)
            query[j] = u[ia * Dim + j] - u[ib * Dim + j] + u[ic * Dim + j];
        return Nearest(query, top, [ia, ib, ic]);
    }

    /// <summary>The nearest words to any vector of this space (e.g. a sentence's mean vector).</summary>
    public IReadOnlyList<Neighbor> Nearest(float[] query, int top, IReadOnlyCollection<int>? exclude = null)
    {
        if (top < 1)
            throw new SeqLabInputException($"--top must be at least 1 (got {top}).");
        var u = Unit();
        double qn = Math.Sqrt(query.Sum(x => (double)x * x));
        var scores = new List<(int Index, double Score)>(Count);
        for (int r = 0; r < Count; r++)
        {
            if (exclude?.Contains(r) == true)
                continue;
            double dot = 0;
            for (int j = 0; j < Dim; j++)
                dot += u[r * Dim + j] * query[j];
            scores.Add((r, qn == 0 ? 0 : dot / qn));
        }
        return scores
            .OrderByDescending(s => s.Score)
            .Take(top)
            .Select(s => new Neighbor(words[s.Index], s.Score))
            .ToList();
    }

    /// <summary>Writes the word2vec text format exactly as gensim does (shortest round-trip floats),
    /// atomically.</summary>
    public void Save(string path) =>
        AtomicFile.Write(
            path,
            stream =>
            {
                using var w = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true)
                {
                    NewLine = "\n",
                };
                w.WriteLine($"{Count} {Dim}");
                for (int r = 0; r < Count; r++)
                {
                    w.Write(words[r]);
                    for (int j = 0; j < Dim; j++)
                    {
                        w.Write(' ');
                        w.Write(data[r * Dim + j].ToString("R", CultureInfo.InvariantCulture));
                    }
                    w.WriteLine();
                }
            }
        );

    /// <summary>Reads the word2vec text format (gensim's or word2vec.c's); every malformed line is reported by
    /// number.</summary>
    public static WordVectors Load(string path)
    {
        if (Directory.Exists(path))
            throw new SeqLabInputException(
                $"{path} is a folder; --vectors needs a word2vec text file (from `seqlab embed train` or gensim's "
                    + $"save_word2vec_format)."
            );
        if (!File.Exists(path))
            throw new SeqLabInputException($"{path} does not exist; check --vectors.");
        using var reader = new StreamReader(path, new UTF8Encoding(false, throwOnInvalidBytes: true));
        int lineNo = 0;
        string? Next()
        {
            try
            {
                lineNo++;
                return reader.ReadLine();
            }
            catch (DecoderFallbackException)
            {
                throw new SeqLabInputException(
                    $"{path}:{lineNo}: not valid UTF-8; word2vec text files are UTF-8 (binary .bin files are not "
                        + $"supported)."
                );
            }
        }
        var header = Next()?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (
            header is not { Length: 2 }
            || !int.TryParse(header[0], NumberStyles.None, CultureInfo.InvariantCulture, out int count)
            || !int.TryParse(header[1], NumberStyles.None, CultureInfo.InvariantCulture, out int dim)
            || dim < 1
        )
            throw new SeqLabInputException(
                $"{path}:1: expected the header \"<count> <dim>\" (two whole numbers), as word2vec text files start."
            );
        var words = new string[count];
        var data = new float[(long)count * dim];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int r = 0; r < count; r++)
        {
            var line =
                Next()
                ?? throw new SeqLabInputException(
                    $"{path}:{lineNo}: the file ends after {r} vectors but the header promises {count}; the file is "
                        + $"truncated or the header count is wrong."
                );
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != dim + 1)
                throw new SeqLabInputException(
                    $"{path}:{lineNo}: {fields.Length - 1} values for '{(fields.Length > 0 ? fields[0] : "")}', "
                        + $"expected {dim} (the header's dimension)."
                );
            if (!seen.Add(fields[0]))
                throw new SeqLabInputException(
                    $"{path}:{lineNo}: '{fields[0]}' appears twice; each word needs one vector."
                );
            words[r] = fields[0];
            for (int j = 0; j < dim; j++)
                if (
                    !float.TryParse(
                        fields[j + 1],
                        NumberStyles.Float,
                        CultureInfo.InvariantCulture,
                        out data[(long)r * dim + j]
                    ) || !float.IsFinite(data[(long)r * dim + j])
                )
                    throw new SeqLabInputException(
                        $"{path}:{lineNo}: value {j + 1} of '{fields[0]}' is '{fields[j + 1]}', not a finite number."
                    );
        }
        while (Next() is { } extra)
            if (!string.IsNullOrWhiteSpace(extra))
                throw new SeqLabInputException(
                    $"{path}:{lineNo}: more vectors than the header's {count}; fix the header count."
                );
        return new WordVectors(words, data, dim);
    }
}
