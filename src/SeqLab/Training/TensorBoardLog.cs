using TorchSharp.Modules;

namespace SeqLab.Training;

/// <summary>
/// A run's scalars for TensorBoard, written through TorchSharp's SummaryWriter: one event file per training
/// session in the folder (a resumed run adds a file; TensorBoard joins them by step).
/// </summary>
public sealed class TensorBoardLog(string dir)
{
    readonly SummaryWriter writer = TorchSharp.torch.utils.tensorboard.SummaryWriter(dir);

    public string Directory => writer.LogDir;

    /// <summary>One training step: its loss and perplexity, learning rate, gradient norm (before clipping) and
    /// throughput.</summary>
    public void Step(long step, double loss, double lr, double gradNorm, double tokensPerSecond)
    {
        Add("train/loss", loss, step);
        Add("train/perplexity", Math.Exp(loss), step);
        Add("train/learning_rate", lr, step);
        Add("train/grad_norm", gradNorm, step);
        Add("train/tokens_per_s", tokensPerSecond, step);
    }

    /// <summary>One validation: loss, perplexity and accuracy on the held-out data.</summary>
    public void Validation(long step, Validation.Result r)
    {
        Add("valid/loss", r.Loss, step);
        Add("valid/perplexity", r.Perplexity, step);
        Add("valid/accuracy", r.Accuracy, step);
    }

    /// <summary>Non-finite values (a norm that was not computed) are left out rather than drawn as spikes.</summary>
    void Add(string tag, double value, long step)
    {
        if (double.IsFinite(value))
            writer.add_scalar(tag, (float)value, checked((int)step));
    }
}
