using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SeqLab.IO;

/// <summary>One JSON style for every file SeqLab writes: snake_case, indented, strict about unknown keys, and
/// readable UTF-8 ("alemán", not "alem\u00E1n"; no HTML escaping: nothing SeqLab writes goes inside a
/// script).</summary>
internal static class Json
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new SpellingConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = Readable,
    };

    /// <summary>One line of JSON Lines: compact, readable UTF-8.</summary>
    public static readonly JsonSerializerOptions Line = new() { Encoder = Readable };

    /// <summary>Escapes only what JSON itself requires (quotes, backslashes, control characters).</summary>
    public static JavaScriptEncoder Readable => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>
    /// Reads a JSON file into <typeparamref name="T"/>; an unreadable, empty or malformed one is refused with the
    /// message <paramref name="problem"/> makes of the parser's short reason.
    /// </summary>
    public static T Read<T>(string path, Func<string, string> problem)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options)
                ?? throw new JsonException("empty document");
        }
        catch (JsonException e)
        {
            throw new SeqLabInputException(problem(e.Message.Split(". Path")[0].TrimEnd('.')));
        }
    }
}
