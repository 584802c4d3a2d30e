using SeqLab.Attention;
using SeqLab.Data;
using SeqLab.Native;
using SeqLab.Text;
using SeqLab.Transformer;
using TorchSharp.Modules;

namespace SeqLab.Models;

/// <summary>
/// Next-token prediction: embedding → sequence encoder (recurrent or Transformer) → linear over the vocabulary (the
/// same for a masked LM, at the masked positions; BERT adds a transform before it). With weight tying the output layer
/// reuses the embedding matrix (a projection bridges hidden ≠ embedding size).
/// </summary>
public sealed class LanguageModel : SequenceModel
{
    readonly Dropout dropout;
    readonly Linear? transform; // BERT's MLM head: dense → activation → LayerNorm before the output layer
    readonly LayerNorm? transform_norm;
    readonly Linear? projection;
    readonly Linear decoder;

    public LanguageModel(ModelConfig c)
        : base(nameof(LanguageModel), c)
    {
        dropout = nn.Dropout(c.Dropout);
        int outSize = Encoder.OutputSize;
        if (c.HeadTransform)
        {
            transform = nn.Linear(outSize, outSize);
            transform_norm = nn.LayerNorm(outSize, c.LayerNormEps);
        }
        if (c.TieWeights)
        {
            if (outSize != c.EmbedDim)
                projection = nn.Linear(outSize, c.EmbedDim);
            decoder = nn.Linear(c.EmbedDim, c.VocabSize);
            decoder.weight = Embedding.weight!; // (V, E), shared
        }
        else
            decoder = nn.Linear(outSize, c.VocabSize);
        RegisterComponents();
        // Small embeddings (as in PyTorch's word_language_model): N(0, 1) rows, shared with the output
        // layer, would start with huge logits and a loss far above ln V.
        using (no_grad())
            Embedding.weight!.uniform_(-0.1, 0.1);
    }

    /// <summary>ids (B, T) → logits (B, T, V).</summary>
    public override Tensor forward(Tensor ids, Tensor? lengths) => Logits(Hidden(ids, lengths));

    /// <summary>ids (B, T) → the encoder's top states (B, T, H).</summary>
    Tensor Hidden(Tensor ids, Tensor? lengths) => Encoder.call(dropout.call(Embedding.call(ids)), lengths).Item1;

    /// <summary>ids (B, T) → the logits of the token after the last one only: (B, V). A probe that scores one next
    /// token per window skips the output layer at the other T − 1 positions, its largest cost.</summary>
    public Tensor LastLogits(Tensor ids) => Logits(Hidden(ids, null)[.., -1]); // (B, V)

    Tensor Logits(Tensor h)
    {
        h = dropout.call(h);
        if (transform is not null)
            h = transform_norm!.call(TransformerLayer.Activate(Autocast.Linear(h, transform), Config.Activation));
        if (projection is not null)
            h = Autocast.Linear(h, projection); // (B, T, E)
        return Autocast.Linear(h, decoder); // (B, T, V)
    }

    /// <summary>A Transformer LM's caches for <see cref="Step"/>, or null for the recurrent families.</summary>
    public KeyValueCache[]? NewCache() => (Encoder as TransformerEncoder)?.NewCache();

    /// <summary>Logits (B, T, V) for the newest tokens <paramref name="ids"/> (B, T), after those the caches
    /// hold.</summary>
    public Tensor Step(Tensor ids, KeyValueCache[] caches) =>
        Logits(((TransformerEncoder)Encoder).Step(dropout.call(Embedding.call(ids)), caches));

    public override Tensor Loss(Batch batch, double labelSmoothing = 0.0) =>
        TokenLoss(ScoredLogits(batch), labelSmoothing);

    public override (double Sum, long Count, long Correct) Score(Batch batch) => TokenScore(ScoredLogits(batch));

    /// <summary>
    /// The logits (N, V) at the positions a batch scores, and their targets (N). A masked LM scores only its masked
    /// positions (about 15%), so its output layer, the largest cost of a step, runs at those alone: the same loss for
    /// about a sixth of the output layer's work. A causal LM scores nearly every position and takes them all.
    /// </summary>
    (Tensor Logits, Tensor Targets) ScoredLogits(Batch batch)
    {
        var targets = batch.TargetTensor().reshape(-1); // (B·T)
        var h = Hidden(batch.InputTensor(), batch.LengthTensor()); // (B, T, H)
        h = h.reshape(-1, h.shape[^1]); // (B·T, H)
        if (Config.Task == TaskKind.Mlm)
        {
            var scored = targets.ne(Vocabulary.PadId).nonzero().squeeze(1); // (N)
            (h, targets) = (h.index_select(0, scored), targets.index_select(0, scored));
        }
        return (Logits(h), targets); // (N, V), (N)
    }
}
