using SeqLab.Data;
using SeqLab.Native;
using TorchSharp.Modules;

namespace SeqLab.Models;

/// <summary>
/// One label per text: embedding → sequence encoder (recurrent or Transformer) (optionally bidirectional) → pooling of
/// the token states (the final state, or mean / max over the real tokens) → linear over the labels.
/// </summary>
public sealed class SequenceClassifier : SequenceModel
{
    readonly Dropout dropout;
    readonly Linear head;

    public SequenceClassifier(ModelConfig c)
        : base(nameof(SequenceClassifier), c)
    {
        if (c.Labels.Count < 2)
            throw new SeqLabInputException(
                $"classification needs at least two labels (found {c.Labels.Count}); check the data's label column."
            );
        dropout = nn.Dropout(c.Dropout);
        head = nn.Linear(Encoder.OutputSize, c.Labels.Count);
        RegisterComponents();
    }

    /// <summary>ids (B, T), lengths (B) → label logits (B, C).</summary>
    public override Tensor forward(Tensor ids, Tensor? lengths) => Classify(Embedding.call(ids), lengths);

    /// <summary>Embedded tokens (B, T, E) → label logits (B, C); the lab differentiates through this w.r.t. the
    /// embeddings.</summary>
    public Tensor Classify(Tensor embedded, Tensor? lengths)
    {
        var x = dropout.call(embedded); // (B, T, E)
        var (h, last) = Encoder.call(x, lengths); // (B, T, D·H), (B, D·H)
        var pooled = Config.Pooling switch
        {
            Pooling.Mean => MeanPool(h, lengths),
            Pooling.Max => MaxPool(h, lengths),
            _ => last,
        };
        return Autocast.Full(Autocast.Linear(dropout.call(pooled), head)); // (B, C), fp32 for the loss
    }

    static Tensor RealTokens(Tensor h, Tensor? lengths) =>
        lengths is null
            ? ones(h.shape[0], h.shape[1], 1, dtype: h.dtype)
            : (arange(h.shape[1]).unsqueeze(0) < lengths.unsqueeze(1)).unsqueeze(-1).to(h.dtype); // (B, T, 1)

    static Tensor MeanPool(Tensor h, Tensor? lengths)
    {
        var m = RealTokens(h, lengths);
        return (h * m).sum(1) / m.sum(1);
    }

    static Tensor MaxPool(Tensor h, Tensor? lengths)
    {
        var m = RealTokens(h, lengths);
        return h.masked_fill(m.eq(0), double.NegativeInfinity).amax(1);
    }

    public override Tensor Loss(Batch batch, double labelSmoothing = 0.0) =>
        nn.functional.cross_entropy(
            call(batch.InputTensor(), batch.LengthTensor()),
            batch.TargetTensor(),
            label_smoothing: labelSmoothing
        );

    public override (double Sum, long Count, long Correct) Score(Batch batch)
    {
        var logits = call(batch.InputTensor(), batch.LengthTensor());
        var targets = batch.TargetTensor();
        var sum = nn.functional.cross_entropy(logits, targets, reduction: nn.Reduction.Sum).item<float>();
        return (sum, batch.Rows, logits.argmax(-1).eq(targets).sum().item<long>());
    }
}
