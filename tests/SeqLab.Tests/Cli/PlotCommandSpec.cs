namespace SeqLab.Tests;

/// <summary>Every run draws its training curves; `seqlab plot` overlays several runs of one task.</summary>
[Collection("cli")]
public class PlotCommandSpec
{
    static string Train(TempDir dir, string name, string model, string task = "lm")
    {
        string data =
            task == "lm"
                ? dir.File("c.txt", Corpora.Repetitive(200))
                : dir.File("k.tsv", Corpora.KeywordNearEnd(200, 1));
        string[] args =
        [
            "train",
            "--task",
            task,
            "--data",
            data,
            "--out",
            dir.Sub(name),
            "--model",
            model,
            "--hidden-size",
            "16",
            "--embed-dim",
            "16",
            "--steps",
            "4",
            "--eval-interval",
            "2",
            "--threads",
            "1",
        ];
        Assert.Equal(0, CliRunner.Run(args).ExitCode);
        return dir.Sub(name);
    }

    [Fact]
    public void EveryRunDrawsItsCurvesAsPngAndSvg()
    {
        using var dir = new TempDir();
        var run = Train(dir, "gru", "gru");
        Assert.True(new FileInfo(Path.Combine(run, "curves.png")).Length > 1000);
        Assert.Contains("<svg", File.ReadAllText(Path.Combine(run, "curves.svg")));
    }

    [Fact]
    public void PlotOverlaysRunsOfOneTask()
    {
        using var dir = new TempDir();
        var a = Train(dir, "gru", "gru");
        var b = Train(dir, "transformer", "transformer");

        var r = CliRunner.Run("plot", a, b, "--out", dir.Sub("cmp"));

        Assert.Equal(0, r.ExitCode);
        Assert.True(File.Exists(dir.Sub("cmp.png")));
        var svg = File.ReadAllText(dir.Sub("cmp.svg"));
        Assert.Contains("gru, training", svg);
        Assert.Contains("transformer, training", svg);
    }

    [Fact]
    public void RunsOfDifferentTasksAreRefusedAndNothingIsWritten()
    {
        using var dir = new TempDir();
        var lm = Train(dir, "lm", "gru");
        var classifier = Train(dir, "cls", "gru", "classify");

        var r = CliRunner.Run("plot", lm, classifier, "--out", dir.Sub("cmp"));

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("different tasks", r.Stderr);
        Assert.False(File.Exists(dir.Sub("cmp.png")));
    }

    [Fact]
    public void AFolderWithoutMetricsIsRefused()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Sub("empty"));
        var r = CliRunner.Run("plot", dir.Sub("empty"), "--out", dir.Sub("cmp"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("metrics.jsonl", r.Stderr);
    }

    [Fact]
    public void AnExistingFigureIsNotOverwrittenWithoutForce()
    {
        using var dir = new TempDir();
        var run = Train(dir, "gru", "gru");
        File.WriteAllText(dir.Sub("cmp.png"), "mine");
        var r = CliRunner.Run("plot", run, "--out", dir.Sub("cmp"));
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("mine", File.ReadAllText(dir.Sub("cmp.png")));
    }
}
