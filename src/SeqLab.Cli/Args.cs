using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace SeqLab.Cli;

/// <summary>
/// A command's parsed arguments. System.CommandLine tokenizes and matches them against the command's
/// declared <see cref="Option"/>s; this class turns its errors into SeqLab's one-line messages (an
/// unknown option, a missing value, a stray word) and converts values strictly: a malformed or
/// out-of-range number names the option and what it must be.
/// </summary>
public sealed class Args
{
    readonly string _command;
    readonly Dictionary<string, Option> _declared;
    readonly Dictionary<string, IReadOnlyList<string>> _values = new(StringComparer.Ordinal);
    public List<string> Positionals { get; } = [];

    Args(string command, IEnumerable<Option> declared)
    {
        _command = command;
        _declared = declared.ToDictionary(o => o.Name);
    }

    /// <summary>The System.CommandLine command for a SeqLab command: its options, and its words when it takes
    /// some.</summary>
    public static Command Build(string name, string summary, IEnumerable<Option> options, bool positionals)
    {
        var command = new Command(name, summary);
        foreach (var o in options.Where(o => o.Name != "help"))
            command.Options.Add(
                o.Value is null
                    ? new Option<bool>("--" + o.Name) { Description = o.Description, Arity = ArgumentArity.Zero }
                    : new Option<string[]>("--" + o.Name)
                    {
                        Description = o.Description,
                        HelpName = o.Value,
                        Arity = ArgumentArity.OneOrMore,
                        AllowMultipleArgumentsPerToken = false,
                    }
            );
        if (positionals)
            command.Arguments.Add(new Argument<string[]>("words") { Arity = ArgumentArity.ZeroOrMore });
        return command;
    }

    /// <summary>The arguments of <paramref name="command"/> from a parse of the whole command line, or a one-line
    /// error.</summary>
    public static Args From(ParseResult result, Command command, IReadOnlyList<Option> options)
    {
        string name = command.Name;
        if (result.UnmatchedTokens.FirstOrDefault() is { } stray)
            throw new SeqLabInputException(
                stray.StartsWith('-')
                    ? $"unknown option {stray} for `seqlab {name}`; see `seqlab {name} --help`."
                    : $"unexpected argument '{stray}' for `seqlab {name}` (options start with --); see `seqlab "
                        + $"{name} --help`."
            );
        if (result.Errors.FirstOrDefault() is { } error)
        {
            var declared = options.FirstOrDefault(o =>
                error.SymbolResult is OptionResult r && r.Option.Name == "--" + o.Name
            );
            throw new SeqLabInputException(
                declared is { Value: { } value } && error.SymbolResult!.Tokens.Count == 0
                    ? $"--{declared.Name} needs a value ({value}); see `seqlab {name} --help`."
                    : $"{error.Message.TrimEnd('.')}; see `seqlab {name} --help`."
            );
        }
        var args = new Args(name, options);
        foreach (var symbol in command.Options)
        {
            if (result.GetResult(symbol) is not OptionResult { Implicit: false } r)
                continue;
            var key = symbol.Name[2..];
            args._values[key] = symbol is Option<bool> ? ["true"] : [.. r.Tokens.Select(t => t.Value)];
        }
        if (command.Arguments.FirstOrDefault() is Argument<string[]> words)
            args.Positionals.AddRange(result.GetValue(words) ?? []);
        return args;
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public bool Flag(string name) => Has(name);

    /// <summary>The option's last value, or its declared default as text, or null.</summary>
    public string? String(string name) => _values.TryGetValue(name, out var v) ? v[^1] : Declared(name)?.ToString();

    public IReadOnlyList<string> All(string name) => _values.TryGetValue(name, out var v) ? v : [];

    public string Required(string name) =>
        String(name)
        ?? throw new SeqLabInputException($"`seqlab {_command}` needs --{name}; see `seqlab {_command} --help`.");

    object? Declared(string name) => _declared.TryGetValue(name, out var o) ? o.Default : null;

    public long? Long(string name, long min = long.MinValue, long max = long.MaxValue)
    {
        if (!_values.TryGetValue(name, out var values))
            return Declared(name) is { } d ? Convert.ToInt64(d, CultureInfo.InvariantCulture) : null;
        var s = values[^1];
        if (!long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
            throw new SeqLabInputException($"--{name} must be a whole number (got '{s}').");
        if (v < min || v > max)
            throw new SeqLabInputException(
                max == long.MaxValue
                    ? $"--{name} must be at least {min} (got {v})."
                    : $"--{name} must be between {min} and {max} (got {v})."
            );
        return v;
    }

    public int? Int(string name, int min = int.MinValue, int max = int.MaxValue) => (int?)Long(name, min, max);

    public double? Double(
        string name,
        double min = double.NegativeInfinity,
        double max = double.PositiveInfinity,
        bool maxExclusive = false
    )
    {
        if (!_values.TryGetValue(name, out var values))
            return Declared(name) is { } d ? Convert.ToDouble(d, CultureInfo.InvariantCulture) : null;
        var s = values[^1];
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
            throw new SeqLabInputException($"--{name} must be a number (got '{s}').");
        if (v < min || v > max || (maxExclusive && v >= max))
            throw new SeqLabInputException($"--{name} must be in [{min}, {max}{(maxExclusive ? ")" : "]")} (got {v}).");
        return v;
    }

    /// <summary>A duration: "90", "90s", "2m", "1h" or "1.5m".</summary>
    public double? Seconds(string name)
    {
        var s = String(name);
        if (s is null)
            return null;
        double unit = 1;
        var number = s.Trim();
        if (number.EndsWith('s'))
            number = number[..^1];
        else if (number.EndsWith('m'))
        {
            unit = 60;
            number = number[..^1];
        }
        else if (number.EndsWith('h'))
        {
            unit = 3600;
            number = number[..^1];
        }
        if (
            !double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            || !double.IsFinite(v)
            || v <= 0
        )
            throw new SeqLabInputException($"--{name} must be a positive duration such as 90s, 2m or 1h (got '{s}').");
        return v * unit;
    }

    /// <summary>The help text, generated from the declared options (their values, descriptions and defaults).</summary>
    public static string Help(string usage, string summary, IReadOnlyList<Option> options)
    {
        var lines = new List<string> { $"usage: {usage}", "", summary, "", "options:" };
        var names = options.Select(o => $"--{o.Name}{(o.Value is null ? "" : " " + o.Value)}").ToList();
        int width = Math.Min(40, names.Max(n => n.Length));
        for (int i = 0; i < options.Count; i++)
            lines.Add($"  {names[i].PadRight(width)}  {options[i].Description}".TrimEnd());
        return string.Join(Environment.NewLine, lines);
    }
}
