using System.Runtime.InteropServices;

namespace SeqLab.Native;

/// <summary>
/// Gives freed native memory back to the system. libtorch's bf16 kernels allocate and free large buffers from its
/// worker threads; glibc keeps what they free in per-thread arenas, so a long bf16 run's RSS grew by about 1 MB per
/// step (lstm-lm, batch 2) with the live tensor count constant: fragmentation, not a leak. glibc's
/// <c>malloc_trim(0)</c> returns the free pages of every arena. Elsewhere (no glibc) this does nothing.
/// </summary>
public static class HeapTrim
{
    [DllImport("libc", EntryPoint = "malloc_trim")]
    static extern int MallocTrim(nuint pad);

    static bool unavailable = !OperatingSystem.IsLinux();

    /// <summary>Trims the native heap now (a few milliseconds at most).</summary>
    public static void Now()
    {
        if (unavailable)
            return;
        try
        {
            MallocTrim(0);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            unavailable = true; // musl and others: nothing to trim this way
        }
    }
}
