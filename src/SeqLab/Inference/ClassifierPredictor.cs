using SeqLab.Text;
using SeqLab.Training;

namespace SeqLab.Inference;

/// <summary>
/// Labels a text with a trained classifier: the best label and every label's probability. A text with a
/// [???] blank is read up to the blank: the label is what fills it (the lab's long-range classifiers).
/// </summary>
public sealed class ClassifierPredictor(LoadedModel loaded) : IPredictor
{
    public sealed record Labels(string Label, IReadOnlyDictionary<string, double> Probabilities, bool Truncated);

    public Labels Predict(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new SeqLabInputException("the text is empty; give a text to classify (--text \"…\").");
        if (Blank.LeftOf(text) is { } left && !string.IsNullOrWhiteSpace(left))
            text = left;
        var ids = loaded.Vocabulary.Encode(loaded.Tokenizer.Tokenize(text));
        if (ids.Length == 0)
            ids = [Vocabulary.UnkId];
        bool truncated = ids.Length > loaded.Config.MaxLength;
        if (truncated)
            ids = ids[..loaded.Config.MaxLength];
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var probs = loaded.Model.call(tensor(ids, [1, ids.Length]), null)[0].softmax(0).data<float>().ToArray();
        var labels = loaded.Config.Labels;
        var table = labels
            .Select((l, i) => (l, (double)probs[i]))
            .OrderByDescending(p => p.Item2)
            .ToDictionary(p => p.l, p => p.Item2);
        return new Labels(table.First().Key, table, truncated);
    }

    Prediction IPredictor.Predict(string text, int top)
    {
        var p = Predict(text);
        int max = loaded.Config.MaxLength;
        return new Prediction(
            [.. p.Probabilities.Take(top).Select(l => new Candidate(l.Key, l.Value))],
            p.Label,
            Warning: p.Truncated
                ? $"the text is longer than the model's max length ({max} tokens); only its first {max} tokens were "
                    + $"read."
                : null
        );
    }
}
