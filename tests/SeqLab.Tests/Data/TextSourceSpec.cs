using System.Diagnostics;
using System.Text;
using SeqLab.Data;

namespace SeqLab.Tests;

/// <summary>Only regular files are read; folders are walked without following links; binary content anywhere is refused.</summary>
public class TextSourceSpec
{
    static void Run(string file, params string[] args)
    {
        using var p = Process.Start(file, args);
        p.WaitForExit();
    }

    [Fact]
    public void ADeviceIsRefusedWithoutReadingIt()
    {
        var e = Assert.Throws<SeqLabInputException>(() => TextSource.ReadLines("/dev/zero"));
        Assert.Contains("not a regular file", e.Message);
    }

    [Fact]
    public void AFifoInADataFolderIsSkipped()
    {
        using var dir = new TempDir();
        var folder = Directory.CreateDirectory(dir.Sub("data")).FullName;
        File.WriteAllText(Path.Combine(folder, "a.txt"), "hola mundo\n");
        Run("mkfifo", Path.Combine(folder, "pipe.txt"));
        Assert.Equal([Path.Combine(folder, "a.txt")], TextSource.Files(folder));
        Assert.Single(TextSource.ReadLines(folder));
    }

    [Fact]
    public void AFolderLinkThatLoopsIsNotFollowed()
    {
        using var dir = new TempDir();
        var folder = Directory.CreateDirectory(dir.Sub("data")).FullName;
        File.WriteAllText(Path.Combine(folder, "a.txt"), "hola mundo\n");
        Directory.CreateSymbolicLink(Path.Combine(folder, "loop"), folder);
        Assert.Single(TextSource.Files(folder));
    }

    [Fact]
    public void ANulByteFarIntoTheFileIsFound()
    {
        using var dir = new TempDir();
        var bytes = Encoding
            .UTF8.GetBytes(string.Concat(Enumerable.Repeat("una línea de texto\n", 5000)))
            .Append((byte)0)
            .ToArray();
        Assert.True(bytes.Length > 1 << 16);
        var e = Assert.Throws<SeqLabInputException>(() => TextSource.ReadLines(dir.Bytes("t.txt", bytes)).Count);
        Assert.Contains("binary", e.Message);
    }
}
