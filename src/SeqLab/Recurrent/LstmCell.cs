using TorchSharp.Modules;

namespace SeqLab.Recurrent;

/// <summary>
/// Hochreiter and Schmidhuber's LSTM with a forget gate, gates in PyTorch's order i, f, g, o:
///   i = σ(W_ii x + b_ii + W_hi h + b_hi)   input gate
///   f = σ(W_if x + b_if + W_hf h + b_hf)   forget gate
///   g = tanh(W_ig x + b_ig + W_hg h + b_hg) candidate cell
///   o = σ(W_io x + b_io + W_ho h + b_ho)   output gate
///   c' = f ⊙ c + i ⊙ g,  h' = o ⊙ tanh(c')
/// </summary>
public sealed class LstmCell(Parameter weightIh, Parameter weightHh, Parameter biasIh, Parameter biasHh)
    : RecurrentCell(weightIh, weightHh, biasIh, biasHh)
{
    public override int StateCount => 2;

    public override Tensor[] Step(Tensor gx, Tensor[] state)
    {
        var (h, c) = (state[0], state[1]); // (B, H) each
        var gates = AddHidden(gx, h); // (B, 4H): the pre-activations of i, f, g, o
        long H = h.shape[1];
        // σ over all four at once (one kernel instead of three); g's slot of it is unused.
        var sigma = gates.sigmoid().chunk(4, dim: -1);
        var (i, f, o) = (sigma[0], sigma[1], sigma[3]);
        var g = gates.narrow(-1, 2 * H, H).tanh();
        var cNext = (f * c).addcmul(i, g, 1); // f ⊙ c + i ⊙ g
        var hNext = o * cNext.tanh();
        return [hNext, cNext];
    }
}
