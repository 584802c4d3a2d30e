using System.Runtime.InteropServices;

namespace SeqLab.Cli;

/// <summary>
/// Ctrl+C (SIGINT) or SIGTERM during training: the first asks the run to stop after its step with a checkpoint;
/// a second one exits at once, leaving the last checkpoint that was saved.
/// </summary>
public sealed class Interrupt : IDisposable
{
    /// <summary>The conventional exit status after SIGINT (128 + 2).</summary>
    public const int ExitCode = 130;

    readonly CancellationTokenSource _cancel = new();
    readonly PosixSignalRegistration[] _registrations;
    int _signals;

    public Interrupt()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    public CancellationToken Token => _cancel.Token;

    void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true; // the process keeps running: the trainer saves first
        if (Interlocked.Increment(ref _signals) == 1)
        {
            Output.Info(
                "seqlab: stopping after this step and saving a checkpoint (press Ctrl+C again to quit at once)"
            );
            _cancel.Cancel();
            return;
        }
        Output.Info("seqlab: quitting now; the last saved checkpoint is kept");
        Console.Error.Flush();
        QuitNow();
    }

    // Environment.Exit would run finalizers and unload libtorch while a training step is still inside it (which
    // crashes); _exit ends the process at once. Checkpoints are written atomically, so the last one is whole.
    [DllImport("libc", EntryPoint = "_exit")]
    static extern void PosixExit(int status);

    static void QuitNow()
    {
        try
        {
            PosixExit(ExitCode);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            Environment.Exit(ExitCode);
        }
    }

    public void Dispose()
    {
        foreach (var r in _registrations)
            r.Dispose();
        _cancel.Dispose();
    }
}
