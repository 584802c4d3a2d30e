using SeqLab.Embeddings;
using SeqLab.Inference;

namespace SeqLab.Tests;

/// <summary>With a subword model, the "banco" probe reads each word's vector as the mean of its pieces' states.</summary>
public class SubwordVectorSpec
{
    [Fact]
    public void ASubwordModelGivesOneVectorPerWordThatDependsOnContext()
    {
        using var dir = new TempDir();
        var model = TestModels.TinyBpe(dir);
        var park = ContextualVectors.Words(model, "me senté en el banco del parque");
        var money = ContextualVectors.Words(model, "fui al banco a sacar dinero");
        Assert.Equal(["me", "senté", "en", "el", "banco", "del", "parque"], park.Select(w => w.Token));
        Assert.Equal(16, park[4].Vector.Length);
        double cosine = WordVectors.Cosine(park[4].Vector, money[2].Vector);
        Assert.True(cosine < 1 - 1e-4, $"the two 'banco' vectors are the same (cosine {cosine})");
    }
}
