using System.Text;
using CsCheck;
using SeqLab.Native;

namespace SeqLab.Tests;

/// <summary>When libtorch cannot load, the message names the library and the loader's reason.</summary>
public class NativeLoadSpec
{
    static string NativeDir() => Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");

    /// <summary>libtorch and everything it loads from its own folder (libgomp, …), but not the shim under
    /// test.</summary>
    static void LinkLibtorch(string native)
    {
        foreach (var lib in Directory.GetFiles(NativeDir()).Where(f => Path.GetFileName(f) != "libLibTorchSharp.so"))
            File.CreateSymbolicLink(Path.Combine(native, Path.GetFileName(lib)), lib);
    }

    [Fact]
    public void AMissingDependencyIsNamed()
    {
        using var dir = new TempDir();
        var native = Directory.CreateDirectory(Path.Combine(dir.Path, "runtimes", "linux-x64", "native")).FullName;
        File.Copy(Path.Combine(NativeDir(), "libLibTorchSharp.so"), Path.Combine(native, "libLibTorchSharp.so"));
        var message = TorchRuntime.Diagnose(dir.Path);
        Assert.Contains("libc10.so is missing", message);
    }

    [Fact]
    public void ABrokenShimIsNamedWithTheLoadersReason()
    {
        using var dir = new TempDir();
        var native = Directory.CreateDirectory(Path.Combine(dir.Path, "runtimes", "linux-x64", "native")).FullName;
        LinkLibtorch(native);
        var shim = Path.Combine(native, "libLibTorchSharp.so");
        File.WriteAllBytes(shim, Encoding.ASCII.GetBytes("not an ELF file"));
        var message = TorchRuntime.Diagnose(dir.Path);
        Assert.Contains($"the loader refused {shim}", message);
    }

    [Fact]
    public void TheUnpatchedShimNamesTheMissingGlibcxxVersionWhereTheSystemLacksIt()
    {
        var packages =
            Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var original = Path.Combine(
            packages,
            "torchsharp",
            "0.107.0",
            "runtimes",
            "linux-x64",
            "native",
            "libLibTorchSharp.so"
        );
        Assert.True(File.Exists(original), $"the TorchSharp package is restored at {original}");
        using var dir = new TempDir();
        var native = Directory.CreateDirectory(Path.Combine(dir.Path, "runtimes", "linux-x64", "native")).FullName;
        LinkLibtorch(native);
        File.Copy(original, Path.Combine(native, "libLibTorchSharp.so"));
        var message = TorchRuntime.Diagnose(dir.Path);
        bool systemHasIt =
            File.ReadAllBytes("/lib/x86_64-linux-gnu/libstdc++.so.6").AsSpan().IndexOf("GLIBCXX_3.4.32"u8) >= 0;
        if (systemHasIt)
            Assert.Contains("loaded on a second try", message);
        else
            Assert.Contains("GLIBCXX_3.4.32", message);
    }
}
