namespace SeqLab.Models;

/// <summary>
/// The decoder half of an encoder–decoder: the output so far, embedded (B, T, E), and the encoder's
/// memory (B, S, D) with its padding (B, S) in; one state per output position (B, T, OutputSize) out,
/// each seeing only earlier outputs. The Transformer's <see cref="TransformerDecoder"/> and the
/// recurrent <see cref="RecurrentDecoder"/> implement it.
/// </summary>
public abstract class OutputDecoder(string name) : nn.Module(name)
{
    public abstract int OutputSize { get; }

    public abstract Tensor Decode(Tensor output, Tensor memory, Tensor? memoryPadding);

    public static OutputDecoder Create(ModelConfig c, int memorySize) =>
        c.Family == ModelFamily.Transformer ? new TransformerDecoder(c) : new RecurrentDecoder(c, memorySize);
}
