namespace SeqLab.Lab;

/// <summary>What the numbers say about the lecture's claim, by a rule written beside it.</summary>
public enum Verdict
{
    Supported,
    NotSupported,
    Inconclusive,
}
