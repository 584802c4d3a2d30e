using SeqLab.Attention;
using SeqLab.Transformer;
using TorchSharp.Modules;

namespace SeqLab.Models;

/// <summary>
/// The decoder stack of the encoder–decoder Transformer: the shifted output's embeddings scaled by
/// √d_model plus positional encodings, then N <see cref="DecoderLayer"/>s, each attending causally to
/// the output so far and fully to the encoder's memory. (A pre-LN stack ends with a final LayerNorm.)
/// </summary>
public sealed class TransformerDecoder : OutputDecoder
{
    readonly PositionalEncoding positions;
    readonly Dropout dropout;
    readonly ModuleList<DecoderLayer> layers;
    readonly LayerNorm? norm;
    readonly LayerNorm? embedding_norm;
    readonly int modelDim;
    readonly double scale;

    public TransformerDecoder(ModelConfig c)
        : base(nameof(TransformerDecoder))
    {
        modelDim = c.HiddenSize;
        scale = c.ScaleEmbeddings ? Math.Sqrt(modelDim) : 1.0;
        positions = new PositionalEncoding(modelDim, c.MaxLength, c.LearnedPositions);
        dropout = nn.Dropout(c.Dropout);
        layers = nn.ModuleList(
            Enumerable.Range(0, c.NumLayers).Select(_ => new DecoderLayer(c.LayerSettings)).ToArray()
        );
        if (c.NormFirst)
            norm = nn.LayerNorm(modelDim, c.LayerNormEps);
        if (c.EmbeddingNorm)
            embedding_norm = nn.LayerNorm(modelDim, c.LayerNormEps);
        RegisterComponents();
    }

    public IReadOnlyList<DecoderLayer> Layers => [.. layers];

    public override int OutputSize => modelDim;

    public override Tensor Decode(Tensor output, Tensor memory, Tensor? memoryPadding) =>
        forward(output, memory, memoryPadding);

    /// <summary>
    /// y (B, T, d) embedded output tokens (starting with &lt;bos&gt;); memory (B, S, d);
    /// memoryPadding (B, S) true = padded source position. → (B, T, d)
    /// </summary>
    public Tensor forward(Tensor y, Tensor memory, Tensor? memoryPadding)
    {
        long T = y.shape[1];
        var h = StackInput.Prepare(y, 0, scale, positions, embedding_norm, dropout); // (B, T, d)
        // Padded target positions come after the real ones, so the causal mask already keeps every
        // real position from seeing them; no target padding mask is needed.
        var causal = Masks.Causal(T, y.dtype, y.device); // (T, T)
        foreach (var layer in layers)
            h = layer.forward(h, memory, causal, null, memoryPadding);
        return norm is null ? h : norm.call(h);
    }

    /// <summary>A cache per layer for decoding one token at a time.</summary>
    public KeyValueCache[] NewCache() => [.. layers.Select(_ => new KeyValueCache())];

    /// <summary>The newest embedded output tokens y (B, T, d), after those the caches hold → their states (B, T,
    /// d).</summary>
    public Tensor Step(Tensor y, Tensor memory, Tensor? memoryPadding, KeyValueCache[] caches)
    {
        var h = StackInput.Prepare(y, caches[0].Length, scale, positions, embedding_norm, dropout); // (B, T, d)
        for (int i = 0; i < caches.Length; i++)
            h = layers[i].Step(h, memory, memoryPadding, caches[i]);
        return norm is null ? h : norm.call(h);
    }
}
