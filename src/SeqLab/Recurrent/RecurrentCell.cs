using TorchSharp.Modules;

namespace SeqLab.Recurrent;

/// <summary>
/// One step of a recurrent network, written as the textbook equations over PyTorch's parameter
/// layout: weight_ih (G·H, I), weight_hh (G·H, H), bias_ih, bias_hh (G·H), with G gates stacked in
/// PyTorch's order. A cell owns no parameters: <see cref="RecurrentLayer"/> registers them under
/// PyTorch's names and hands each (layer, direction) its four tensors.
/// </summary>
public abstract class RecurrentCell(Parameter weightIh, Parameter weightHh, Parameter biasIh, Parameter biasHh)
{
    protected Parameter WeightIh { get; } = weightIh;
    protected Parameter WeightHh { get; } = weightHh;
    protected Parameter BiasIh { get; } = biasIh;
    protected Parameter BiasHh { get; } = biasHh;

    /// <summary>How many tensors the state has: 1 (h) or 2 (h, c for the LSTM).</summary>
    public virtual int StateCount => 1;

    /// <summary>
    /// W_ih·x + b_ih + b_hh for every time step at once: (B, T, I) → (B, T, G·H). The input side of every
    /// gate does not depend on the previous state, so it is the one part of a recurrent layer that
    /// can run in parallel over time; only <see cref="Step"/> must wait for step t − 1. The hidden bias is
    /// a constant too, so it is added here once rather than at every step.
    /// </summary>
    public virtual Tensor ProjectInput(Tensor x) => nn.functional.linear(x, WeightIh, BiasIh + BiasHh);

    /// <summary>gx + W_hh·h in one matrix multiply-add: (B, G·H), (B, H) → (B, G·H). Each step's only matmul.</summary>
    protected Tensor AddHidden(Tensor gx, Tensor h) => gx.addmm(h, WeightHh.t());

    /// <summary>W_hh·h + b_hh: (B, H) → (B, G·H), for a cell that needs the hidden side on its own (GRU).</summary>
    protected Tensor ProjectHidden(Tensor h) => nn.functional.linear(h, WeightHh, BiasHh);

    /// <summary>One time step: the projected input gx (B, G·H) and the state at t − 1 give the state at t (h
    /// first).</summary>
    public abstract Tensor[] Step(Tensor gx, Tensor[] state);
}
