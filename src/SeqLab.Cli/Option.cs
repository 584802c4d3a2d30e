using System.Globalization;

namespace SeqLab.Cli;

/// <summary>
/// One option a command accepts: `--name VALUE`, or a flag when <see cref="Value"/> is null. Its
/// <see cref="Default"/> is stated here once: the help text shows it and <see cref="Args"/> returns it
/// when the option is not given.
/// </summary>
public sealed record Option(string Name, string? Value, string Help, object? Default = null)
{
    /// <summary>The help line's text: the description and, when there is one, the default.</summary>
    public string Description => Default is null ? Help : $"{Help}; default {Format(Default)}";

    static string Format(object value) =>
        value switch
        {
            double d => d.ToString("G", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
}
