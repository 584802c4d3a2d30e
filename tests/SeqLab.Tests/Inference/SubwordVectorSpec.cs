using SeqLab.Embeddings;
using SeqLab.Inference;
using SeqLab.Models;
using SeqLab.Text;
using SeqLab.Training;

namespace SeqLab.Tests;

/// <summary>With a subword model, the "banco" probe reads each word's vector as the mean of its pieces' states.</summary>
public class SubwordVectorSpec
{
    [Fact]
    public void ASubwordModelGivesOneVectorPerWordThatDependsOnContext()
    {
        using var dir = new TempDir();
        var config = new ModelConfig
        {
            Tokenizer = TokenizerKind.Bpe,
            BpeVocabSize = 280,
            EmbedDim = 16,
            HiddenSize = 16,
        };
        var options = new TrainingOptions
        {
            Steps = 30,
            SeqLen = 16,
            BatchSize = 8,
            EvalInterval = 30,
        };
        var (model, _) = TestModels.Train(
            config,
            options,
            dir.File("c.txt", Corpora.Repetitive(200)),
            null,
            dir.Sub("m")
        );
        var park = ContextualVectors.Words(model, "me senté en el banco del parque");
        var money = ContextualVectors.Words(model, "fui al banco a sacar dinero");
        Assert.Equal(["me", "senté", "en", "el", "banco", "del", "parque"], park.Select(w => w.Token));
        Assert.Equal(16, park[4].Vector.Length);
        double cosine = WordVectors.Cosine(park[4].Vector, money[2].Vector);
        Assert.True(cosine < 1 - 1e-4, $"the two 'banco' vectors are the same (cosine {cosine})");
    }
}
