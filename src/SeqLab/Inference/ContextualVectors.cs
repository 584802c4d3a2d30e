using SeqLab.Text;
using SeqLab.Training;

namespace SeqLab.Inference;

/// <summary>
/// The lecture's point about context, as a library call: the vector a trained model gives each token
/// of a sentence. Unlike a static embedding, "banco" gets a different vector in "me senté en el banco
/// del parque" and in "fui al banco a sacar dinero".
/// </summary>
public static class ContextualVectors
{
    public sealed record TokenVector(string Token, float[] Vector);

    public static IReadOnlyList<TokenVector> For(LoadedModel loaded, string sentence)
    {
        var tokens = loaded.Tokenizer.Tokenize(sentence);
        if (tokens.Count == 0)
            throw new SeqLabInputException("the sentence is empty; give at least one word.");
        var ids = loaded.Vocabulary.Encode(tokens);
        // BERT was pretrained on [CLS] … [SEP]: framed the same way, and the frame's own states left out.
        int first = loaded.Config.ClsSepFraming ? 1 : 0;
        if (loaded.Config.ClsSepFraming)
            ids = [Vocabulary.BosId, .. ids, Vocabulary.EosId];
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var states = loaded.Model.ContextualVectors(ids); // (T, D)
        return tokens.Select((t, i) => new TokenVector(t, states[first + i].data<float>().ToArray())).ToList();
    }

    /// <summary>
    /// A vector per word of the sentence: a word-level model's token vectors, or, for a subword model, the mean of the
    /// states of the word's pieces (a word as the byte-level or BERT pre-tokenizer splits it, without its space).
    /// </summary>
    public static IReadOnlyList<TokenVector> Words(LoadedModel loaded, string sentence)
    {
        // Each word's text and how many pieces it has, in order.
        IEnumerable<(string Word, int Pieces)> words;
        if (loaded.Tokenizer is BpeTokenizer bpe)
            words = ByteLevel
                .Words(sentence)
                .Select(w => (ByteLevel.Decode(w).Trim(), bpe.Tokenize(ByteLevel.Decode(w)).Count));
        else if (loaded.Tokenizer is WordPieceTokenizer wordPiece)
            words = wordPiece.Words(sentence).Select(w => (w.Word, w.Pieces.Length));
        else
            return For(loaded, sentence);
        var pieces = For(loaded, sentence);
        var result = new List<TokenVector>();
        int at = 0;
        foreach (var (word, n) in words)
        {
            var vectors = pieces.Skip(at).Take(n).Select(p => p.Vector).ToList();
            at += n;
            var mean = new float[vectors[0].Length];
            foreach (var v in vectors)
                for (int i = 0; i < mean.Length; i++)
                    mean[i] += v[i] / vectors.Count;
            result.Add(new TokenVector(word, mean));
        }
        return result;
    }
}
