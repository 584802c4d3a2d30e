using System.Text.Json;
using SeqLab.Data;
using SeqLab.IO;
using SeqLab.Models;
using SeqLab.Recurrent;
using SeqLab.Text;
using SeqLab.Training;

namespace SeqLab.Tests;

/// <summary>The typed configuration reads and writes the same JSON spellings as the string-typed one before
/// it.</summary>
public class ConfigSpellingSpec
{
    [Fact]
    public void AConfigJsonWrittenBeforeTheEnumsLoads()
    {
        const string old = """
            {"family": "transformer", "task": "seq2seq", "impl": "reference", "tokenizer": "char", "pooling": "mean", "hidden_size": 32}
            """;
        var c = JsonSerializer.Deserialize<ModelConfig>(old, Json.Options)!;
        Assert.Equal(
            (ModelFamily.Transformer, TaskKind.Seq2Seq, RecurrentImpl.Reference, TokenizerKind.Char, Pooling.Mean),
            (c.Family, c.Task, c.Impl, c.Tokenizer, c.Pooling)
        );
    }

    [Fact]
    public void EnumsAreWrittenWithTheirOldSpellings()
    {
        var json = JsonSerializer.Serialize(
            new ModelConfig { Family = ModelFamily.Gru, Task = TaskKind.Seq2Seq },
            Json.Options
        );
        Assert.Contains("\"family\": \"gru\"", json);
        Assert.Contains("\"task\": \"seq2seq\"", json);
        Assert.Contains("\"impl\": \"fused\"", json);
        var training = JsonSerializer.Serialize(TrainingOptions.Paper(), Json.Options);
        Assert.Contains("\"optimizer\": \"adam\"", training);
        Assert.Contains("\"schedule\": \"noam\"", training);
        Assert.Contains("\"optimizer\": \"adamw\"", JsonSerializer.Serialize(new TrainingOptions(), Json.Options));
    }

    [Fact]
    public void AnUnknownSpellingNamesTheAllowedOnes()
    {
        var e = Assert.Throws<JsonException>(() =>
            JsonSerializer.Deserialize<ModelConfig>("{\"family\": \"lstn\"}", Json.Options)
        );
        Assert.Contains("'lstn' is not one of: rnn, lstm, gru, transformer", e.Message);
        var input = Assert.Throws<SeqLabInputException>(() => Spelling.Parse<TaskKind>("task", "translate"));
        Assert.Equal("unknown task 'translate'; use one of: lm, mlm, classify, seq2seq.", input.Message);
    }

    [Fact]
    public void TheKeysOldVersionsDerivedAreReadButNeverWritten()
    {
        const string old = """
            {"family": "gru", "recurrent_family": "gru", "impl": "fused", "recurrent_impl": "fused"}
            """;
        var c = JsonSerializer.Deserialize<ModelConfig>(old, Json.Options)!;
        c.Validate();
        var written = JsonSerializer.Serialize(c, Json.Options);
        Assert.DoesNotContain("recurrent_family", written);
        Assert.DoesNotContain("recurrent_impl", written);
        Assert.DoesNotContain("is_transformer", written);
    }

    [Fact]
    public void ADerivedKeyThatContradictsItsSourceIsRefusedByName()
    {
        var c = JsonSerializer.Deserialize<ModelConfig>(
            "{\"family\": \"lstm\", \"recurrent_family\": \"gru\"}",
            Json.Options
        )!;
        var e = Assert.Throws<SeqLabInputException>(c.Validate);
        Assert.Contains("recurrent_family 'gru' contradicts family 'lstm'", e.Message);
    }
}
