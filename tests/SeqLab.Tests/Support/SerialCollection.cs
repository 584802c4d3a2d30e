namespace SeqLab.Tests;

/// <summary>Runs alone: the live-tensor count is process-wide, so parallel tests would disturb it.</summary>
[CollectionDefinition("serial", DisableParallelization = true)]
public sealed class SerialCollection;
