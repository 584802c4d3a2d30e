using System.Runtime.InteropServices;

namespace SeqLab.Native;

/// <summary>
/// Keeps glibc from handing freed memory back to the system after every large tensor. By default glibc returns the
/// top of a heap once 128 KB of it are free and serves blocks from 128 KB up with fresh mappings, so a thread that
/// frees one step's activations and allocates the next step's faults every page in again. One thread alone barely
/// notices; two models training side by side in one process (LabSession.Concurrently) took 10.4 million page faults
/// and 19.5 s of system time for the four long-range models (68 s), against 0.9–1.8 million, 6–8 s and 55 s with
/// these thresholds (2 cores). Blocks over 32 MB, glibc's most, still come from fresh mappings. The trainer's
/// periodic <see cref="HeapTrim"/> still returns what fragmentation would keep. Elsewhere (no glibc) this does
/// nothing.
/// </summary>
public static class MallocThresholds
{
    const int TrimThreshold = -1; // M_TRIM_THRESHOLD
    const int MmapThreshold = -3; // M_MMAP_THRESHOLD

    [DllImport("libc", EntryPoint = "mallopt")]
    static extern int MallOpt(int param, int value);

    /// <summary>Free memory stays in the process up to 1 GB; blocks up to 32 MB (glibc's most) come from the heap, not
    /// from a fresh mapping each time. Setting them again changes nothing.</summary>
    public static void Apply()
    {
        if (!OperatingSystem.IsLinux())
            return;
        try
        {
            MallOpt(TrimThreshold, 1 << 30);
            MallOpt(MmapThreshold, 32 << 20);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // musl and others: their allocator, their defaults
        }
    }
}
