using SeqLab.Recurrent;
using static TorchSharp.torch;

namespace SeqLab.Tests;

/// <summary>Our cells stepping through time compute exactly what libtorch's fused kernels compute.</summary>
public class RecurrentParitySpec
{
    public static TheoryData<RecurrentFamily, int, bool> Configurations()
    {
        var data = new TheoryData<RecurrentFamily, int, bool>();
        foreach (var family in Enum.GetValues<RecurrentFamily>())
        foreach (var layers in new[] { 1, 2 })
        foreach (var bidirectional in new[] { false, true })
            data.Add(family, layers, bidirectional);
        return data;
    }

    sealed record Run(Tensor Output, Tensor[] State, Dictionary<string, Tensor> Gradients);

    /// <summary>Runs one implementation on a padded batch of unequal lengths, with a non-zero initial state.</summary>
    static Run Forward(RecurrentOptions options, ScalarType dtype, Dictionary<string, Tensor> weights)
    {
        var layer = new RecurrentLayer(options, dtype);
        using (no_grad())
            foreach (var (name, p) in layer.named_parameters())
                p.copy_(weights[name]);
        var gen = new Generator().manual_seed(7);
        int directions = options.Directions,
            states = options.Family == RecurrentFamily.Lstm ? 2 : 1;
        var x = randn([3, 6, options.InputSize], dtype: dtype, generator: gen);
        var lengths = tensor(new long[] { 6, 2, 4 });
        var initial = Enumerable
            .Range(0, states)
            .Select(_ => randn([options.NumLayers * directions, 3, options.HiddenSize], dtype: dtype, generator: gen))
            .ToArray();
        var (output, state) = layer.call(x, lengths, initial);
        // A loss that touches the outputs and every final state, so every gradient path is compared.
        var loss = output.pow(2).sum() + state.Select(s => s.sum() * 0.5).Aggregate((a, b) => a + b);
        loss.backward();
        return new Run(
            output.detach(),
            state.Select(s => s.detach()).ToArray(),
            layer.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.detach().clone())
        );
    }

    static double MaxDiff(Tensor a, Tensor b) => (a - b).abs().max().to(ScalarType.Float64).item<double>();

    static void AssertSame(RecurrentFamily family, int layers, bool bidirectional, ScalarType dtype, double tolerance)
    {
        Torch.Init();
        manual_seed(11);
        var options = new RecurrentOptions(family, InputSize: 5, HiddenSize: 4, layers, bidirectional);
        var weights = new RecurrentLayer(options, dtype)
            .named_parameters()
            .ToDictionary(p => p.name, p => p.parameter.detach().clone());
        var fused = Forward(options with { Impl = RecurrentImpl.Fused }, dtype, weights);
        var reference = Forward(options with { Impl = RecurrentImpl.Reference }, dtype, weights);

        Assert.True(
            fused.Output.allclose(reference.Output, rtol: 0, atol: tolerance),
            $"outputs differ by {MaxDiff(fused.Output, reference.Output)}"
        );
        for (int s = 0; s < fused.State.Length; s++)
            Assert.True(
                fused.State[s].allclose(reference.State[s], rtol: 0, atol: tolerance),
                $"final state {s} differs by {MaxDiff(fused.State[s], reference.State[s])}"
            );
        foreach (var (name, g) in fused.Gradients)
            Assert.True(
                g.allclose(reference.Gradients[name], rtol: 0, atol: tolerance),
                $"gradient of {name} differs by {MaxDiff(g, reference.Gradients[name])}"
            );
    }

    [Theory, MemberData(nameof(Configurations))]
    public void ReferenceEqualsFusedInFloat32(RecurrentFamily family, int layers, bool bidirectional) =>
        AssertSame(family, layers, bidirectional, ScalarType.Float32, 1e-5);

    [Theory, MemberData(nameof(Configurations))]
    public void ReferenceEqualsFusedInFloat64(RecurrentFamily family, int layers, bool bidirectional) =>
        AssertSame(family, layers, bidirectional, ScalarType.Float64, 1e-10);

    [Theory]
    [InlineData(RecurrentFamily.Rnn, "weight_ih_l0", "weight_hh_l1_reverse", 16)]
    [InlineData(RecurrentFamily.Lstm, "bias_ih_l0", "bias_hh_l1_reverse", 16)]
    [InlineData(RecurrentFamily.Gru, "weight_hh_l0", "weight_ih_l1_reverse", 16)]
    public void ParametersCarryPyTorchNames(RecurrentFamily family, string first, string last, int count)
    {
        Torch.Init();
        var names = new RecurrentLayer(new RecurrentOptions(family, 3, 4, 2, true))
            .named_parameters()
            .Select(p => p.name)
            .ToList();
        Assert.Contains(first, names);
        Assert.Contains(last, names);
        Assert.Equal(count, names.Count);
    }

    [Fact]
    public void PaddedStepsLeaveTheStateAndOutputZero()
    {
        Torch.Init();
        var layer = new RecurrentLayer(new RecurrentOptions(RecurrentFamily.Gru, 3, 4, Impl: RecurrentImpl.Reference));
        var x = randn(2, 5, 3);
        var (output, state) = layer.call(x, tensor(new long[] { 5, 2 }), null);
        var (shortOutput, shortState) = layer.call(x[1..2, ..2], null, null);
        Assert.True(state[0][0, 1].allclose(shortState[0][0, 0], atol: 1e-6));
        Assert.Equal(0.0, output[1, 2..].abs().sum().item<float>());
        Assert.True(output[1, ..2].allclose(shortOutput[0], atol: 1e-6));
    }
}
