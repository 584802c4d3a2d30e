using System.Text.Json;

namespace SeqLab.Cli;

/// <summary>stdout is for results (one JSON document with --json); everything else goes to stderr.</summary>
public static class Output
{
    public static void Json(object value) =>
        Console.Out.WriteLine(JsonSerializer.Serialize(value, SeqLab.IO.Json.Options));

    public static void Info(string line) => Console.Error.WriteLine(line);

    public static void Warn(string line) => Console.Error.WriteLine($"seqlab: warning: {line}");
}
