namespace SeqLab.Inference;

/// <summary>
/// How to produce text. Null <see cref="MaxTokens"/> and <see cref="Temperature"/> take the model's
/// own defaults: 30 tokens at temperature 0.8 for a language model; for seq2seq, twice the source plus
/// ten, greedy (or beam search). A temperature above 0 samples; <see cref="Beam"/> above 1 searches.
/// </summary>
public sealed record GenerationOptions(
    int? MaxTokens = null,
    double? Temperature = null,
    int TopK = 0,
    double TopP = 1.0,
    int Seed = 1,
    int Beam = 1,
    double LengthPenalty = 0.6
);
