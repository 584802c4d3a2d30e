using SeqLab.Data;
using SeqLab.IO;
using SeqLab.Models;
using SeqLab.Text;
using SeqLab.Training;

namespace SeqLab.Inference;

/// <summary>
/// Where each word looks: for a sentence and a trained Transformer, every layer's and head's
/// self-attention weights — the lecture's "path length 1" made visible. For a language model the
/// tokens start with the &lt;eos&gt; that precedes every line in training and each row sees only
/// earlier tokens; for a seq2seq model these are the encoder's maps over the source.
/// </summary>
public static class AttentionMaps
{
    /// <param name="Weights">[layer][head][query][key]; each query row sums to 1.</param>
    /// <param name="Focus">the query worth showing first: the blank (&lt;mask&gt;) of a masked language model, else
    /// the last token.</param>
    public sealed record Map(IReadOnlyList<string> Tokens, float[][][][] Weights, int Focus)
    {
        public int Layers => Weights.Length;
        public int Heads => Weights.Length == 0 ? 0 : Weights[0].Length;
    }

    public static Map For(LoadedModel loaded, string sentence)
    {
        var encoder =
            loaded.Model.Encoder as TransformerEncoder
            ?? throw new SeqLabInputException(
                $"{loaded.Directory} holds a {loaded.Config.Family.Name()} model; attention maps need a Transformer "
                    + $"(--model transformer)."
            );
        List<long> ids;
        List<string> tokens;
        int focus;
        if (loaded.Config.Task == TaskKind.Mlm && Blank.In(sentence))
        {
            // A masked language model reads both sides of the blank: the map covers the whole sentence, the blank
            // as <mask>, as the model sees it when it fills it.
            var (masked, blank, _) = new MaskedLanguageModelPredictor(loaded).Encode(sentence);
            ids = [.. masked];
            tokens = [.. loaded.Vocabulary.Decode(masked)];
            focus = blank;
        }
        else
        {
            var words = loaded.Tokenizer.Tokenize(sentence.Replace(Blank.Marker, " "));
            if (words.Count == 0)
                throw new SeqLabInputException("the sentence is empty; give at least one word.");
            ids = [.. loaded.Vocabulary.Encode(words)];
            tokens = words.Select((w, i) => ids[i] == Vocabulary.UnkId ? Vocabulary.Unk : w).ToList();
            if (loaded.Config.ClsSepFraming) // an imported BERT reads [CLS] … [SEP]
            {
                (ids, tokens) = (
                    [Vocabulary.BosId, .. ids, Vocabulary.EosId],
                    [Vocabulary.Bos, .. tokens, Vocabulary.Eos]
                );
                focus = tokens.Count - 2;
            }
            else
            {
                if (loaded.Config.Task == TaskKind.Lm)
                {
                    ids.Insert(0, Vocabulary.EosId);
                    tokens.Insert(0, Vocabulary.Eos);
                }
                focus = tokens.Count - 1;
            }
        }
        if (ids.Count > loaded.Config.MaxLength)
            throw new SeqLabInputException(
                $"the sentence has {ids.Count} tokens; this model reads at most {loaded.Config.MaxLength}. Shorten it."
            );

        var attention = encoder.Layers.Select(l => l.SelfAttention).ToList();
        bool wasTraining = loaded.Model.training;
        loaded.Model.eval();
        using var scope = NewDisposeScope();
        try
        {
            foreach (var a in attention)
                a.ReturnWeights = true;
            using (no_grad())
                loaded.Model.ContextualVectors([.. ids]);
            var weights = attention
                .Select(a =>
                {
                    var w = a.LastWeights![0]; // (H, T, T)
                    long H = w.shape[0],
                        T = w.shape[1];
                    var flat = w.to(ScalarType.Float32).data<float>().ToArray();
                    return Enumerable
                        .Range(0, (int)H)
                        .Select(h =>
                            Enumerable
                                .Range(0, (int)T)
                                .Select(q => flat.AsSpan((int)((h * T + q) * T), (int)T).ToArray())
                                .ToArray()
                        )
                        .ToArray();
                })
                .ToArray();
            return new Map(tokens, weights, focus);
        }
        finally
        {
            foreach (var a in attention)
                a.ReturnWeights = false;
            loaded.Model.train(wasTraining);
        }
    }
}
