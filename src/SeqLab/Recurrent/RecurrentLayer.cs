using TorchSharp.Modules;

namespace SeqLab.Recurrent;

/// <summary>
/// A stacked, optionally bidirectional recurrent network over a batch-first sequence, with PyTorch's
/// parameter names (weight_ih_l0, weight_hh_l0_reverse, …) so that weights move to and from
/// torch.nn.RNN/LSTM/GRU unchanged. Padding-aware: given lengths, a row's state stops changing after
/// its last real token and its outputs there are zero (as pad_packed_sequence gives them).
/// The fused libtorch module is the parameter store; the reference path reads the same tensors.
/// </summary>
public sealed class RecurrentLayer : nn.Module<Tensor, Tensor?, Tensor[]?, (Tensor Output, Tensor[] State)>
{
    public RecurrentOptions Options { get; }

    // The fused module is held through a non-Module wrapper so TorchSharp's field scan never registers
    // it as a submodule: its parameters are registered on this layer directly, under PyTorch's names.
    sealed record Kernel(nn.Module Module);

    readonly Kernel _kernel;
    nn.Module FusedModule => _kernel.Module;
    readonly RecurrentCell[] _cells; // [layer * directions + direction]
    readonly Dropout _dropout;

    public RecurrentLayer(RecurrentOptions options, ScalarType dtype = ScalarType.Float32, Device? device = null)
        : base(nameof(RecurrentLayer))
    {
        Options = options;
        var o = options;
        // libtorch's fused modules, configured alike: batch first, dropout between layers, one or two directions.
        var (i, h, n, p, two) = (o.InputSize, o.HiddenSize, o.NumLayers, o.Dropout, o.Bidirectional);
        var act = o.Relu ? nn.NonLinearities.ReLU : nn.NonLinearities.Tanh;
        _kernel = new Kernel(
            o.Family switch
            {
                RecurrentFamily.Lstm => nn.LSTM(i, h, n, true, true, p, two, device, dtype),
                RecurrentFamily.Gru => nn.GRU(i, h, n, true, true, p, two, device, dtype),
                _ => nn.RNN(i, h, n, act, true, true, p, two, device, dtype),
            }
        );
        _dropout = nn.Dropout(o.Dropout);
        register_module("dropout", _dropout);

        _cells = new RecurrentCell[o.NumLayers * o.Directions];
        for (int layer = 0; layer < o.NumLayers; layer++)
        for (int dir = 0; dir < o.Directions; dir++)
        {
            string suffix = $"_l{layer}" + (dir == 1 ? "_reverse" : "");
            Parameter P(string name)
            {
                var p =
                    FusedModule.get_parameter(name + suffix)
                    ?? throw new InvalidOperationException($"libtorch's module has no {name}{suffix}");
                register_parameter(name + suffix, p);
                return p;
            }
            var (wi, wh, bi, bh) = (P("weight_ih"), P("weight_hh"), P("bias_ih"), P("bias_hh"));
            _cells[layer * o.Directions + dir] = o.Family switch
            {
                RecurrentFamily.Lstm => new LstmCell(wi, wh, bi, bh),
                RecurrentFamily.Gru => new GruCell(wi, wh, bi, bh),
                _ => new ElmanCell(wi, wh, bi, bh, o.Relu),
            };
        }
    }

    public override void train(bool on = true)
    {
        base.train(on);
        FusedModule.train(on);
    }

    /// <summary>
    /// How many cell steps the reference path has run one after another (each needs the previous
    /// state): T per layer and direction. The lecture's "step 100 must wait for step 99", counted.
    /// </summary>
    public long SequentialSteps { get; set; }

    /// <summary>
    /// x: (B, T, I); lengths: (B) int64 on the CPU or null (all T); initial: the state as PyTorch lays it
    /// out, h (and c) of shape (L·D, B, H), or null for zeros. Returns the top layer's outputs
    /// (B, T, D·H) and the final state in the same layout as the initial one.
    /// </summary>
    public override (Tensor Output, Tensor[] State) forward(Tensor x, Tensor? lengths, Tensor[]? initial)
    {
        if (lengths is not null && lengths.min().item<long>() == x.shape[1])
            lengths = null; // nothing to mask
        return Options.Impl == RecurrentImpl.Fused ? Fused(x, lengths, initial) : Reference(x, lengths, initial);
    }

    (Tensor, Tensor[]) Fused(Tensor x, Tensor? lengths, Tensor[]? initial)
    {
        long T = x.shape[1];
        if (lengths is null)
            return Run(x, initial);

        // Packing lets libtorch skip the padded steps, so final states are those of each row's last token.
        using var packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first: true, enforce_sorted: false);
        var (outPacked, state) = RunPacked(packed, initial);
        using (outPacked)
        {
            var (output, _) = nn.utils.rnn.pad_packed_sequence(
                outPacked,
                batch_first: true,
                padding_value: 0.0,
                total_length: T
            );
            return (output, state);
        }
    }

    // libtorch's modules take a padded batch or a packed one through different overloads of call(); the
    // lambdas pick the overload, CallFused() below does the rest once for both.
    (Tensor, Tensor[]) Run(Tensor x, Tensor[]? initial) =>
        CallFused(x, initial, (m, v, s) => m.call(v, s), (m, v, s) => m.call(v, s), (m, v, s) => m.call(v, s));

    (nn.utils.rnn.PackedSequence, Tensor[]) RunPacked(nn.utils.rnn.PackedSequence x, Tensor[]? initial) =>
        CallFused(x, initial, (m, v, s) => m.call(v, s), (m, v, s) => m.call(v, s), (m, v, s) => m.call(v, s));

    /// <summary>The fused module on <paramref name="x"/>, with the state in and out as PyTorch lays it out (h, and c
    /// for the LSTM).</summary>
    (T, Tensor[]) CallFused<T>(
        T x,
        Tensor[]? initial,
        Func<LSTM, T, (Tensor, Tensor)?, (T, Tensor, Tensor)> lstm,
        Func<GRU, T, Tensor?, (T, Tensor)> gru,
        Func<RNN, T, Tensor?, (T, Tensor)> rnn
    ) =>
        FusedModule switch
        {
            LSTM l => lstm(l, x, initial is null ? null : (initial[0], initial[1])) is var (o, h, c)
                ? (o, [h, c])
                : default,
            GRU g => gru(g, x, initial?[0]) is var (o, h) ? (o, [h]) : default,
            RNN r => rnn(r, x, initial?[0]) is var (o, h) ? (o, [h]) : default,
            _ => throw new InvalidOperationException("unknown fused module"),
        };

    /// <summary>The lecture's picture, literally: for each layer and direction, one step after another.</summary>
    (Tensor, Tensor[]) Reference(Tensor x, Tensor? lengths, Tensor[]? initial)
    {
        var o = Options;
        long B = x.shape[0],
            T = x.shape[1];
        int stateCount = _cells[0].StateCount;
        // mask[b, t] = t < length[b]: (B, T, 1), true where the row still has real tokens
        Tensor? mask = lengths is null
            ? null
            : (arange(T, device: x.device).unsqueeze(0) < lengths.to(x.device).unsqueeze(1)).unsqueeze(-1);

        var finals = new List<Tensor>[stateCount];
        for (int s = 0; s < stateCount; s++)
            finals[s] = new List<Tensor>();

        var input = x; // (B, T, I)
        for (int layer = 0; layer < o.NumLayers; layer++)
        {
            var directions = new Tensor[o.Directions];
            for (int dir = 0; dir < o.Directions; dir++)
            {
                int index = layer * o.Directions + dir;
                var cell = _cells[index];
                var gx = cell.ProjectInput(input).unbind(1); // T × (B, G·H): every step's input side at once
                var state = new Tensor[stateCount];
                for (int s = 0; s < stateCount; s++)
                    state[s] = initial is null
                        ? zeros(B, o.HiddenSize, dtype: x.dtype, device: x.device)
                        : initial[s][index];

                var outputs = new Tensor[T];
                for (int step = 0; step < T; step++)
                {
                    SequentialSteps++;
                    long t = dir == 0 ? step : T - 1 - step; // the reverse direction reads right to left
                    var next = cell.Step(gx[t], state);
                    if (mask is not null)
                    {
                        var m = mask[.., (int)t]; // (B, 1)
                        for (int s = 0; s < stateCount; s++)
                            next[s] = where(m, next[s], state[s]);
                        outputs[t] = next[0] * m; // zero past each row's end
                    }
                    else
                        outputs[t] = next[0];
                    state = next;
                }
                directions[dir] = stack(outputs, dim: 1); // (B, T, H)
                for (int s = 0; s < stateCount; s++)
                    finals[s].Add(state[s]);
            }
            input = o.Directions == 1 ? directions[0] : cat(directions, dim: -1); // (B, T, D·H)
            if (layer < o.NumLayers - 1)
                input = _dropout.call(input); // between layers only, as in PyTorch
        }
        return (input, finals.Select(f => stack(f, dim: 0)).ToArray()); // (L·D, B, H) each
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            FusedModule.Dispose();
        base.Dispose(disposing);
    }
}
