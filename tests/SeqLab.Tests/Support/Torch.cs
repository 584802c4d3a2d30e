using SeqLab.Native;

namespace SeqLab.Tests;

public static class Torch
{
    public static void Init(int threads = 1) => TorchRuntime.SetThreads(threads);
}
