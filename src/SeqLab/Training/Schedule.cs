namespace SeqLab.Training;

/// <summary>The learning-rate schedule after linear warmup (`--schedule`).</summary>
public enum Schedule
{
    Constant,
    Cosine,
    Noam,
}
