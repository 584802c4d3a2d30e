using SeqLab.Text;
using SeqLab.Training;

namespace SeqLab.Inference;

/// <summary>
/// Fills a "[???]" blank with a masked language model (BERT's way): the blank becomes &lt;mask&gt; and the model reads
/// the words on both sides of it. "Me senté en el [???] del parque a leer" and "Fui al [???] a pedir un préstamo"
/// differ only after the blank; a causal language model, which reads up to it, cannot tell them apart.
/// </summary>
public sealed class MaskedLanguageModelPredictor(LoadedModel loaded) : IPredictor
{
    /// <summary>The ids the model reads, the blank's position among them, and whether the text had to be cut.</summary>
    public (long[] Ids, int Blank, bool Truncated) Encode(string text)
    {
        // A BERT user may write the model's own mask token ("[MASK]") for the blank.
        if (
            !Blank.In(text)
            && loaded.Tokenizer is WordPieceTokenizer { Names.Mask: var mask }
            && text.IndexOf(mask, StringComparison.Ordinal) is >= 0 and var m
        )
            text = text[..m] + Blank.Marker + text[(m + mask.Length)..];
        int at = text.IndexOf(Blank.Marker, StringComparison.Ordinal);
        if (at < 0)
            throw new SeqLabInputException(
                "a masked language model fills a blank: write [???] where the word is missing, e.g. "
                    + "--text \"Fui al [???] a pedir un préstamo\"."
            );
        var v = loaded.Vocabulary;
        // One line of the training stream: <eos> before it (the previous line's end) and after it; BERT's
        // [CLS] … [SEP] (<bos> … <eos>) for a model pretrained so.
        int opening = loaded.Config.ClsSepFraming ? Vocabulary.BosId : Vocabulary.EosId;
        var left = v.Encode(loaded.Tokenizer.Tokenize(text[..at].TrimEnd())).Prepend(opening).ToList();
        var right = v.Encode(loaded.Tokenizer.Tokenize(text[(at + Blank.Marker.Length)..].Replace(Blank.Marker, " ")));
        var ids = left.Append(v[Vocabulary.Mask]).Concat(right).Append(Vocabulary.EosId).ToArray();
        int max = loaded.Config.MaxLength;
        if (ids.Length <= max)
            return (ids, left.Count, false);
        int start = Math.Clamp(left.Count - max / 2, 0, ids.Length - max); // a window centred on the blank
        return (ids[start..(start + max)], left.Count - start, true);
    }

    public Prediction Predict(string text, int top)
    {
        if (top < 1)
            throw new SeqLabInputException($"--top must be at least 1 (got {top}).");
        var (ids, blank, truncated) = Encode(text);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        loaded.Model.eval();
        var probs = loaded.Model.call(tensor(ids, [1, ids.Length]), null)[0, blank].softmax(0); // (V)
        return TokenRanking.Prediction(
            loaded,
            TokenRanking.Top(loaded, probs, top, wordsOnly: true),
            truncated ? $"the {loaded.Config.MaxLength} tokens around the blank" : null
        );
    }
}
