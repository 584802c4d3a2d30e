using System.Text;

namespace SeqLab.Data;

/// <summary>
/// Reads user text strictly: a UTF-8 file or a folder of .txt files, one string per line. Every
/// problem (missing path, empty or binary file, invalid UTF-8, absurdly long line) is reported with
/// the file and line, before any training starts.
/// </summary>
public static class TextSource
{
    /// <summary>Longer lines are almost always a binary or mis-encoded file, and would exhaust memory when
    /// tokenized.</summary>
    public const int MaxLineChars = 10_000_000;

    public record Line(string File, int Number, string Text);

    /// <summary>
    /// The .txt files a path stands for: the file itself, or the folder's .txt files in name order (subfolders too,
    /// but never through a symbolic link, which could loop; files that report no size, such as FIFOs, are skipped).
    /// </summary>
    public static IReadOnlyList<string> Files(string path)
    {
        if (File.Exists(path))
            return [path];
        if (Directory.Exists(path))
        {
            var files = TextFiles(path).Where(f => new FileInfo(f).Length > 0).Order(StringComparer.Ordinal).ToList();
            if (files.Count == 0)
                throw new SeqLabInputException(
                    $"{path} is a folder with no .txt files; point --data at a UTF-8 text file or a folder of .txt "
                        + $"files."
                );
            return files;
        }
        throw new SeqLabInputException(
            $"{path} does not exist; check the path given to --data/--valid{CorpusHint(path)}."
        );
    }

    /// <summary>The SHA-256 of every file behind <paramref name="path"/>, in order: the data's identity.</summary>
    public static string Fingerprint(string path)
    {
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(
            System.Security.Cryptography.HashAlgorithmName.SHA256
        );
        foreach (var f in Files(path))
            sha.AppendData(File.ReadAllBytes(f));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    static IEnumerable<string> TextFiles(string dir)
    {
        foreach (var f in Directory.EnumerateFiles(dir, "*.txt"))
            yield return f;
        foreach (var d in Directory.EnumerateDirectories(dir))
            if (!new DirectoryInfo(d).Attributes.HasFlag(FileAttributes.ReparsePoint))
                foreach (var f in TextFiles(d))
                    yield return f;
    }

    /// <summary>All lines of every file behind <paramref name="path"/>; fails if none of them holds any text.</summary>
    public static List<Line> ReadLines(string path)
    {
        var lines = new List<Line>();
        foreach (var file in Files(path))
            lines.AddRange(ReadFile(file));
        if (lines.All(l => string.IsNullOrWhiteSpace(l.Text)))
            throw new SeqLabInputException(
                $"{path} contains no text; give a UTF-8 text file with at least one non-empty line."
            );
        return lines;
    }

    static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static IEnumerable<Line> ReadFile(string file)
    {
        // A device, FIFO or /proc file reports no size, and reading it may never end (/dev/zero) or wait forever
        // (a FIFO): only regular files, which know their size, are read.
        if (new FileInfo(file).Length == 0)
            throw new SeqLabInputException(
                $"{file} is empty or not a regular file (a device, FIFO or /proc file); give a UTF-8 text file."
            );
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SeqLabInputException($"{file} cannot be read ({e.Message}); check its permissions.");
        }

        if (Array.IndexOf(bytes, (byte)0) >= 0)
            throw new SeqLabInputException(
                $"{file} looks like a binary file (it contains NUL bytes); give a UTF-8 text file."
            );

        int start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        var result = new List<Line>();
        int number = 1;
        while (start <= bytes.Length)
        {
            int end = Array.IndexOf(bytes, (byte)'\n', start);
            if (end < 0)
                end = bytes.Length;
            int length = end - start;
            if (length > 0 && bytes[start + length - 1] == (byte)'\r')
                length--;
            if (length > MaxLineChars * 4L)
                throw new SeqLabInputException(
                    $"{file}:{number}: the line is longer than {MaxLineChars:N0} characters; split the text into "
                        + $"lines (a binary file?)."
                );
            string text;
            try
            {
                text = Strict.GetString(bytes, start, length);
            }
            catch (DecoderFallbackException)
            {
                throw new SeqLabInputException(
                    $"{file}:{number}: invalid UTF-8; re-save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)."
                );
            }
            if (text.Length > MaxLineChars)
                throw new SeqLabInputException(
                    $"{file}:{number}: the line is longer than {MaxLineChars:N0} characters; split the text into lines."
                );
            if (end < bytes.Length || length > 0)
                result.Add(new Line(file, number, text));
            number++;
            start = end + 1;
        }
        return result;
    }

    /// <summary>The README's examples read data/es/…: say how to get it when it is missing.</summary>
    internal static string CorpusHint(string path) =>
        path.Replace('\\', '/').Contains("data/es/", StringComparison.Ordinal)
            ? " (the Spanish corpus of the examples: run scripts/get-spanish-corpus.sh first)"
            : "";
}
