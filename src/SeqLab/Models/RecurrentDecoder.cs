using SeqLab.Attention;
using SeqLab.Recurrent;
using TorchSharp.Modules;

namespace SeqLab.Models;

/// <summary>
/// The recurrent decoder of an RNN encoder–decoder with attention (Luong et al. 2015): a recurrent
/// layer reads the output so far, h_t = RNN(y_{t−1}, h_{t−1}); each h_t attends over the encoder's
/// states, c_t = Σ_s softmax_s(h_t·W_k m_s / √H) m_s; and the output is h̃_t = tanh(W_c [c_t; h_t]).
/// Without the attention every source word would have to survive in one final state — the
/// bottleneck the lecture's long-range example is about.
/// </summary>
public sealed class RecurrentDecoder : OutputDecoder
{
    readonly RecurrentLayer rnn;
    readonly Linear key; // W_k: memory (D) → the decoder's state size (H)
    readonly Linear combine; // W_c: [c_t; h_t] → H
    readonly Dropout dropout;
    readonly int hidden;

    public RecurrentDecoder(ModelConfig c, int memorySize)
        : base(nameof(RecurrentDecoder))
    {
        hidden = c.HiddenSize;
        rnn = new RecurrentLayer(c.Recurrent(bidirectional: false));
        key = nn.Linear(memorySize, hidden, hasBias: false);
        combine = nn.Linear(memorySize + hidden, hidden);
        dropout = nn.Dropout(c.Dropout);
        RegisterComponents();
    }

    public override int OutputSize => hidden;

    public override Tensor Decode(Tensor output, Tensor memory, Tensor? memoryPadding)
    {
        var (h, _) = rnn.call(dropout.call(output), null, null); // (B, T, H)
        var keys = key.call(memory); // (B, S, H)
        var mask = Masks.Combine(null, memoryPadding, h.dtype); // (B, 1, 1, S) or null
        var (context, _) = ScaledDotProductAttention.Forward(
            h.unsqueeze(1),
            keys.unsqueeze(1),
            memory.unsqueeze(1),
            mask
        );
        context = context.squeeze(1); // (B, T, D)
        return tanh(combine.call(dropout.call(cat([context, h], -1)))); // (B, T, H)
    }
}
