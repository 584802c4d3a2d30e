namespace SeqLab.Inference;

/// <summary>A token (or label) and its probability.</summary>
public sealed record Candidate(string Token, double Probability);
