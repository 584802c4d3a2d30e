using System.Text.Json;
using System.Text.RegularExpressions;
using SeqLab.IO;
using SeqLab.Models;

namespace SeqLab.Training;

/// <summary>
/// A --config file: {"model": {...}, "training": {...}} with the snake_case keys of a checkpoint's
/// config.json and training.json. <see cref="Given"/> lists the keys it sets, so that
/// <see cref="TrainingDefaults"/> leaves them alone.
/// </summary>
public sealed record ConfigFile(ModelConfig Model, TrainingOptions Training, IReadOnlySet<string> Given)
{
    sealed class Document
    {
        public ModelConfig? Model { get; set; }
        public TrainingOptions? Training { get; set; }
    }

    /// <summary>The file's settings, or SeqLab's defaults when <paramref name="path"/> is null.</summary>
    public static ConfigFile Read(string? path)
    {
        if (path is null)
            return new ConfigFile(new ModelConfig(), new TrainingOptions(), new HashSet<string>());
        if (!File.Exists(path))
            throw new SeqLabInputException($"{path} does not exist; check --config.");
        var text = File.ReadAllText(path);
        try
        {
            var file = JsonSerializer.Deserialize<Document>(text, Json.Options) ?? new Document();
            return new ConfigFile(file.Model ?? new ModelConfig(), file.Training ?? new TrainingOptions(), Keys(text));
        }
        catch (JsonException e)
        {
            var line = e.LineNumber is { } l ? $" (line {l + 1})" : "";
            var unknown = Regex.Match(e.Message, "property '([^']+)' could not be mapped");
            if (unknown.Success)
                throw new SeqLabInputException(
                    $"{path}: unknown key '{unknown.Groups[1].Value}' at {e.Path}{line}; the keys are those of "
                        + "config.json (\"model\") and training.json (\"training\") in a checkpoint."
                );
            if (e.Message.StartsWith('\'')) // a spelled value (family, task, …) that is not one of the allowed
                throw new SeqLabInputException(
                    $"{path}: invalid value at {e.Path}{line}: {e.Message.Split(". Path")[0]}."
                );
            throw new SeqLabInputException(
                $"{path}: invalid value at {e.Path}{line}; check its type (numbers unquoted, true/false for flags)."
            );
        }
    }

    /// <summary>The keys set in the "model" and "training" objects.</summary>
    static HashSet<string> Keys(string text)
    {
        using var doc = JsonDocument.Parse(text);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in new[] { "model", "training" })
            if (doc.RootElement.TryGetProperty(section, out var o) && o.ValueKind == JsonValueKind.Object)
                foreach (var p in o.EnumerateObject())
                    keys.Add(p.Name);
        return keys;
    }
}
