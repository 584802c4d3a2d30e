namespace SeqLab.Lab;

/// <summary>How long a model of the lab has been trained, over every run that trained it.</summary>
public sealed record TrainedFor(long Steps, double Seconds, bool Continued);
