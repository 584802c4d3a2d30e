using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SeqLab.IO;

/// <summary>
/// How an enum value is written in files and on the command line: its
/// <see cref="JsonStringEnumMemberNameAttribute"/> if it has one, else its name in snake_case
/// ("lstm", "seq2seq", "adamw"). Every parser of a spelled value goes through here, so an unknown
/// value gets the same message everywhere.
/// </summary>
public static class Spelling
{
    /// <summary>The spelling of one value, e.g. <c>ModelFamily.Transformer</c> → "transformer".</summary>
    public static string Name<T>(this T value)
        where T : struct, Enum => Of<T>.Names[value];

    /// <summary>Every spelling of <typeparamref name="T"/>, in declaration order.</summary>
    public static IReadOnlyList<string> All<T>()
        where T : struct, Enum => Of<T>.Ordered;

    /// <summary>Parses a spelling, or says "unknown <paramref name="what"/> 'x'; use one of: a, b".</summary>
    public static T Parse<T>(string what, string text)
        where T : struct, Enum =>
        TryParse<T>(text, out var value)
            ? value
            : throw new SeqLabInputException($"unknown {what} '{text}'; use one of: {string.Join(", ", All<T>())}.");

    public static bool TryParse<T>(string text, out T value)
        where T : struct, Enum => Of<T>.Values.TryGetValue(text, out value);

    static class Of<T>
        where T : struct, Enum
    {
        public static readonly Dictionary<T, string> Names = Enum.GetValues<T>()
            .ToDictionary(
                v => v,
                v =>
                    typeof(T).GetField(v.ToString())!.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
                    ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString())
            );
        public static readonly IReadOnlyList<string> Ordered = [.. Names.Values];
        public static readonly Dictionary<string, T> Values = Names.ToDictionary(
            p => p.Value,
            p => p.Key,
            StringComparer.Ordinal
        );
    }
}
