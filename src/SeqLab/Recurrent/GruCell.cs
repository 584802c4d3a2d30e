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
    /// <summary>W_ih·x + b_ih: b_hn sits inside r ⊙ (W_hn h + b_hn), so the hidden bias stays on the hidden
    /// side.</summary>
    public override Tensor ProjectInput(Tensor x) => nn.functional.linear(x, WeightIh, BiasIh);

    public override Tensor[] Step(Tensor gx, Tensor[] state)
    {
        var h = state[0]; // (B, H)
        long H = h.shape[1];
        var hs = ProjectHidden(h); // (B, 3H): hidden side of r, z, n
        // r and z together: one add and one σ over (B, 2H).
        var rz = (gx.narrow(-1, 0, 2 * H) + hs.narrow(-1, 0, 2 * H)).sigmoid();
        var (r, z) = (rz.narrow(-1, 0, H), rz.narrow(-1, H, H));
        var n = gx.narrow(-1, 2 * H, H).addcmul(r, hs.narrow(-1, 2 * H, H), 1).tanh();
        return [n.addcmul(z, h - n, 1)]; // (1 − z) ⊙ n + z ⊙ h = n + z ⊙ (h − n)
    }
}
