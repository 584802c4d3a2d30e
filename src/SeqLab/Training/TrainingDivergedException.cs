namespace SeqLab.Training;

/// <summary>Training diverged (NaN or infinite loss or gradient); the last good checkpoint is untouched.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);
