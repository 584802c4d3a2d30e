using System.Text.Json;
using System.Text.Json.Serialization;

namespace SeqLab.IO;

/// <summary>One JSON style for every file SeqLab writes: snake_case, indented, strict about unknown keys.</summary>
internal static class Json
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new SpellingConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
