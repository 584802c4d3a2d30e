using System.Diagnostics;
using SeqLab.Training;

namespace SeqLab.Tests;

/// <summary>Checkpoints survive a SIGKILL at any moment: the last good one always loads.</summary>
[Trait("Category", "Slow")]
public class CrashSpec
{
    [Fact]
    public void KillingTrainingAtRandomMomentsAlwaysLeavesALoadableCheckpoint()
    {
        Torch.Init();
        using var dir = new TempDir();
        var data = dir.File("c.txt", Corpora.Repetitive(400));
        var cli = Path.Combine(AppContext.BaseDirectory, "SeqLab.Cli.dll");
        var rng = new Random(7);
        int loaded = 0;
        for (int attempt = 0; attempt < 4; attempt++)
        {
            var outDir = dir.Sub($"m{attempt}");
            var start = new ProcessStartInfo(
                "dotnet",
                [
                    cli,
                    "train",
                    "--data",
                    data,
                    "--out",
                    outDir,
                    "--steps",
                    "100000",
                    "--eval-interval",
                    "1",
                    "--hidden-size",
                    "16",
                    "--embed-dim",
                    "16",
                    "--seq-len",
                    "16",
                    "--batch-size",
                    "4",
                    "--threads",
                    "1",
                ]
            )
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            using var p = Process.Start(start)!;
            Thread.Sleep(rng.Next(1500, 4000)); // start-up, then checkpoints every step
            p.Kill(entireProcessTree: true); // SIGKILL: no cleanup runs
            p.WaitForExit();
            if (!File.Exists(Path.Combine(outDir, Checkpoint.ManifestFile)))
                continue; // killed before the first save
            using var _ = Checkpoint.Load(outDir, best: false).Model;
            loaded++;
        }
        Assert.True(loaded >= 2, $"only {loaded} of 4 runs had saved a checkpoint before the kill");
    }
}
