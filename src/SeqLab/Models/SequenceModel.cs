using SeqLab.Text;
using static TorchSharp.torch;

namespace SeqLab.Models;

/// <summary>
/// A model over token ids: (B, T) ids and their lengths in, task logits out. Every task head
/// (language model, classifier) derives from it, so the trainer, evaluator and checkpoint code
/// handle all of them the same way.
/// </summary>
public abstract class SequenceModel(string name, ModelConfig config) : nn.Module<Tensor, Tensor?, Tensor>(name)
{
    public ModelConfig Config { get; } = config;

    /// <summary>Mean loss of a batch (what the optimiser minimises).</summary>
    public abstract Tensor Loss(Batch batch, double labelSmoothing = 0.0);

    /// <summary>Summed loss and the number of items it covers (tokens or examples), for exact averages over a data set.</summary>
    public abstract (double Sum, long Count, long Correct) Score(Batch batch);

    /// <summary>The per-token contextual vectors of one token sequence: (T, D), the encoder's top-layer states.</summary>
    public abstract Tensor ContextualVectors(long[] ids);
}
