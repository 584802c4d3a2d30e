using System.Text.Json;
using SeqLab.IO;

namespace SeqLab.Data.Generated;

/// <summary>
/// Generated sequence-to-sequence tasks over an alphabet of symbols ("a", "b", …): reverse the
/// sequence, or copy it. Their answers are known exactly, so exact match measures whether a model
/// learned the transformation — reversal needs every output position to find a distant input.
/// </summary>
public static class SymbolTasks
{
    public static readonly string[] Names = ["reverse", "copy"];

    public sealed record Options(
        int Examples = 10_000,
        int MinLength = 5,
        int MaxLength = 20,
        int Symbols = 10,
        int Seed = 1
    )
    {
        public void Validate()
        {
            if (Examples < 1)
                throw new SeqLabInputException($"--examples must be at least 1 (got {Examples}).");
            if (MinLength < 1)
                throw new SeqLabInputException($"--min-length must be at least 1 (got {MinLength}).");
            if (MaxLength < MinLength)
                throw new SeqLabInputException(
                    $"--max-length ({MaxLength}) must be at least --min-length ({MinLength})."
                );
            if (Symbols is < 2 or > 676)
                throw new SeqLabInputException($"--symbols must be between 2 and 676 (got {Symbols}).");
        }
    }

    /// <summary>The alphabet: a … z, then aa, ab, … (all single tokens for the word tokenizer).</summary>
    public static string[] Alphabet(int size) =>
        Enumerable
            .Range(0, size)
            .Select(i => i < 26 ? ((char)('a' + i)).ToString() : $"{(char)('a' + i / 26 - 1)}{(char)('a' + i % 26)}")
            .ToArray();

    /// <summary>(source, target) pairs, space-separated symbols; lengths uniform in [min, max].</summary>
    public static IEnumerable<(string Source, string Target)> Generate(string task, Options o)
    {
        o.Validate();
        Func<string[], IEnumerable<string>> transform = task switch
        {
            "reverse" => s => s.Reverse(),
            "copy" => s => s,
            _ => throw new SeqLabInputException($"unknown task '{task}'; use one of: {string.Join(", ", Names)}."),
        };
        var alphabet = Alphabet(o.Symbols);
        var rng = new Random(o.Seed);
        for (int i = 0; i < o.Examples; i++)
        {
            var source = Enumerable
                .Range(0, rng.Next(o.MinLength, o.MaxLength + 1))
                .Select(_ => alphabet[rng.Next(alphabet.Length)])
                .ToArray();
            yield return (string.Join(' ', source), string.Join(' ', transform(source)));
        }
    }

    /// <summary>
    /// Writes pairs as they are made: TSV source&lt;TAB&gt;target, or JSON lines {source, target} when the file name
    /// ends in .jsonl or .json. Returns how many.
    /// </summary>
    public static long Write(string path, IEnumerable<(string Source, string Target)> pairs)
    {
        bool jsonl =
            path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase)
            || path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
        return AtomicFile.WriteLines(
            path,
            pairs.Select(p =>
                jsonl
                    ? JsonSerializer.Serialize(new { source = p.Source, target = p.Target }, Json.Line)
                    : $"{p.Source}\t{p.Target}"
            )
        );
    }

    /// <summary>About how many bytes <see cref="Write"/> produces: two characters per symbol, on both sides.</summary>
    public static double EstimatedBytes(Options o) =>
        o.Examples * (o.MinLength + o.MaxLength) / 2.0 * 4 + o.Examples * 24;
}
