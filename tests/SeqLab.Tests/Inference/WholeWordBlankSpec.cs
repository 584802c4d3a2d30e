using SeqLab.Inference;
using SeqLab.Models;
using SeqLab.Text;
using SeqLab.Training;

namespace SeqLab.Tests;

/// <summary>A subword language model fills a [???] blank with whole words, scored over all their pieces.</summary>
public class WholeWordBlankSpec
{
    [Fact]
    public void ABlankIsFilledWithWholeWordsThatMaySpanPieces()
    {
        using var dir = new TempDir();
        var config = new ModelConfig
        {
            Tokenizer = TokenizerKind.Bpe,
            BpeVocabSize = 270,
            EmbedDim = 64,
            HiddenSize = 64,
            Dropout = 0,
        };
        var options = new TrainingOptions
        {
            Steps = 500,
            SeqLen = 32,
            BatchSize = 16,
            EvalInterval = 500,
            LearningRate = 1e-2,
            WarmupSteps = 5,
        };
        var (model, _) = TestModels.Train(
            config,
            options,
            dir.File("c.txt", Corpora.Repetitive(400)),
            null,
            dir.Sub("m")
        );
        var candidates = new LanguageModelPredictor(model).Predict("todavía puedo hablar fluidamente [???]", 5);
        Assert.All(candidates, c => Assert.True(c.Token.All(char.IsLetter), $"'{c.Token}' is not a whole word"));
        Assert.True(
            candidates[0].Token == "alemán",
            string.Join(", ", candidates.Select(c => $"{c.Token} {c.Probability:P0}"))
                + " | "
                + string.Join("|", model.Tokenizer.Tokenize(" alemán"))
        );
        Assert.True(
            model.Tokenizer.Tokenize(" alemán").Count >= 2,
            "with 270 tokens, 'alemán' should take several pieces"
        );
        Assert.InRange(candidates.Sum(c => c.Probability), 0, 1 + 1e-6);
    }
}
