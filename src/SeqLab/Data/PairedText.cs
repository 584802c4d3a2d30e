using System.Text.Json;

namespace SeqLab.Data;

/// <summary>
/// Reads two-field examples: classification (label, text) and seq2seq (source, target), as TSV
/// (first&lt;TAB&gt;second) or JSONL ({"text": …, "label": …}). A .jsonl/.json extension, or a first line
/// starting with '{', selects JSONL. Every malformed line is reported with its file and number.
/// </summary>
public static class PairedText
{
    public record Pair(string First, string Second, string File, int Line);

    public sealed record Format(string FirstName, string SecondName, string FirstKey, string SecondKey)
    {
        /// <summary>TSV `label&lt;TAB&gt;text`, JSONL `{"text", "label"}`.</summary>
        public static readonly Format Classification = new("label", "text", "label", "text");

        /// <summary>TSV `source&lt;TAB&gt;target`, JSONL `{"source", "target"}`.</summary>
        public static readonly Format Translation = new("source", "target", "source", "target");
    }

    public static List<Pair> Read(string path, Format format)
    {
        var pairs = new List<Pair>();
        foreach (var file in TextSource.Files(path))
        {
            var lines = TextSource.ReadFile(file).ToList();
            var firstText = lines.FirstOrDefault(l => !string.IsNullOrWhiteSpace(l.Text))?.Text.TrimStart() ?? "";
            bool jsonl =
                file.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase)
                || file.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
                || firstText.StartsWith('{');
            foreach (var line in lines)
            {
                if (string.IsNullOrWhiteSpace(line.Text))
                    continue;
                pairs.Add(jsonl ? ParseJson(line, format) : ParseTsv(line, format));
            }
        }
        if (pairs.Count == 0)
            throw new SeqLabInputException(
                $"{path} contains no examples; give one `{format.FirstName}<TAB>{format.SecondName}` per line (or "
                    + $"JSONL)."
            );
        return pairs;
    }

    static Pair ParseTsv(TextSource.Line line, Format f)
    {
        var fields = line.Text.Split('\t');
        string where = $"{line.File}:{line.Number}";
        if (fields.Length == 1)
            throw new SeqLabInputException(
                $"{where}: no tab found; each line must be `{f.FirstName}<TAB>{f.SecondName}`."
            );
        if (fields.Length > 2)
            throw new SeqLabInputException(
                $"{where}: {fields.Length} tab-separated columns, expected 2 (`{f.FirstName}<TAB>{f.SecondName}`); "
                    + $"remove the extra tabs."
            );
        if (fields[0].Trim().Length == 0)
            throw new SeqLabInputException(
                $"{where}: the {f.FirstName} is empty; each line must be `{f.FirstName}<TAB>{f.SecondName}`."
            );
        if (fields[1].Trim().Length == 0)
            throw new SeqLabInputException(
                $"{where}: the {f.SecondName} is empty; each line must be `{f.FirstName}<TAB>{f.SecondName}`."
            );
        return new Pair(fields[0].Trim(), fields[1].Trim(), line.File, line.Number);
    }

    static Pair ParseJson(TextSource.Line line, Format f)
    {
        string where = $"{line.File}:{line.Number}";
        try
        {
            using var doc = JsonDocument.Parse(line.Text);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new SeqLabInputException(
                    $"{where}: expected a JSON object with \"{f.FirstKey}\" and \"{f.SecondKey}\"."
                );
            string Field(string key)
            {
                if (!doc.RootElement.TryGetProperty(key, out var v))
                    throw new SeqLabInputException(
                        $"{where}: the JSON object has no \"{key}\"; each line needs \"{f.FirstKey}\" and "
                            + $"\"{f.SecondKey}\"."
                    );
                var s = v.ValueKind switch
                {
                    JsonValueKind.String => v.GetString()!,
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
                    _ => throw new SeqLabInputException($"{where}: \"{key}\" must be a string."),
                };
                if (s.Trim().Length == 0)
                    throw new SeqLabInputException($"{where}: \"{key}\" is empty.");
                return s.Trim();
            }
            return new Pair(Field(f.FirstKey), Field(f.SecondKey), line.File, line.Number);
        }
        catch (JsonException e)
        {
            throw new SeqLabInputException(
                $"{where}: broken JSON ({e.Message.Split('.')[0]}); each line must be one JSON object."
            );
        }
    }
}
