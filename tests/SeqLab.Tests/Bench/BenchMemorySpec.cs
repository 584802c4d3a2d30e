using System.Text.Json;

namespace SeqLab.Tests;

/// <summary>The live-tensor count is process-wide: this runs alone.</summary>
[Trait("Category", "Slow")]
[Collection("serial")]
public class BenchMemorySpec
{
    [Fact]
    public void MemoryModeKeepsTheLiveTensorCountFlat()
    {
        var r = CliRunner.Run(
            "bench",
            "--mode",
            "memory",
            "--preset",
            "lstm-lm",
            "--steps",
            "30",
            "--check-at",
            "5",
            "--batch-size",
            "2",
            "--threads",
            "1",
            "--json"
        );
        Assert.Equal(0, r.ExitCode);
        var doc = JsonDocument.Parse(r.Stdout).RootElement;
        Assert.Equal(
            doc.GetProperty("live_tensors_at_check").GetInt64(),
            doc.GetProperty("live_tensors_at_end").GetInt64()
        );
    }
}
