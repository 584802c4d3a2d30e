using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using SeqLab.IO;

namespace SeqLab.Embeddings;

/// <summary>
/// Reads and writes word vectors in the formats people already have: word2vec text, word2vec binary and
/// GloVe text. A file's format is recognised from its bytes (a header or not; text or raw floats after the
/// first word), so a .bin from word2vec.c, gensim's files and GloVe's downloads all load the same way.
/// Every malformed record is reported by line (text) or record (binary).
/// </summary>
public static class VectorFile
{
    /// <summary>The format to write <paramref name="path"/> in when none is asked for: binary for .bin, else
    /// text.</summary>
    public static VectorFormat ForPath(string path) =>
        Path.GetExtension(path).Equals(".bin", StringComparison.OrdinalIgnoreCase)
            ? VectorFormat.Binary
            : VectorFormat.Text;

    public static void Write(WordVectors v, string path, VectorFormat format) =>
        AtomicFile.Write(
            path,
            stream =>
            {
                if (format != VectorFormat.Glove)
                    stream.Write(Encoding.UTF8.GetBytes($"{v.Count} {v.Dim}\n"));
                if (format == VectorFormat.Binary)
                    WriteBinary(v, stream);
                else
                    WriteText(v, stream);
            }
        );

    /// <summary>gensim's binary layout: "word " then the floats, no separator between records.</summary>
    static void WriteBinary(WordVectors v, Stream stream)
    {
        var floats = new byte[v.Dim * 4];
        for (int r = 0; r < v.Count; r++)
        {
            stream.Write(Encoding.UTF8.GetBytes(v.Words[r] + " "));
            var row = v.Row(r);
            for (int j = 0; j < v.Dim; j++)
                BinaryPrimitives.WriteSingleLittleEndian(floats.AsSpan(j * 4), row[j]);
            stream.Write(floats);
        }
    }

    /// <summary>Shortest round-trip floats, as gensim writes them.</summary>
    static void WriteText(WordVectors v, Stream stream)
    {
        using var w = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        for (int r = 0; r < v.Count; r++)
        {
            w.Write(v.Words[r]);
            foreach (var x in v.Row(r))
            {
                w.Write(' ');
                w.Write(x.ToString("R", CultureInfo.InvariantCulture));
            }
            w.WriteLine();
        }
    }

    /// <summary>Reads a vectors file in whichever of the three formats it is.</summary>
    public static WordVectors Read(string path)
    {
        if (Directory.Exists(path))
            throw new SeqLabInputException(
                $"{path} is a folder; --vectors needs a word vectors file (word2vec text or binary, or GloVe text)."
            );
        if (!File.Exists(path))
            throw new SeqLabInputException($"{path} does not exist; check the vectors file's path.");
        return Detect(path) switch
        {
            VectorFormat.Binary => ReadBinary(path),
            var format => ReadText(path, format == VectorFormat.Text),
        };
    }

    /// <summary>
    /// A "count dim" first line means word2vec; then the bytes after the first word tell text (digits, signs,
    /// points, spaces) from binary (raw float32s, which almost never look like that). No header: GloVe.
    /// </summary>
    public static VectorFormat Detect(string path)
    {
        var head = new byte[1 << 16];
        int n;
        using (var f = File.OpenRead(path))
            n = f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var bytes = head.AsSpan(0, n);
        int eol = bytes.IndexOf((byte)'\n');
        if (eol < 0 || ParseHeader(Encoding.Latin1.GetString(bytes[..eol])) is not var (_, dim))
            return VectorFormat.Glove;
        var rest = bytes[(eol + 1)..];
        int space = rest.IndexOf((byte)' ');
        if (space < 0)
            return VectorFormat.Text;
        var values = rest[(space + 1)..];
        values = values[..Math.Min(values.Length, dim * 4)];
        int eolValues = values.IndexOf((byte)'\n');
        if (eolValues >= 0)
            values = values[..eolValues]; // text: the first line's numbers
        bool text = values.IndexOfAnyInRange((byte)'0', (byte)'9') >= 0;
        foreach (var b in values)
            text &= "0123456789+-.eE \t\rnaifNAIF"u8.Contains(b);
        return text ? VectorFormat.Text : VectorFormat.Binary;
    }

    static (int Count, int Dim)? ParseHeader(string line) =>
        line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var c, var d]
        && int.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out int count)
        && int.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out int dim)
        && dim >= 1
            ? (count, dim)
            : null;

    static WordVectors ReadText(string path, bool header)
    {
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
                    $"{path}:{lineNo}: not valid UTF-8; word vectors text files are UTF-8 (a word2vec .bin file is "
                        + $"read as binary when its first line is the \"<count> <dim>\" header)."
                );
            }
        }
        int count = -1,
            dim = -1;
        if (header)
            (count, dim) = ParseHeader(Next()!)!.Value;
        var words = new List<string>();
        var data = new List<float>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while ((count < 0 || words.Count < count) && Next() is { } line)
        {
            if (!header && string.IsNullOrWhiteSpace(line))
                continue;
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (dim < 0)
                dim = fields.Length - 1; // GloVe: the first line sets the dimension
            if (dim < 1)
                throw new SeqLabInputException(
                    $"{path}:{lineNo}: '{line.Trim()}' has no values; a vectors file starts with a \"<count> <dim>\" "
                        + $"header (word2vec) or a \"word v1 … vd\" line (GloVe)."
                );
            if (fields.Length != dim + 1)
                throw new SeqLabInputException(
                    $"{path}:{lineNo}: {fields.Length - 1} values for '{(fields.Length > 0 ? fields[0] : "")}', "
                        + $"expected {dim} ({(header ? "the header's dimension" : "as on the first line")})."
                );
            Add(path, $"{lineNo}", fields[0], seen, words);
            for (int j = 0; j < dim; j++)
                data.Add(Value(path, lineNo, fields[0], j, fields[j + 1]));
        }
        if (header && words.Count < count)
            throw new SeqLabInputException(
                $"{path}:{lineNo}: the file ends after {words.Count} vectors but the header promises {count}; the "
                    + $"file is truncated or the header count is wrong."
            );
        while (header && Next() is { } extra)
            if (!string.IsNullOrWhiteSpace(extra))
                throw new SeqLabInputException(
                    $"{path}:{lineNo}: more vectors than the header's {count}; fix the header count."
                );
        if (words.Count == 0)
            throw new SeqLabInputException($"{path}: no vectors; a GloVe file has one \"word v1 … vd\" line per word.");
        return new WordVectors([.. words], [.. data], dim);
    }

    static float Value(string path, int line, string word, int j, string text) =>
        float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && float.IsFinite(x)
            ? x
            : throw new SeqLabInputException(
                $"{path}:{line}: value {j + 1} of '{word}' is '{text}', not a finite number."
            );

    static void Add(string path, string where, string word, HashSet<string> seen, List<string> words)
    {
        if (!seen.Add(word))
            throw new SeqLabInputException($"{path}:{where}: '{word}' appears twice; each word needs one vector.");
        words.Add(word);
    }

    /// <summary>word2vec.c ends each record with a newline, gensim does not: a word's leading newline is
    /// skipped.</summary>
    static WordVectors ReadBinary(string path)
    {
        using var stream = new BufferedStream(File.OpenRead(path), 1 << 16);
        var headerBytes = new List<byte>();
        for (int b; (b = stream.ReadByte()) != '\n'; )
            headerBytes.Add((byte)b);
        var (count, dim) = ParseHeader(Encoding.Latin1.GetString([.. headerBytes]))!.Value;
        var words = new List<string>(count);
        var data = new float[(long)count * dim];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        var word = new List<byte>();
        var floats = new byte[dim * 4];
        for (int r = 0; r < count; r++)
        {
            string Truncated() =>
                $"{path}: record {r + 1}: the file ends after {r} vectors but the header promises {count}; the file "
                + $"is truncated or the header count is wrong.";
            word.Clear();
            for (int b; (b = stream.ReadByte()) != ' '; )
            {
                if (b < 0)
                    throw new SeqLabInputException(Truncated());
                if (!(word.Count == 0 && b is '\n' or '\r'))
                    word.Add((byte)b);
                if (word.Count > 10_000)
                    throw new SeqLabInputException(
                        $"{path}: record {r + 1}: no space after the word within 10 000 bytes; this is not a word2vec "
                            + $"binary file (or its header's dimension is wrong)."
                    );
            }
            string text;
            try
            {
                text = strict.GetString([.. word]);
            }
            catch (DecoderFallbackException)
            {
                throw new SeqLabInputException(
                    $"{path}: record {r + 1}: the word is not valid UTF-8; the file is damaged or the header's "
                        + $"dimension ({dim}) is wrong."
                );
            }
            Add(path, $"record {r + 1}", text, seen, words);
            if (stream.ReadAtLeast(floats, floats.Length, throwOnEndOfStream: false) < floats.Length)
                throw new SeqLabInputException(Truncated());
            for (int j = 0; j < dim; j++)
            {
                float x = BinaryPrimitives.ReadSingleLittleEndian(floats.AsSpan(j * 4));
                if (!float.IsFinite(x))
                    throw new SeqLabInputException(
                        $"{path}: record {r + 1}: value {j + 1} of '{text}' is {x}, not a finite number."
                    );
                data[(long)r * dim + j] = x;
            }
        }
        for (int b; (b = stream.ReadByte()) >= 0; )
            if (b is not ('\n' or '\r'))
                throw new SeqLabInputException(
                    $"{path}: more data after the header's {count} vectors; fix the header count."
                );
        return new WordVectors([.. words], data, dim);
    }
}
