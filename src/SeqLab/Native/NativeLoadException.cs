namespace SeqLab.Native;

/// <summary>libtorch failed to load; the message says which library, why, and what to do.</summary>
public sealed class NativeLoadException(string message) : Exception(message);
