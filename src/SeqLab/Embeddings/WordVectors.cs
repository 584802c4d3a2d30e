using SeqLab.IO;

namespace SeqLab.Embeddings;

/// <summary>
/// Static word vectors — one vector per word, whatever the sentence — with the classic queries
/// (nearest neighbours by cosine, analogies a − b + c, similarity). Files: <see cref="VectorFile"/>.
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

    public ReadOnlySpan<float> this[string word] => Row(Require(word));

    /// <summary>The vector of the <paramref name="r"/>-th word (file order).</summary>
    public ReadOnlySpan<float> Row(int r) => data.AsSpan(r * Dim, Dim);

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

    /// <summary>Writes the vectors atomically: word2vec text (as gensim writes it), binary (a .bin unless asked
    /// otherwise) or GloVe text.</summary>
    public void Save(string path, VectorFormat? format = null) =>
        VectorFile.Write(this, path, format ?? VectorFile.ForPath(path));

    /// <summary>Reads word2vec text or binary, or GloVe text (recognised from the file's bytes).</summary>
    public static WordVectors Load(string path) => VectorFile.Read(path);
}
