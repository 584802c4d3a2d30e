namespace SeqLab.Transformer;

/// <summary>The feed-forward network's nonlinearity: the paper's ReLU, or BERT's GELU (exact, with erf).</summary>
public enum Activation
{
    Relu,
    Gelu,
}
