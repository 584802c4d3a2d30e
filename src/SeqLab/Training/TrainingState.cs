namespace SeqLab.Training;

/// <summary>Where a run stands: enough to resume it exactly.</summary>
public sealed class TrainingState
{
    public long Step { get; set; }
    public int Epoch { get; set; }
    public int BatchInEpoch { get; set; }
    public double BestValidLoss { get; set; } = double.PositiveInfinity;
    public long BestStep { get; set; }
    public int EvalsWithoutImprovement { get; set; }
    public double ElapsedSeconds { get; set; }
}
