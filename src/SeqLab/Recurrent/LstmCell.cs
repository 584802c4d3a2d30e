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
        var gates = (gx + ProjectHidden(h)).chunk(4, dim: -1); // 4 × (B, H)
        var i = gates[0].sigmoid();
        var f = gates[1].sigmoid();
        var g = gates[2].tanh();
        var o = gates[3].sigmoid();
        var cNext = f * c + i * g;
        var hNext = o * cNext.tanh();
        return [hNext, cNext];
    }
}
