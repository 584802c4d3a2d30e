using SeqLab.Data;
using SeqLab.Native;
using SeqLab.Text;
using TorchSharp.Modules;

namespace SeqLab.Models;

/// <summary>
/// A model over token ids: (B, T) ids and their lengths in, task logits out. Every task head
/// (language model, classifier) is an embedding and a <see cref="SequenceEncoder"/> followed by its
/// own output layer, so the trainer, evaluator and checkpoint code handle all of them the same way.
/// </summary>
public abstract class SequenceModel : nn.Module<Tensor, Tensor?, Tensor>
{
    public ModelConfig Config { get; }

    // Fields, not auto-properties: the derived class's RegisterComponents names submodules after
    // their fields, and these names ("embedding", "encoder") are the checkpoint's tensor names.
    readonly Embedding embedding;
    readonly SequenceEncoder encoder;
    public Embedding Embedding => embedding;
    public SequenceEncoder Encoder => encoder;

    protected SequenceModel(string name, ModelConfig config)
        : base(name)
    {
        Config = config;
        embedding = nn.Embedding(config.VocabSize, config.EmbedDim, padding_idx: Vocabulary.PadId);
        encoder = SequenceEncoder.Create(config);
        // Pretrained static vectors can be kept as they are (the lecture's Word2Vec → RNN pipeline).
        if (config.FreezeEmbeddings || config.FreezeEncoder)
            embedding.weight!.requires_grad = false;
        if (config.FreezeEncoder)
            foreach (var p in encoder.parameters())
                p.requires_grad = false;
    }

    /// <summary>Mean loss of a batch (what the optimiser minimises).</summary>
    public abstract Tensor Loss(Batch batch, double labelSmoothing = 0.0);

    /// <summary>Summed loss and the number of items it covers (tokens or examples), for exact averages over a data
    /// set.</summary>
    public abstract (double Sum, long Count, long Correct) Score(Batch batch);

    /// <summary>Summed token cross-entropy, real (non-pad) tokens, and correct argmax predictions: logits (N, V),
    /// targets (N).</summary>
    protected static (double Sum, long Count, long Correct) TokenScore(Tensor logits, Tensor targets)
    {
        logits = Autocast.Full(logits);
        var sum = nn
            .functional.cross_entropy(logits, targets, ignore_index: Vocabulary.PadId, reduction: nn.Reduction.Sum)
            .item<float>();
        var real = targets.ne(Vocabulary.PadId);
        long correct = logits.argmax(-1).eq(targets).logical_and(real).sum().item<long>();
        return (sum, real.sum().item<long>(), correct);
    }

    /// <summary>As <see cref="TokenScore(Tensor, Tensor)"/>, for a token model's scored logits and targets.</summary>
    protected static (double Sum, long Count, long Correct) TokenScore((Tensor Logits, Tensor Targets) scored) =>
        TokenScore(scored.Logits, scored.Targets);

    /// <summary>As <see cref="TokenLoss(Tensor, Tensor, double)"/>, for a token model's scored logits and
    /// targets.</summary>
    protected static Tensor TokenLoss((Tensor Logits, Tensor Targets) scored, double labelSmoothing) =>
        TokenLoss(scored.Logits, scored.Targets, labelSmoothing);

    /// <summary>Mean token cross-entropy over real tokens: logits (N, V), targets (N).</summary>
    protected static Tensor TokenLoss(Tensor logits, Tensor targets, double labelSmoothing) =>
        nn.functional.cross_entropy(
            Autocast.Full(logits),
            targets,
            ignore_index: Vocabulary.PadId,
            label_smoothing: labelSmoothing
        );

    /// <summary>The per-token contextual vectors of one token sequence: (T, D), the encoder's top-layer
    /// states.</summary>
    public Tensor ContextualVectors(long[] ids)
    {
        var x = Embedding.call(tensor(ids, [1, ids.Length])); // (1, T, E)
        var (h, _) = Encoder.call(x, null); // (1, T, D)
        return h[0];
    }

    /// <summary>Each trainable tensor once (a tied embedding is shared by two layers but is one parameter).</summary>
    public List<Parameter> UniqueParameters() =>
        parameters().Distinct(ReferenceEqualityComparer.Instance).Cast<Parameter>().ToList();
}
