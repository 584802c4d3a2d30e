using SeqLab.Cli;

namespace SeqLab.Tests;

[CollectionDefinition("cli", DisableParallelization = true)]
public sealed class CliCollection;
