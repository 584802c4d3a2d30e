using System.Reflection;

namespace SeqLab.Native;

/// <summary>
/// Which SeqLab, TorchSharp and libtorch this process runs: printed by `seqlab --version` and
/// recorded in every checkpoint, so a number can always be traced to the code that produced it.
/// </summary>
public static class Versions
{
    /// <summary>SeqLab's package version (e.g. "0.2.0").</summary>
    public static string SeqLab { get; } = Informational(typeof(Versions).Assembly);

    /// <summary>The TorchSharp package version (e.g. "0.107.0").</summary>
    public static string TorchSharp { get; } = Informational(typeof(TorchSharp.torch).Assembly);

    /// <summary>The libtorch version the TorchSharp-cpu package brings (recorded at build time).</summary>
    public static string LibTorch { get; } =
        typeof(Versions)
            .Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "LibTorchVersion")
            ?.Value
        ?? "unknown";

    // The informational version carries "+<commit>" when built from git; the version alone identifies a release.
    static string Informational(Assembly assembly)
    {
        var v =
            assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "unknown";
        int plus = v.IndexOf('+');
        return plus < 0 ? v : v[..plus];
    }
}
