using System.Text.Json;
using System.Text.Json.Nodes;
using SeqLab.IO;

namespace SeqLab.Text;

/// <summary>Hugging Face's tokenizer.json, as the BPE and WordPiece tokenizers read and write it.</summary>
static class TokenizerJson
{
    /// <summary>
    /// The file's "model" object and its root. A missing file says <paramref name="missing"/>; anything unreadable
    /// is refused through <paramref name="bad"/> (which adds what to do).
    /// </summary>
    public static (JsonObject Root, JsonObject Model) Read(
        string path,
        string missing,
        Func<string, SeqLabInputException> bad
    )
    {
        if (!File.Exists(path))
            throw new SeqLabInputException($"{path} does not exist; {missing}.");
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw bad($"not JSON ({e.Message.Split(". Path")[0]})");
        }
        var model = root?["model"] as JsonObject ?? throw bad("no \"model\" object");
        return ((JsonObject)root!, model);
    }

    /// <summary>Writes <paramref name="doc"/> indented and readable (UTF-8 left as it is), atomically.</summary>
    public static void Write(string path, JsonObject doc) =>
        AtomicFile.WriteAllText(
            path,
            doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = Json.Readable })
        );
}
