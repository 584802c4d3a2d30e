using TorchSharp.Modules;

namespace SeqLab.Native;

/// <summary>
/// Mixed precision on the CPU, as PyTorch's <c>torch.autocast("cpu", torch.bfloat16)</c> does it (TorchSharp has no
/// autocast of its own). Inside a <see cref="Scope"/>, the matrix products that dominate a step (every Linear layer,
/// attention) run in bfloat16 on bf16 copies of the fp32 weights and return bf16 activations; LayerNorm, the
/// residual sums (bf16 + fp32 promotes to fp32), softmax over the vocabulary and the loss stay fp32. The casts are
/// part of the autograd graph, so gradients arrive in the fp32 parameters and clipping and AdamW are unchanged.
/// </summary>
public static class Autocast
{
    [ThreadStatic]
    static bool bf16;

    /// <summary>Whether this thread is inside a bf16 scope.</summary>
    public static bool Enabled => bf16;

    /// <summary>The dtype a matrix product runs in on this thread.</summary>
    public static ScalarType ComputeType => bf16 ? ScalarType.BFloat16 : ScalarType.Float32;

    /// <summary>Runs the code until the returned handle is disposed in <paramref name="precision"/>; scopes
    /// nest.</summary>
    public static IDisposable Scope(Precision precision)
    {
        var previous = bf16;
        bf16 = precision == Precision.Bf16;
        return new Restore(previous);
    }

    sealed class Restore(bool previous) : IDisposable
    {
        public void Dispose() => bf16 = previous;
    }

    /// <summary>x Wᵀ + b, in bf16 inside a bf16 scope (the output stays bf16), else as it is.</summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias) =>
        bf16
            ? nn.functional.linear(
                x.to(ScalarType.BFloat16),
                weight.to(ScalarType.BFloat16),
                bias?.to(ScalarType.BFloat16)
            )
            : nn.functional.linear(x, weight, bias);

    /// <summary>A Linear layer's product, as <see cref="Linear(Tensor, Tensor, Tensor?)"/>.</summary>
    public static Tensor Linear(Tensor x, Linear layer) => Linear(x, layer.weight!, layer.bias);

    /// <summary>Scores as fp32 (softmax over a vocabulary and losses need its range and precision).</summary>
    public static Tensor Full(Tensor x) => x.dtype == ScalarType.Float32 ? x : x.to(ScalarType.Float32);
}
