using System.Diagnostics;
using SeqLab.Models;
using SeqLab.Training;

namespace SeqLab.Tests;

/// <summary>Ctrl+C keeps the work: the run stops after its step with a checkpoint that resumes.</summary>
public class InterruptSpec
{
    [Fact]
    [Trait("Category", "Slow")]
    public void AnInterruptSavesACheckpointAndSaysHowToResume()
    {
        using var dir = new TempDir();
        var data = dir.File("c.txt", Corpora.Repetitive(400));
        var outDir = dir.Sub("m");
        var cli = Path.Combine(AppContext.BaseDirectory, "SeqLab.Cli.dll");
        var start = Training(cli, data, outDir, "1000000");
        using var p = Process.Start(start)!;
        var stderr = p.StandardError.ReadToEndAsync();
        // Wait until it is training (its metrics file grows), then interrupt it as a terminal would.
        var metrics = Path.Combine(outDir, Checkpoint.MetricsFile);
        var clock = Stopwatch.StartNew();
        while (
            clock.Elapsed < TimeSpan.FromMinutes(2) && !(File.Exists(metrics) && File.ReadLines(metrics).Count() >= 3)
        )
            Thread.Sleep(100);
        Assert.True(File.Exists(metrics), "training did not start within 2 minutes");
        // SIGTERM takes the same path as Ctrl+C's SIGINT, which a test run in the background (`./test &`, some CI
        // runners) would have ignored from its start, as POSIX does for asynchronous commands.
        using (var kill = Process.Start("kill", ["-TERM", p.Id.ToString()])!)
            kill.WaitForExit();
        Assert.True(p.WaitForExit(60_000), "the run did not stop after the interrupt");
        Assert.Equal(130, p.ExitCode);
        Assert.Contains($"--resume {outDir}", stderr.Result);
        Assert.All(File.ReadAllLines(metrics), line => System.Text.Json.JsonDocument.Parse(line).Dispose());
        var saved = Checkpoint.Load(outDir, best: false);
        Assert.True(saved.Manifest.State.Step > 0);
        saved.Model.Dispose();
        var resumed = CliRunner.Run(
            "train",
            "--resume",
            outDir,
            "--data",
            data,
            "--steps",
            (saved.Manifest.State.Step + 2).ToString()
        );
        Assert.Equal(0, resumed.ExitCode);
    }

    [Fact]
    public void ALongStretchWithoutValidationIsCheckpointedOnTime()
    {
        using var dir = new TempDir();
        var data = dir.File("c.txt", Corpora.Repetitive(100));
        var config = new ModelConfig
        {
            EmbedDim = 8,
            HiddenSize = 8,
            MinCount = 1,
        };
        var options = new TrainingOptions
        {
            Steps = 40,
            EvalInterval = 1_000_000,
            CheckpointSeconds = 1e-6,
            SeqLen = 8,
            BatchSize = 4,
        };
        var outDir = dir.Sub("m");
        var run = TrainingRun.Start(config, options, data, null, outDir);
        long? savedBeforeTheEnd = null;
        run.Progress += p =>
        {
            if (p.Step == 20 && File.Exists(Path.Combine(outDir, Checkpoint.ManifestFile)))
            {
                var saved = Checkpoint.Load(outDir, best: false);
                savedBeforeTheEnd = saved.Manifest.State.Step;
                saved.Model.Dispose();
            }
        };
        run.Run();
        run.Model.Dispose();
        Assert.NotNull(savedBeforeTheEnd);
        Assert.InRange(savedBeforeTheEnd!.Value, 18, 20);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void ASecondInterruptQuitsAtOnceAndKeepsTheLastCheckpoint()
    {
        using var dir = new TempDir();
        var data = dir.File("c.txt", Corpora.Repetitive(400));
        var outDir = dir.Sub("m");
        var cli = Path.Combine(AppContext.BaseDirectory, "SeqLab.Cli.dll");
        using var p = Process.Start(Training(cli, data, outDir, "5"))!;
        var stderr = p.StandardError.ReadToEndAsync();
        var manifest = Path.Combine(outDir, Checkpoint.ManifestFile);
        var clock = Stopwatch.StartNew();
        while (!File.Exists(manifest) && clock.Elapsed < TimeSpan.FromMinutes(2))
            Thread.Sleep(100);
        for (int i = 0; i < 2; i++)
            using (var kill = Process.Start("kill", ["-TERM", p.Id.ToString()])!)
                kill.WaitForExit();
        Assert.True(p.WaitForExit(60_000), "the run did not quit after two interrupts");
        Assert.Equal(130, p.ExitCode);
        Assert.Contains("seqlab: stopping after this step", stderr.Result);
        Checkpoint.Load(outDir, best: false).Model.Dispose(); // the last checkpoint written is whole
    }

    /// <summary>`seqlab train` in its own process, for a very long run validated every <paramref name="evalInterval"/> steps.</summary>
    static ProcessStartInfo Training(string cli, string data, string outDir, string evalInterval) =>
        new(
            "dotnet",
            [
                cli,
                "train",
                "--data",
                data,
                "--out",
                outDir,
                "--steps",
                "1000000",
                "--eval-interval",
                evalInterval,
                "--hidden-size",
                "16",
                "--embed-dim",
                "16",
                "--threads",
                "1",
            ]
        )
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
}
