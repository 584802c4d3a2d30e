namespace SeqLab.Models;

/// <summary>classify: how the token states become one vector (`--pooling`).</summary>
public enum Pooling
{
    Last,
    Mean,
    Max,
}
