using TorchSharp.Modules;

namespace SeqLab.Recurrent;

/// <summary>Elman's simple RNN: h' = tanh(W_ih x + b_ih + W_hh h + b_hh), or ReLU instead of tanh.</summary>
public sealed class ElmanCell(
    Parameter weightIh,
    Parameter weightHh,
    Parameter biasIh,
    Parameter biasHh,
    bool relu = false
) : RecurrentCell(weightIh, weightHh, biasIh, biasHh)
{
    public override Tensor[] Step(Tensor gx, Tensor[] state)
    {
        var pre = AddHidden(gx, state[0]); // (B, H)
        return [relu ? nn.functional.relu(pre) : pre.tanh()];
    }
}
