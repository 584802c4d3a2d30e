using SeqLab.Data.Generated;
using SeqLab.Inference;
using SeqLab.Lab;
using SeqLab.Models;

namespace SeqLab.Tests;

/// <summary>
/// The playground's default Transformer (the long-range lab's recipe) shows the lecture's point: on the
/// lecture's sentence its top three are the languages of Switzerland and it draws on "suizos"; on cue sentences it never saw,
/// it names the cue's language.
/// </summary>
[Trait("Category", "Slow")]
// Alone: libtorch's thread count is process-wide, and a test beside it that sets another count changes the
// fixture's sums, hence its model (one CI run trained a model whose best head put "suizos" at rank 13).
[Collection("serial")]
public class PlaygroundDefaultsSpec(PlaygroundDefaultsSpec.DefaultTransformer trained)
    : IClassFixture<PlaygroundDefaultsSpec.DefaultTransformer>
{
    /// <summary>The playground's default Transformer, trained once for the class (about 10 s).</summary>
    public sealed class DefaultTransformer : IDisposable
    {
        readonly TempDir dir = new();
        public SeqLab.Training.LoadedModel Model { get; }

        public DefaultTransformer()
        {
            Torch.Init(1); // one thread: the same model whatever else runs beside it
            Model = LongRangeExperiment.Models(
                new LabSession(dir.Sub("serve"), LabScale.Small, threads: 1),
                1,
                ModelFamily.Transformer
            )[0];
        }

        public void Dispose()
        {
            Model.Model.Dispose();
            dir.Dispose();
        }
    }

    [Fact]
    public void OnTheLecturesSentenceItsTopThreeAreSwitzerlandsLanguagesAndItDrawsOnSuizos()
    {
        var m = trained.Model;
        var prediction = new ClassifierPredictor(m).Predict(LongRange.LectureSentence);
        Assert.Equal(
            ["alemán", "francés", "italiano"],
            prediction.Probabilities.Keys.Take(3).Order(StringComparer.Ordinal).ToArray()
        );

        var context = LongRange.LectureSentence[
            ..LongRange.LectureSentence.IndexOf(Blank.Marker, StringComparison.Ordinal)
        ];
        var map = AttentionMaps.For(m, context);
        int cue = map.Tokens.ToList().IndexOf("suizos");
        // Some head sends the blank to "suizos": among the three words it attends to most (the lab's rule).
        Assert.InRange(AttentionExperiment.BestHead(map, cue).Rank, 1, 3);
    }

    [Theory]
    // New compositions of the task's own words: no training example is either of them.
    [InlineData(
        "Nací en Creta y allí pasé mi infancia. Mi abuela cocinaba sopa de verduras junto al lago. Viajé por el "
            + "mundo durante mucho tiempo. A pesar del tiempo, todavía puedo hablar fluidamente [???].",
        "griego"
    )]
    [InlineData(
        "Mis primeros años transcurrieron cerca de Kioto. Trabajé muchos años como ingeniero y como profesor. El "
            + "cartero tocaba la guitarra en la plaza los domingos. Hoy, tantos años después, aún puedo hablar "
            + "fluidamente [???].",
        "japonés"
    )]
    public void OnCueSentencesItNeverSawItNamesTheCuesLanguage(string sentence, string language) =>
        Assert.Equal(language, new ClassifierPredictor(trained.Model).Predict(sentence).Label);
}
