namespace SeqLab.Recurrent;

/// <summary>
/// reference = our cells stepping through time in C# (the sequential loop the lecture describes);
/// fused = libtorch's nn.RNN/LSTM/GRU kernels. Same parameters, same names, same numbers.
/// </summary>
public enum RecurrentImpl
{
    Fused,
    Reference,
}
