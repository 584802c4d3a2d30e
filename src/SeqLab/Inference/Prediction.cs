namespace SeqLab.Inference;

/// <summary>
/// What `predict` gives for one text, whatever the task: ranked <see cref="Candidates"/> (next words,
/// or labels with <see cref="Label"/> the best), or a seq2seq <see cref="Output"/>; with a
/// <see cref="Warning"/> when the text had to be cut to the model's max length.
/// </summary>
public sealed record Prediction(
    IReadOnlyList<Candidate> Candidates,
    string? Label = null,
    string? Output = null,
    string? Warning = null
);
