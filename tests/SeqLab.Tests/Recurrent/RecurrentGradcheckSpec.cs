using SeqLab.Recurrent;
using static TorchSharp.torch;

namespace SeqLab.Tests;

/// <summary>The hand-written cells' gradients agree with finite differences (float64).</summary>
public class RecurrentGradcheckSpec
{
    [Theory]
    [InlineData(RecurrentFamily.Rnn)]
    [InlineData(RecurrentFamily.Lstm)]
    [InlineData(RecurrentFamily.Gru)]
    public void ReferenceCellsPassFiniteDifferenceCheck(RecurrentFamily family)
    {
        Torch.Init();
        manual_seed(3);
        var layer = new RecurrentLayer(
            new RecurrentOptions(family, 3, 2, Impl: RecurrentImpl.Reference),
            ScalarType.Float64
        );
        var x = randn([2, 4, 3], dtype: ScalarType.Float64);
        double Loss()
        {
            using var _ = no_grad();
            var (o, s) = layer.call(x, null, null);
            return (o.sin().sum() + s[0].pow(2).sum()).item<double>();
        }
        var (output, state) = layer.call(x, null, null);
        (output.sin().sum() + state[0].pow(2).sum()).backward();
        const double h = 1e-6;
        foreach (var (name, p) in layer.named_parameters())
        {
            var flat = p.detach().view(-1);
            var grad = p.grad!.view(-1);
            for (int i = 0; i < flat.shape[0]; i += 3)
            {
                double original = flat[i].item<double>();
                using (no_grad())
                    flat[i] = original + h;
                double plus = Loss();
                using (no_grad())
                    flat[i] = original - h;
                double minus = Loss();
                using (no_grad())
                    flat[i] = original;
                double numeric = (plus - minus) / (2 * h);
                Assert.True(
                    Math.Abs(numeric - grad[i].item<double>()) < 1e-6 * Math.Max(1, Math.Abs(numeric)),
                    $"{name}[{i}]: numeric {numeric} vs autograd {grad[i].item<double>()}"
                );
            }
        }
    }
}
