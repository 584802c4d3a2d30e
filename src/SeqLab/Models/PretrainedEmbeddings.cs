using SeqLab.Embeddings;
using SeqLab.Text;

namespace SeqLab.Models;

/// <summary>Starts a model's input embedding from static word vectors: each vocabulary word found in the file gets its
/// vector.</summary>
public static class PretrainedEmbeddings
{
    /// <returns>how many vocabulary words (specials excluded) had a vector.</returns>
    public static int Apply(SequenceModel model, Vocabulary vocab, WordVectors vectors)
    {
        var weight = model.Embedding.weight!; // (V, E)
        if (weight.shape[1] != vectors.Dim)
            throw new SeqLabInputException(
                $"the vectors have {vectors.Dim} dimensions but the model's embedding has {weight.shape[1]}; use "
                    + $"--embed-dim {vectors.Dim}."
            );
        int found = 0;
        using var _ = no_grad();
        for (int id = Vocabulary.Specials.Length; id < vocab.Count; id++)
        {
            if (!vectors.Contains(vocab[id]))
                continue;
            weight[id] = tensor(vectors[vocab[id]].ToArray());
            found++;
        }
        return found;
    }
}
