namespace SeqLab.Transformer;

/// <summary>What every encoder and decoder layer of a stack shares: d_model, heads, the feed-forward size, dropout,
/// pre- or post-LN, the feed-forward nonlinearity and the LayerNorms' ε.</summary>
public sealed record LayerSettings(
    int ModelDim,
    int Heads,
    int FfDim,
    double Dropout,
    bool NormFirst = false,
    Activation Activation = Activation.Relu,
    double Eps = 1e-5
);
