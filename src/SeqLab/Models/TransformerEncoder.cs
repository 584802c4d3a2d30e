using SeqLab.Attention;
using SeqLab.Data;
using SeqLab.Transformer;
using TorchSharp.Modules;

namespace SeqLab.Models;

/// <summary>
/// The Transformer as a sequence encoder: embeddings scaled by √d_model plus positional encodings
/// (see <see cref="StackInput"/>), then a stack of <see cref="EncoderLayer"/>s. For a language model every position
/// attends only to itself and earlier positions (causal mask), which makes it the decoder-only Transformer; for
/// classification and the masked LM it attends both ways (BERT), and a classifier's summary is the mean over the real
/// tokens.
/// </summary>
public sealed class TransformerEncoder : SequenceEncoder
{
    readonly PositionalEncoding positions;
    readonly Dropout dropout;
    readonly ModuleList<EncoderLayer> layers;
    readonly LayerNorm? norm; // pre-LN stacks end with a final normalisation
    readonly LayerNorm? embedding_norm; // BERT normalises embedding + position
    readonly bool causal;
    readonly int modelDim;
    readonly double scale;

    public TransformerEncoder(ModelConfig c)
        : base(nameof(TransformerEncoder))
    {
        modelDim = c.HiddenSize;
        scale = c.ScaleEmbeddings ? Math.Sqrt(modelDim) : 1.0;
        causal = c.CausalEncoder ?? c.Task == TaskKind.Lm; // classify, mlm and seq2seq encoders read both ways
        positions = new PositionalEncoding(modelDim, c.MaxLength, c.LearnedPositions);
        dropout = nn.Dropout(c.Dropout);
        layers = nn.ModuleList(
            Enumerable.Range(0, c.NumLayers).Select(_ => new EncoderLayer(c.LayerSettings)).ToArray()
        );
        if (c.NormFirst)
            norm = nn.LayerNorm(modelDim, c.LayerNormEps);
        if (c.EmbeddingNorm)
            embedding_norm = nn.LayerNorm(modelDim, c.LayerNormEps);
        RegisterComponents();
    }

    public override int OutputSize => modelDim;

    /// <summary>The layers, for reading their attention weights.</summary>
    public IReadOnlyList<EncoderLayer> Layers => [.. layers];

    public override (Tensor States, Tensor Summary) forward(Tensor x, Tensor? lengths)
    {
        long T = x.shape[1];
        var h = StackInput.Prepare(x, 0, scale, positions, embedding_norm, dropout); // (B, T, d)
        // Full-length rows (every language-model window) need no padding mask.
        bool full = lengths is null || lengths.min().item<long>() == T;
        var padding = full ? null : Masks.Padding(lengths!.to(x.device), T); // (B, T)
        var mask = causal ? Masks.Causal(T, x.dtype, x.device) : null; // (T, T)
        foreach (var layer in layers)
            h = layer.forward(h, padding, mask, isCausal: causal);
        if (norm is not null)
            h = norm.call(h);
        var real = padding is null
            ? ones(x.shape[0], T, 1, dtype: h.dtype, device: h.device)
            : padding.logical_not().unsqueeze(-1).to(h.dtype);
        var summary = (h * real).sum(1) / real.sum(1); // (B, d): mean over real tokens
        return (h, summary);
    }

    /// <summary>A cache per layer for decoding this causal stack one token at a time.</summary>
    public KeyValueCache[] NewCache() => [.. layers.Select(_ => new KeyValueCache())];

    /// <summary>
    /// The newest embedded tokens x (B, T, E), after the positions the caches hold: their states (B, T, d), as
    /// <see cref="forward"/> would give them for the whole sequence with its causal mask.
    /// </summary>
    public Tensor Step(Tensor x, KeyValueCache[] caches)
    {
        var h = StackInput.Prepare(x, caches[0].Length, scale, positions, embedding_norm, dropout); // (B, T, d)
        for (int i = 0; i < caches.Length; i++)
            h = layers[i].Step(h, caches[i]);
        return norm is null ? h : norm.call(h);
    }
}
