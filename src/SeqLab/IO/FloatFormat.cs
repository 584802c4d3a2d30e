namespace SeqLab.IO;

/// <summary>How floating-point weights are stored in a safetensors file (spelled f32, f16, bf16).</summary>
public enum FloatFormat
{
    /// <summary>IEEE single precision, as the model computes.</summary>
    F32,

    /// <summary>IEEE half precision: half the size; 11 significant bits, range ±65 504.</summary>
    F16,

    /// <summary>bfloat16: half the size; float32's range with 8 significant bits.</summary>
    Bf16,
}
