namespace SeqLab.Models;

/// <summary>
/// "A sequence encoder": embedded tokens (B, T, E) and their lengths in, a contextual vector per
/// token (B, T, D) and a summary vector per row (B, D) out. The recurrent families and the
/// Transformer both implement it, so every task head works with every family.
/// </summary>
public abstract class SequenceEncoder(string name) : nn.Module<Tensor, Tensor?, (Tensor States, Tensor Summary)>(name)
{
    public abstract int OutputSize { get; }

    public static SequenceEncoder Create(ModelConfig c) =>
        c.Family == ModelFamily.Transformer ? new TransformerEncoder(c) : new RecurrentEncoder(c);
}
