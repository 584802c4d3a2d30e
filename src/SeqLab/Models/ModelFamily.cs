namespace SeqLab.Models;

/// <summary>The lecture's architectures (`--model`).</summary>
public enum ModelFamily
{
    Rnn,
    Lstm,
    Gru,
    Transformer,
}
