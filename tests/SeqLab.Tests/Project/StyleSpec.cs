using System.Text.RegularExpressions;

namespace SeqLab.Tests;

/// <summary>The source keeps the shape docs/ARCHITECTURE.md promises: short lines, one top-level type per file.</summary>
public partial class StyleSpec
{
    static IEnumerable<string> SourceFiles() =>
        Directory
            .EnumerateFiles(Path.Combine(Repo.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f =>
                !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}")
            );

    [Fact]
    public void NoSourceLineIsLongerThan120Characters()
    {
        var long_ = SourceFiles()
            .SelectMany(f => File.ReadLines(f).Select((l, i) => (File: f, Line: i + 1, l.Length)))
            .Where(x => x.Length > 120)
            .Select(x => $"{Path.GetRelativePath(Repo.Root, x.File)}:{x.Line} ({x.Length})")
            .ToList();
        Assert.True(long_.Count == 0, string.Join("\n", long_));
    }

    [GeneratedRegex(
        @"^(public |internal |file )?(static |sealed |abstract |readonly |partial )*(class|record|struct|interface|enum) ",
        RegexOptions.Multiline
    )]
    private static partial Regex TopLevelType();

    [Fact]
    public void EveryFileHoldsOneTopLevelType()
    {
        var crowded = SourceFiles()
            .Where(f => TopLevelType().Matches(File.ReadAllText(f)).Count > 1)
            .Select(f => Path.GetRelativePath(Repo.Root, f))
            .ToList();
        Assert.True(crowded.Count == 0, string.Join("\n", crowded));
    }
}
