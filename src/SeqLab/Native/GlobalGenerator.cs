namespace SeqLab.Native;

/// <summary>
/// libtorch's default random generator is one per process: every model's initial weights and every dropout mask are
/// drawn from it. Whoever seeds it, or builds a model (which draws), holds <see cref="Gate"/> (re-entrant), so a run
/// starts from the same weights whether or not other runs train beside it in the same process. Dropout masks of runs
/// side by side would still interleave: such runs are built without dropout.
/// </summary>
public static class GlobalGenerator
{
    public static readonly object Gate = new();
}
