namespace SeqLab.Tests;

/// <summary>The same data, options and seed give the same run in two separate processes.</summary>
[Trait("Category", "Slow")]
public class ReproducibilitySpec
{
    [Fact]
    public void TwoProcessesWithOneSeedLogTheSameLosses()
    {
        using var dir = new TempDir();
        var data = dir.File("c.txt", Corpora.Repetitive(120));
        var cli = Path.Combine(AppContext.BaseDirectory, "SeqLab.Cli.dll");
        string[] Losses(string name)
        {
            var r = Repo.Run(
                "dotnet",
                [
                    cli,
                    "train",
                    "--data",
                    data,
                    "--out",
                    dir.Sub(name),
                    "--steps",
                    "12",
                    "--eval-interval",
                    "6",
                    "--hidden-size",
                    "8",
                    "--embed-dim",
                    "8",
                    "--min-count",
                    "1",
                    "--dropout",
                    "0.3",
                    "--threads",
                    "1",
                    "--seed",
                    "7",
                ],
                dir.Path,
                TimeSpan.FromMinutes(2)
            );
            Assert.True(r.ExitCode == 0, r.Text);
            // Training and validation losses, not the timings.
            return File.ReadAllLines(Path.Combine(dir.Sub(name), "metrics.jsonl"))
                .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
                .SelectMany(e =>
                    new[] { "loss", "valid_loss" }
                        .Where(k => e.TryGetProperty(k, out _))
                        .Select(k => $"{k} {e.GetProperty(k).GetDouble():R}")
                )
                .ToArray();
        }
        Assert.Equal(Losses("a"), Losses("b"));
    }

    [Fact]
    public void TwoProcessesWithOneSeedAndOneThreadWriteTheSameWordVectors()
    {
        using var dir = new TempDir();
        var data = dir.File("c.txt", Corpora.Repetitive(200));
        var cli = Path.Combine(AppContext.BaseDirectory, "SeqLab.Cli.dll");
        string Vectors(string name)
        {
            var r = Repo.Run(
                "dotnet",
                [
                    cli,
                    "embed",
                    "train",
                    "--data",
                    data,
                    "--out",
                    dir.Sub(name),
                    "--dim",
                    "8",
                    "--min-count",
                    "1",
                    "--epochs",
                    "1",
                    "--threads",
                    "1",
                    "--seed",
                    "3",
                ],
                dir.Path,
                TimeSpan.FromMinutes(2)
            );
            Assert.True(r.ExitCode == 0, r.Text);
            return File.ReadAllText(dir.Sub(name));
        }
        Assert.Equal(Vectors("a.vec"), Vectors("b.vec"));
    }
}
