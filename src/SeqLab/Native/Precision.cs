namespace SeqLab.Native;

/// <summary>The arithmetic of the matrix products (`--precision`): fp32, or bf16 with fp32 master weights.</summary>
public enum Precision
{
    Fp32,
    Bf16,
}
