using System.Text.Json;

namespace SeqLab.Tests;

/// <summary>`--json` output is valid JSON that keeps Spanish readable: "jardín", not "jard\u00EDn".</summary>
[Collection("cli")]
public class JsonOutputSpec
{
    [Fact]
    public void JsonOutputWritesAccentedWordsAsTheyAre()
    {
        using var dir = new TempDir();
        var vectors = dir.Sub("v.txt");
        var data = dir.File("c.txt", Corpora.Repetitive(200));
        string[] train = ["embed", "train", "--data", data, "--out", vectors, "--dim", "8", "--min-count", "1"];
        Assert.Equal(0, CliRunner.Run([.. train, "--threads", "1"]).ExitCode);

        var r = CliRunner.Run("embed", "neighbors", "--vectors", vectors, "--word", "jardín", "--top", "8", "--json");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("jardín", JsonDocument.Parse(r.Stdout).RootElement.GetProperty("word").GetString());
        Assert.Contains("\"jardín\"", r.Stdout);
        Assert.DoesNotContain("\\u00", r.Stdout);
    }
}
