using System.Text;
using System.Text.RegularExpressions;

namespace SeqLab.Text;

/// <summary>
/// GPT-2's byte-level view of text, as Hugging Face's ByteLevel pre-tokenizer and decoder define it: text is split
/// into words (letters, numbers and punctuation runs, each with the space before it), and every UTF-8 byte is shown
/// as one printable character. 256 symbols cover every string, so a byte-level vocabulary has no unknown token, and
/// decoding the bytes back gives the text exactly.
/// </summary>
public static partial class ByteLevel
{
    /// <summary>The byte → character table of GPT-2 (printable bytes map to themselves, the others above
    /// U+0100).</summary>
    public static readonly char[] ByteToChar = BuildTable();

    static readonly Dictionary<char, byte> CharToByte = Enumerable
        .Range(0, 256)
        .ToDictionary(b => ByteToChar[b], b => (byte)b);

    static char[] BuildTable()
    {
        var table = new char[256];
        var printable = Enumerable
            .Range('!', '~' - '!' + 1)
            .Concat(Enumerable.Range('¡', '¬' - '¡' + 1))
            .Concat(Enumerable.Range('®', 'ÿ' - '®' + 1))
            .ToHashSet();
        int next = 0;
        for (int b = 0; b < 256; b++)
            table[b] = printable.Contains(b) ? (char)b : (char)(256 + next++);
        return table;
    }

    /// <summary>GPT-2's pattern: contractions, letters, numbers and other symbols (each with one leading space), and
    /// spaces.</summary>
    [GeneratedRegex(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+")]
    private static partial Regex WordPattern();

    /// <summary>The words of <paramref name="text"/>, each already in byte-level characters.</summary>
    public static IEnumerable<string> Words(string text)
    {
        foreach (Match m in WordPattern().Matches(text))
            yield return Encode(m.Value);
    }

    /// <summary>A string's UTF-8 bytes as byte-level characters.</summary>
    public static string Encode(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var chars = new char[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
            chars[i] = ByteToChar[bytes[i]];
        return new string(chars);
    }

    /// <summary>The bytes byte-level characters stand for (characters outside the table are ignored).</summary>
    public static byte[] Bytes(string symbols) => [.. symbols.Where(CharToByte.ContainsKey).Select(c => CharToByte[c])];

    /// <summary>Byte-level characters back to text (characters outside the table are ignored).</summary>
    public static string Decode(string symbols)
    {
        var bytes = new List<byte>(symbols.Length);
        foreach (var c in symbols)
            if (CharToByte.TryGetValue(c, out var b))
                bytes.Add(b);
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
