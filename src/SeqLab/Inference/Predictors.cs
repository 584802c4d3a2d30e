using SeqLab.Data;
using SeqLab.IO;
using SeqLab.Training;

namespace SeqLab.Inference;

/// <summary>The one place that picks the predictor for a loaded model's task.</summary>
public static class Predictors
{
    /// <param name="beam">seq2seq: beam width (1 = greedy).</param>
    /// <param name="maxTokens">seq2seq: the longest output (null: twice the source plus ten).</param>
    public static IPredictor For(LoadedModel m, int beam = 4, double lengthPenalty = 0.6, int? maxTokens = null) =>
        m.Config.Task switch
        {
            TaskKind.Classify => new ClassifierPredictor(m),
            TaskKind.Seq2Seq => new Seq2SeqPredictor(m)
            {
                Beam = beam,
                LengthPenalty = lengthPenalty,
                MaxTokens = maxTokens,
            },
            TaskKind.Mlm => new MaskedLanguageModelPredictor(m),
            _ => new LanguageModelPredictor(m),
        };

    /// <summary>The generator for a language model or a seq2seq model; a classifier is refused.</summary>
    public static IGenerator GeneratorFor(LoadedModel m) =>
        m.Config.Task switch
        {
            TaskKind.Lm => new LanguageModelPredictor(m),
            TaskKind.Seq2Seq => new Seq2SeqPredictor(m),
            _ => throw new SeqLabInputException(
                $"{m.Directory} holds a {m.Config.Task.Name()} model; `seqlab generate` needs a language model "
                    + "(--task lm) or a seq2seq model"
                    + (m.Config.Task == TaskKind.Mlm ? "; a masked language model fills blanks: `seqlab predict`" : "")
                    + "."
            ),
        };
}
