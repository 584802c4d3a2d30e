using System.Text.Json;
using SeqLab.Training;

namespace SeqLab.Tests;

/// <summary>`train --profile` says where a run's time went; the phases add up to the run.</summary>
[Collection("cli")]
public class StepProfileSpec
{
    [Fact]
    public void TheProfileNamesEveryPhaseAndAddsUpToTheRun()
    {
        using var dir = new TempDir();
        var data = dir.File("c.txt", Corpora.Repetitive());
        var wall = System.Diagnostics.Stopwatch.StartNew();
        var r = CliRunner.Run(
            "train",
            "--task",
            "lm",
            "--model",
            "gru",
            "--data",
            data,
            "--out",
            dir.Sub("m"),
            "--embed-dim",
            "8",
            "--hidden-size",
            "8",
            "--min-count",
            "1",
            "--seq-len",
            "8",
            "--steps",
            "6",
            "--eval-interval",
            "3",
            "--threads",
            "1",
            "--json",
            "--profile"
        );
        wall.Stop();
        Assert.True(r.ExitCode == 0, r.Stderr);
        var doc = JsonDocument.Parse(r.Stdout).RootElement;
        var profile = doc.GetProperty("profile_s");
        Assert.Equal(StepProfile.Phases, profile.EnumerateObject().Select(p => p.Name));
        foreach (var phase in new[] { "forward", "backward", "optimizer", "validation", "checkpoint" })
            Assert.True(profile.GetProperty(phase).GetDouble() > 0, phase);
        double total = profile.EnumerateObject().Sum(p => p.Value.GetDouble());
        // The whole training loop, its last validation and checkpoint included, inside the command's wall time.
        Assert.InRange(total, doc.GetProperty("elapsed_s").GetDouble(), wall.Elapsed.TotalSeconds);
        Assert.Contains("where the", r.Stderr);
        Assert.Contains("ms/step", r.Stderr);
    }

    [Fact]
    public void MarksBookTheTimeSinceThePreviousMark()
    {
        var p = new StepProfile();
        Thread.Sleep(20);
        p.Mark("forward");
        p.Mark("backward");
        Assert.True(p.Seconds["forward"] >= 0.015);
        Assert.True(p.Seconds["backward"] < 0.015);
        Assert.Equal(p.Seconds.Values.Sum(), p.Total);
    }
}
