using SeqLab.Native;

namespace SeqLab.Tests;

/// <summary>
/// `dotnet pack src/SeqLab.Cli` makes one tool package per platform and a pointer package; the
/// linux-x64 one fits nuget.org's 250 MB limit, installs with `dotnet tool install` and trains.
/// </summary>
[Trait("Category", "Slow")]
public class ToolPackageSpec
{
    const long NuGetOrgLimit = 250L * 1024 * 1024;

    [Fact]
    public void TheLinuxToolPackageIsUnderTheNuGetLimitInstallsAndTrains()
    {
        using var dir = new TempDir();
        var feed = dir.Sub("feed");
        var pack = Repo.Run(
            "dotnet",
            ["pack", Path.Combine(Repo.Root, "src", "SeqLab.Cli"), "-c", "Release", "-o", feed, "-nologo"],
            Repo.Root,
            TimeSpan.FromMinutes(8)
        );
        Assert.True(pack.ExitCode == 0, pack.Text);
        var pointer = new FileInfo(Path.Combine(feed, $"SeqLab.Cli.{Versions.SeqLab}.nupkg"));
        var linux = new FileInfo(Path.Combine(feed, $"SeqLab.Cli.linux-x64.{Versions.SeqLab}.nupkg"));
        Assert.True(
            pointer.Exists && linux.Exists,
            string.Join(", ", Directory.GetFiles(feed).Select(Path.GetFileName))
        );
        Assert.True(linux.Length < NuGetOrgLimit, $"linux-x64 tool package is {linux.Length / 1e6:F0} MB");

        foreach (var id in new[] { "seqlab.cli", "seqlab.cli.linux-x64" })
            Repo.ForgetCachedPackage(id, Versions.SeqLab);
        var tools = dir.Sub("tools");
        var install = Repo.Run(
            "dotnet",
            ["tool", "install", "SeqLab.Cli", "--tool-path", tools, "--add-source", feed, "--version", Versions.SeqLab],
            dir.Path,
            TimeSpan.FromMinutes(5)
        );
        Assert.True(install.ExitCode == 0, install.Text);
        var seqlab = Path.Combine(tools, "seqlab");

        var version = Repo.Run(seqlab, ["--version"], dir.Path, TimeSpan.FromMinutes(1));
        Assert.True(version.ExitCode == 0, version.Text);
        Assert.Contains($"seqlab {Versions.SeqLab}", version.Text);

        var data = dir.File("t.txt", Corpora.Repetitive());
        var train = Repo.Run(
            seqlab,
            [
                "train",
                "--data",
                data,
                "--out",
                dir.Sub("run"),
                "--steps",
                "5",
                "--min-count",
                "1",
                "--hidden-size",
                "16",
                "--embed-dim",
                "16",
                "--threads",
                "1",
            ],
            dir.Path,
            TimeSpan.FromMinutes(2)
        );
        Assert.True(train.ExitCode == 0, train.Text);
        Assert.True(File.Exists(Path.Combine(dir.Sub("run"), "manifest.json")), train.Text);
    }
}
