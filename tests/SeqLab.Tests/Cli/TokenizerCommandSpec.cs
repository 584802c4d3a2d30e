using SeqLab.Text;

namespace SeqLab.Tests;

/// <summary>`seqlab tokenizer train|encode`: a standard file out, and every bad input refused with nothing written.</summary>
[Collection("cli")]
public class TokenizerCommandSpec
{
    [Fact]
    public void TrainWritesATokenizerThatLoadsAndEncodes()
    {
        using var dir = new TempDir();
        var data = dir.File("c.txt", Corpora.Repetitive(100));
        Assert.Equal(
            0,
            CliRunner
                .Run("tokenizer", "train", "--data", data, "--vocab-size", "400", "--out", dir.Sub("t.json"))
                .ExitCode
        );
        var bpe = BpeTokenizer.Load(dir.Sub("t.json"));
        Assert.InRange(bpe.Vocab.Count, BpeTokenizer.Alphabet, 400);
        var r = CliRunner.Run("tokenizer", "encode", "--tokenizer", dir.Sub("t.json"), "--data", data, "--json");
        Assert.Equal(0, r.ExitCode);
        Assert.True(
            System.Text.Json.JsonDocument.Parse(r.Stdout).RootElement.GetProperty("tokens_per_word").GetDouble() > 0
        );
    }

    [Theory]
    [InlineData("100", "smaller than the byte alphabet")]
    public void AVocabularyBelowTheAlphabetIsBadInput(string size, string mentions)
    {
        using var dir = new TempDir();
        var r = CliRunner.Run(
            "tokenizer",
            "train",
            "--data",
            dir.File("c.txt", "hola mundo\n"),
            "--vocab-size",
            size,
            "--out",
            dir.Sub("t.json")
        );
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(mentions, r.Stderr);
        Assert.False(File.Exists(dir.Sub("t.json")));
    }

    [Fact]
    public void AnEmptyCorpusIsBadInput()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("tokenizer", "train", "--data", dir.File("c.txt", "\n \n"), "--out", dir.Sub("t.json"));
        Assert.Equal(2, r.ExitCode);
        Assert.False(File.Exists(dir.Sub("t.json")));
    }

    [Fact]
    public void AMalformedTokenizerIsBadInput()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run(
            "tokenizer",
            "encode",
            "--tokenizer",
            dir.File("t.json", "{\"model\": {\"type\": \"Unigram\"}}"),
            "--data",
            dir.File("c.txt", "hola\n")
        );
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("model type is Unigram", r.Stderr);
    }
}
