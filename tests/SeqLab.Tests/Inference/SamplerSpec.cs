using SeqLab.Inference;
using static TorchSharp.torch;

namespace SeqLab.Tests;

/// <summary>Every temperature, top-k and top-p the options accept gives a token, never a native error.</summary>
public class SamplerSpec
{
    [Theory]
    [InlineData(1e300, 0, 1.0)]
    [InlineData(1e-320, 0, 1.0)]
    [InlineData(1e-7, 0, 1.0)]
    [InlineData(0.7, 0, 1e-300)]
    [InlineData(1e300, 3, 1e-300)]
    [InlineData(1.0, 1, 1.0)]
    public void ExtremeSettingsStillPickAnAllowedToken(double temperature, int topK, double topP)
    {
        Torch.Init();
        var sampler = new Sampler(temperature, topK, topP);
        sampler.Validate();
        using var logits = tensor(new float[] { 3f, -1e30f, 2f, 50f, float.MinValue, 0f });
        var generator = new Generator().manual_seed(1);
        for (int i = 0; i < 20; i++)
        {
            long next = sampler.Next(logits, [3], generator);
            Assert.InRange(next, 0, 5);
            Assert.NotEqual(3, next);
        }
    }

    [Fact]
    public void ATinyTopPKeepsOnlyTheLikeliestToken()
    {
        Torch.Init();
        using var logits = tensor(new float[] { 1f, 5f, 2f });
        var generator = new Generator().manual_seed(1);
        Assert.All(
            Enumerable.Range(0, 10),
            _ => Assert.Equal(1, new Sampler(1.0, 0, 1e-300).Next(logits, [], generator))
        );
    }
}
