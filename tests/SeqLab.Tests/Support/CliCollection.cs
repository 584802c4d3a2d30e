namespace SeqLab.Tests;

[CollectionDefinition("cli", DisableParallelization = true)]
public sealed class CliCollection;
