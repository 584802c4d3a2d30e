using TorchSharp.Modules;

namespace SeqLab.Recurrent;

/// <summary>
/// Cho et al.'s GRU, gates in PyTorch's order r, z, n:
///   r = σ(W_ir x + b_ir + W_hr h + b_hr)          reset gate
///   z = σ(W_iz x + b_iz + W_hz h + b_hz)          update gate
///   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)) new content
///   h' = (1 − z) ⊙ n + z ⊙ h
/// </summary>
public sealed class GruCell(Parameter weightIh, Parameter weightHh, Parameter biasIh, Parameter biasHh)
    : RecurrentCell(weightIh, weightHh, biasIh, biasHh)
{
    public override Tensor[] Step(Tensor gx, Tensor[] state)
    {
        var h = state[0]; // (B, H)
        var xs = gx.chunk(3, dim: -1); // input side of r, z, n
        var hs = ProjectHidden(h).chunk(3, dim: -1); // hidden side of r, z, n
        var r = (xs[0] + hs[0]).sigmoid();
        var z = (xs[1] + hs[1]).sigmoid();
        var n = (xs[2] + r * hs[2]).tanh();
        return [(1 - z) * n + z * h];
    }
}
