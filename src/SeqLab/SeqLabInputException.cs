namespace SeqLab;

/// <summary>
/// Bad input from the user (a file, an option, a checkpoint): the message is one sentence that says
/// what was wrong, where, and what to do. The CLI maps it to exit code 2 without a stack trace.
/// </summary>
public sealed class SeqLabInputException(string message) : Exception(message);
