using SeqLab.Inference;
using static TorchSharp.torch;

namespace SeqLab.Tests;

public class BeamSearchSpec
{
    // A toy model over tokens 0..4 with <eos> = 3: after nothing, A (=4) 0.55, B (=1) 0.45; after A every
    // token is 0.25 or less; after B, <eos> 0.9. Greedy takes A; the likelier whole output is "B".
    static Tensor Toy(long[][] prefixes)
    {
        var rows = prefixes
            .Select(p =>
                p switch
                {
                    [] => new[] { 0f, 0.45f, 0f, 0f, 0.55f },
                    [4, ..] => [0.25f, 0.25f, 0.25f, 0.25f, 0f],
                    _ => [0f, 0.05f, 0f, 0.9f, 0.05f],
                }
            )
            .SelectMany(r => r)
            .ToArray();
        return tensor(rows, [prefixes.Length, 5]).log();
    }

    [Fact]
    public void GreedyTakesTheLocallyBestFirstToken()
    {
        Torch.Init();
        var greedy = BeamSearch.Search(Toy, width: 1, maxTokens: 5, lengthPenalty: 0, eos: 3, banned: []);
        Assert.Equal(4, greedy.Tokens[0]);
    }

    [Fact]
    public void BeamSearchFindsTheLikelierWholeOutput()
    {
        Torch.Init();
        var beam = BeamSearch.Search(Toy, width: 2, maxTokens: 5, lengthPenalty: 0, eos: 3, banned: []);
        Assert.Equal([1L], beam.Tokens);
        Assert.Equal(Math.Log(0.45 * 0.9), beam.LogProbability, 5);
    }

    [Fact]
    public void BannedTokensAreNeverProduced()
    {
        Torch.Init();
        var beam = BeamSearch.Search(Toy, width: 2, maxTokens: 5, lengthPenalty: 0, eos: 3, banned: [1L]);
        Assert.DoesNotContain(1L, beam.Tokens);
    }
}
