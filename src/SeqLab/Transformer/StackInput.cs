using TorchSharp.Modules;

namespace SeqLab.Transformer;

/// <summary>
/// What an encoder or decoder stack does to embedded tokens before its first layer: scale by √d_model (the paper,
/// §3.4; BERT leaves them as they are), add the positions, normalise (BERT's embedding LayerNorm), drop out.
/// </summary>
public static class StackInput
{
    /// <summary>x (B, T, d) at positions <paramref name="offset"/> … offset + T − 1 → (B, T, d).</summary>
    public static Tensor Prepare(
        Tensor x,
        long offset,
        double scale,
        PositionalEncoding positions,
        LayerNorm? norm,
        Dropout dropout
    )
    {
        var h = positions.At(scale == 1.0 ? x : x * scale, offset);
        return dropout.call(norm is null ? h : norm.call(h));
    }
}
