namespace SeqLab.Recurrent;

public sealed record RecurrentOptions(
    RecurrentFamily Family,
    int InputSize,
    int HiddenSize,
    int NumLayers = 1,
    bool Bidirectional = false,
    double Dropout = 0.0,
    bool Relu = false,
    RecurrentImpl Impl = RecurrentImpl.Fused
)
{
    public int Directions => Bidirectional ? 2 : 1;
    public int OutputSize => HiddenSize * Directions;

    /// <summary>Gates stacked in each weight matrix: 1 (RNN), 4 (LSTM: i f g o), 3 (GRU: r z n).</summary>
    public int Gates =>
        Family switch
        {
            RecurrentFamily.Lstm => 4,
            RecurrentFamily.Gru => 3,
            _ => 1,
        };
}
