using SeqLab.Text;
using SeqLab.Training;

namespace SeqLab.Inference;

/// <summary>A distribution over the vocabulary as ranked candidates, the same for every token predictor.</summary>
public static class TokenRanking
{
    /// <summary>The candidates as a prediction, with a note when the text was cut to the model's max length; a
    /// non-finite probability means damaged weights and is refused.</summary>
    public static Prediction Prediction(LoadedModel m, IReadOnlyList<Candidate> candidates, string? truncated)
    {
        if (candidates.Any(c => !double.IsFinite(c.Probability)))
            throw new SeqLabInputException(
                $"{m.Directory} gives non-finite probabilities; its weights are damaged. Restore them or retrain."
            );
        return new Prediction(
            candidates,
            Warning: truncated is null
                ? null
                : $"the text is longer than the model's max length ({m.Config.MaxLength} tokens); only {truncated} "
                    + "were read."
        );
    }

    /// <summary>
    /// The <paramref name="top"/> likeliest tokens of <paramref name="probs"/> (V), special tokens and &lt;mask&gt;
    /// skipped, each shown as text (a subword's bytes read as text). With <paramref name="wordsOnly"/> only tokens
    /// with a letter or digit that can begin a word count: a blank stands for a word, not for punctuation or a
    /// word's continuation ("##amo").
    /// </summary>
    public static IReadOnlyList<Candidate> Top(LoadedModel m, Tensor probs, int top, bool wordsOnly)
    {
        var (values, indices) = probs.sort(descending: true);
        var v = values.data<float>();
        var ix = indices.data<long>();
        var result = new List<Candidate>();
        for (long i = 0; i < ix.Count && result.Count < top; i++)
        {
            int id = (int)ix[i];
            if (Vocabulary.IsSpecial(id) || m.Vocabulary[id] == Vocabulary.Mask)
                continue;
            var token = m.Tokenizer.Show(m.Vocabulary[id]);
            if (wordsOnly && (!token.Any(char.IsLetterOrDigit) || !m.Tokenizer.StartsWord(m.Vocabulary[id])))
                continue;
            result.Add(new Candidate(token, v[i]));
        }
        return result;
    }
}
