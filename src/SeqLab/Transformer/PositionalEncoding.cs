using TorchSharp.Modules;

namespace SeqLab.Transformer;

/// <summary>
/// Attention itself ignores order, so position is added to each token's embedding. Sinusoidal (the
/// paper, §3.5): PE(pos, 2i) = sin(pos / 10000^(2i/d)), PE(pos, 2i+1) = cos(pos / 10000^(2i/d));
/// or learned: one trained vector per position.
/// </summary>
public sealed class PositionalEncoding : nn.Module<Tensor, Tensor>
{
    readonly Embedding? learned; // for the learned kind
    public int MaxLength { get; }

    public PositionalEncoding(int modelDim, int maxLength, bool learnedPositions = false)
        : base(nameof(PositionalEncoding))
    {
        MaxLength = maxLength;
        if (learnedPositions)
            learned = nn.Embedding(maxLength, modelDim);
        else
        {
            var position = arange(maxLength, dtype: ScalarType.Float32).unsqueeze(1); // (L, 1)
            // 1 / 10000^(2i/d) for i = 0 … ⌈d/2⌉ − 1
            var frequency = exp(arange(0, modelDim, 2, dtype: ScalarType.Float32) * (-Math.Log(10000.0) / modelDim));
            var pe = zeros(maxLength, modelDim);
            pe[.., TensorIndex.Slice(0, null, 2)] = sin(position * frequency);
            pe[.., TensorIndex.Slice(1, null, 2)] = cos(position * frequency)[.., ..(modelDim / 2)];
            // A non-persistent buffer, not a field: it moves with the module but is not a weight to save.
            register_buffer("pe", pe, persistent: false);
        }
        RegisterComponents();
    }

    /// <summary>x (B, T, d) → x + PE[:T].</summary>
    public override Tensor forward(Tensor x) => At(x, 0);

    /// <summary>x (B, T, d) at positions <paramref name="offset"/> … offset + T − 1 (the newest tokens of a cached
    /// decode).</summary>
    public Tensor At(Tensor x, long offset)
    {
        long t = x.shape[1];
        if (offset + t > MaxLength)
            throw new SeqLabInputException(
                $"the input has {offset + t} tokens but the model handles at most {MaxLength} (max_length); shorten it."
            );
        return learned is not null
            ? x + learned.call(arange(offset, offset + t, device: x.device)).unsqueeze(0)
            : x + get_buffer("pe")![(int)offset..(int)(offset + t)].to(x.dtype).unsqueeze(0);
    }
}
