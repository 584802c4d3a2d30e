using System.Runtime.InteropServices;
using TorchSharp;

namespace SeqLab.Native;

/// <summary>
/// Loads libtorch once and, when that fails, explains why in one sentence. TorchSharp's own message
/// ("doesn't contain a reference to libtorch-cpu") hides the real cause, which is nearly always the
/// dynamic loader refusing libLibTorchSharp.so: we ask the loader directly to get its words.
/// </summary>
public static class TorchRuntime
{
    static readonly Lock Gate = new();
    static bool _loaded;

    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (_loaded)
                return;
            MallocThresholds.Apply();
            try
            {
                using var probe = torch.zeros(1);
                _loaded = true;
            }
            catch (Exception e)
                when (e
                        is TypeInitializationException
                            or NotSupportedException
                            or DllNotFoundException
                            or EntryPointNotFoundException
                )
            {
                throw new NativeLoadException(Diagnose());
            }
        }
    }

    /// <summary>Sets the number of intra-op threads libtorch may use (defaults to every core).</summary>
    public static void SetThreads(int? threads)
    {
        EnsureLoaded();
        torch.set_num_threads(threads ?? Environment.ProcessorCount);
    }

    /// <summary>Finds the native shim next to the app and asks the dynamic loader why it will not load.</summary>
    public static string Diagnose() => Diagnose(AppContext.BaseDirectory);

    /// <summary>As <see cref="Diagnose()"/>, for the native libraries under <paramref name="baseDir"/>.</summary>
    public static string Diagnose(string baseDir)
    {
        var rid = RuntimeInformation.RuntimeIdentifier.StartsWith("linux", StringComparison.Ordinal)
            ? "linux-x64"
            : RuntimeInformation.RuntimeIdentifier;
        string[] candidates =
        [
            Path.Combine(baseDir, "runtimes", rid, "native", "libLibTorchSharp.so"),
            Path.Combine(baseDir, "libLibTorchSharp.so"),
        ];
        var shim = candidates.FirstOrDefault(File.Exists);
        if (shim is null)
            return $"libtorch could not be loaded: libLibTorchSharp.so is not in {baseDir} (runtimes/{rid}/native); "
                + "rebuild SeqLab with `dotnet build` so the TorchSharp-cpu package copies its native libraries there.";

        var nativeDir = Path.GetDirectoryName(shim)!;
        foreach (var dependency in new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" })
        {
            var path = Path.Combine(nativeDir, dependency);
            if (!File.Exists(path))
                return $"libtorch could not be loaded: {dependency} is missing from {nativeDir}; rebuild SeqLab with "
                    + $"`dotnet build` (the libtorch-cpu package provides it).";
            if (!TryLoad(path, out var why))
                return $"libtorch could not be loaded: the loader refused {path}: {why}";
        }
        if (TryLoad(shim, out var reason))
            return $"libtorch loaded on a second try from {shim}; if this message repeats, delete the build output "
                + $"and run `dotnet build` again.";
        if (reason.Contains("GLIBCXX", StringComparison.Ordinal))
            return $"libtorch could not be loaded: {shim} needs a newer C++ runtime than this machine's libstdc++ "
                + $"({reason}); rebuild with `dotnet build`, which marks TorchSharp's unused GLIBCXX_3.4.32 "
                + $"requirement weak on such machines, or install a libstdc++6 that provides it.";
        return $"libtorch could not be loaded: the loader refused {shim}: {reason}";
    }

    static bool TryLoad(string path, out string reason)
    {
        try
        {
            NativeLibrary.Load(path);
            reason = "";
            return true;
        }
        catch (Exception e)
        {
            reason = e.Message.ReplaceLineEndings(" ");
            return false;
        }
    }
}
