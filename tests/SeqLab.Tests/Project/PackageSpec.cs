using SeqLab.Native;

namespace SeqLab.Tests;

/// <summary>
/// The library as a user gets it: `dotnet pack` makes the SeqLab package, and the sample in
/// samples/TinyLstm builds against it from a local folder feed, trains, predicts and loads a
/// checkpoint that the CLI made.
/// </summary>
[Collection("cli")]
[Trait("Category", "Slow")]
public class PackageSpec
{
    [Fact]
    public void TheSampleBuildsAgainstThePackedLibraryTrainsPredictsAndLoadsACliCheckpoint()
    {
        using var dir = new TempDir();
        var (cliModel, _) = CliRunner.TinyLanguageModel(dir);

        var feed = dir.Sub("feed");
        var pack = Repo.Run(
            "dotnet",
            ["pack", Path.Combine(Repo.Root, "src", "SeqLab"), "-c", "Release", "-o", feed, "-nologo"],
            Repo.Root,
            TimeSpan.FromMinutes(5)
        );
        Assert.True(pack.ExitCode == 0, pack.Text);
        var nupkg = Path.Combine(feed, $"SeqLab.{Versions.SeqLab}.nupkg");
        Assert.True(File.Exists(nupkg), $"{nupkg} missing: {pack.Text}");
        using (var zip = System.IO.Compression.ZipFile.OpenRead(nupkg))
        {
            var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
            foreach (
                var expected in new[]
                {
                    "lib/net10.0/SeqLab.dll",
                    "lib/net10.0/SeqLab.xml",
                    "buildTransitive/SeqLab.targets",
                    "README.md",
                    "LICENSE",
                }
            )
                Assert.Contains(expected, entries);
        }

        // The sample outside the repository (so no repository build file helps it), with a feed of its own.
        var sample = dir.Sub("sample");
        Directory.CreateDirectory(Path.Combine(sample, "TinyLstm"));
        foreach (var f in new[] { "Directory.Build.props", "Directory.Build.targets" })
            File.Copy(Path.Combine(Repo.Root, "samples", f), Path.Combine(sample, f));
        foreach (var f in new[] { "TinyLstm.csproj", "Program.cs" })
            File.Copy(Path.Combine(Repo.Root, "samples", "TinyLstm", f), Path.Combine(sample, "TinyLstm", f));
        File.WriteAllText(
            Path.Combine(sample, "nuget.config"),
            File.ReadAllText(Path.Combine(Repo.Root, "samples", "nuget.config"))
                .Replace("value=\"feed\"", $"value=\"{feed}\"")
        );
        // NuGet caches a package by id and version: drop an earlier SeqLab of this version so the fresh one is used.
        Repo.ForgetCachedPackage("seqlab", Versions.SeqLab);

        var run = Repo.Run(
            "dotnet",
            [
                "run",
                "--project",
                Path.Combine(sample, "TinyLstm"),
                "-c",
                "Release",
                $"-p:SeqLabVersion={Versions.SeqLab}",
                "--",
                cliModel,
            ],
            sample,
            TimeSpan.FromMinutes(8)
        );
        Assert.True(run.ExitCode == 0, run.Text);
        Assert.Contains("trained: 60 steps", run.Text);
        Assert.Matches(@"blank: (alemán|francés|italiano) ", run.Text);
        Assert.Contains("cli model (gru lm):", run.Text);
    }
}
