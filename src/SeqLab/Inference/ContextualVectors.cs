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
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var states = loaded.Model.ContextualVectors(ids); // (T, D)
        return tokens.Select((t, i) => new TokenVector(t, states[i].data<float>().ToArray())).ToList();
    }
}
