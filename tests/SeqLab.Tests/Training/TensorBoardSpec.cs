using System.Text.Json;

namespace SeqLab.Tests;

/// <summary>`train --tensorboard DIR` writes event files TensorBoard reads: checked CRCs, the scalars of every step and
/// validation, equal to metrics.jsonl's.</summary>
[Collection("cli")]
public class TensorBoardSpec
{
    [Fact]
    public void CrcThirtyTwoCIsTheCastagnoliCheckValue() => Assert.Equal(0xE3069283u, EventFile.Crc32C("123456789"u8)); // the standard check value of CRC-32C

    [Fact]
    public void EveryStepAndValidationIsAScalarEqualToMetricsJsonl()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run(
            "train",
            "--data",
            dir.File("c.txt", Corpora.Repetitive(200)),
            "--out",
            dir.Sub("m"),
            "--model",
            "gru",
            "--hidden-size",
            "16",
            "--embed-dim",
            "16",
            "--seq-len",
            "8",
            "--steps",
            "6",
            "--eval-interval",
            "3",
            "--threads",
            "1",
            "--tensorboard",
            dir.Sub("tb")
        );
        Assert.Equal(0, r.ExitCode);

        var events = EventFile.Read(Assert.Single(Directory.GetFiles(dir.Sub("tb"), "events.out.tfevents.*")));
        Assert.Equal("brain.Event:2", events.FileVersion);
        var lines = File.ReadLines(Path.Combine(dir.Sub("m"), "metrics.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .ToList();
        float Metric(string name, long step) =>
            (float)
                lines
                    .Single(l => l.TryGetProperty(name, out _) && l.GetProperty("step").GetInt64() == step)
                    .GetProperty(name)
                    .GetDouble();
        var loss = events.Scalars.Where(s => s.Tag == "train/loss").ToList();
        Assert.Equal([1L, 2, 3, 4, 5, 6], loss.Select(s => s.Step));
        Assert.All(loss, s => Assert.Equal(Metric("loss", s.Step), s.Value));
        Assert.All(
            events.Scalars.Where(s => s.Tag == "train/learning_rate"),
            s => Assert.Equal(Metric("lr", s.Step), s.Value)
        );
        var valid = events.Scalars.Where(s => s.Tag == "valid/perplexity").ToList();
        Assert.Equal([3L, 6], valid.Select(s => s.Step));
        Assert.All(valid, s => Assert.Equal(Metric("valid_perplexity", s.Step), s.Value));
        foreach (var tag in new[] { "train/perplexity", "train/grad_norm", "train/tokens_per_s", "valid/accuracy" })
            Assert.Contains(events.Scalars, s => s.Tag == tag);
    }
}
