using SeqLab.Recurrent;

namespace SeqLab.Models;

/// <summary>
/// Embedded tokens (B, T, E) → contextual states (B, T, D·H) through a <see cref="RecurrentLayer"/>,
/// plus a summary vector per row: the final state of each direction (forward after the row's last
/// token, backward after its first), concatenated.
/// </summary>
public sealed class RecurrentEncoder : SequenceEncoder
{
    readonly RecurrentLayer rnn;

    public RecurrentEncoder(ModelConfig c)
        : base(nameof(RecurrentEncoder))
    {
        rnn = new RecurrentLayer(c.Recurrent(bidirectional: c.Bidirectional));
        RegisterComponents();
    }

    public override int OutputSize => rnn.Options.OutputSize;

    public override (Tensor States, Tensor Summary) forward(Tensor x, Tensor? lengths)
    {
        var (states, final) = rnn.call(x, lengths, null); // (B, T, D·H), h: (L·D, B, H)
        int d = rnn.Options.Directions;
        var h = final[0];
        var top = h[(int)(h.shape[0] - d)..]; // (D, B, H): the top layer's directions
        var summary = top.permute(1, 0, 2).reshape(x.shape[0], -1); // (B, D·H)
        return (states, summary);
    }
}
