using System.Globalization;

namespace SeqLab.Cli;

/// <summary>One option a command accepts: `--name VALUE`, or a flag when <see cref="Value"/> is null.</summary>
public sealed record Option(string Name, string? Value, string Help);

/// <summary>
/// A strict `--name value` parser: unknown options, missing values and malformed numbers are bad
/// usage, reported in one line that names the option and points at --help.
/// </summary>
public sealed class Args
{
    readonly string _command;
    readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    public List<string> Positionals { get; } = [];

    Args(string command) => _command = command;

    public static Args Parse(string command, string[] argv, IReadOnlyList<Option> options)
    {
        var args = new Args(command);
        var known = options.ToDictionary(o => o.Name);
        for (int i = 0; i < argv.Length; i++)
        {
            var a = argv[i];
            if (!a.StartsWith("--", StringComparison.Ordinal) || a == "--") { args.Positionals.Add(a); continue; }
            var name = a[2..];
            string? inline = null;
            int eq = name.IndexOf('=');
            if (eq >= 0) { inline = name[(eq + 1)..]; name = name[..eq]; }
            if (!known.TryGetValue(name, out var opt))
                throw new SeqLabInputException($"unknown option --{name} for `seqlab {command}`; see `seqlab {command} --help`.");
            string value;
            if (opt.Value is null)
            {
                if (inline is not null) throw new SeqLabInputException($"--{name} is a flag and takes no value.");
                value = "true";
            }
            else if (inline is not null) value = inline;
            else if (i + 1 < argv.Length) value = argv[++i];
            else throw new SeqLabInputException($"--{name} needs a value ({opt.Value}); see `seqlab {command} --help`.");
            if (!args._values.TryGetValue(name, out var list)) args._values[name] = list = [];
            list.Add(value);
        }
        return args;
    }

    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>A copy with one more option set (a default a command supplies).</summary>
    public Args With(string name, string value)
    {
        var copy = new Args(_command);
        foreach (var (k, v) in _values) copy._values[k] = [.. v];
        copy.Positionals.AddRange(Positionals);
        copy._values[name] = [value];
        return copy;
    }
    public bool Flag(string name) => Has(name);
    public string? String(string name) => _values.TryGetValue(name, out var v) ? v[^1] : null;
    public IReadOnlyList<string> All(string name) => _values.TryGetValue(name, out var v) ? v : [];

    public string Required(string name) => String(name)
        ?? throw new SeqLabInputException($"`seqlab {_command}` needs --{name}; see `seqlab {_command} --help`.");

    public long? Long(string name, long min = long.MinValue, long max = long.MaxValue)
    {
        var s = String(name);
        if (s is null) return null;
        if (!long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
            throw new SeqLabInputException($"--{name} must be a whole number (got '{s}').");
        if (v < min || v > max)
            throw new SeqLabInputException(max == long.MaxValue ? $"--{name} must be at least {min} (got {v})." : $"--{name} must be between {min} and {max} (got {v}).");
        return v;
    }

    public int? Int(string name, int min = int.MinValue, int max = int.MaxValue) => (int?)Long(name, min, max);

    public double? Double(string name, double min = double.NegativeInfinity, double max = double.PositiveInfinity, bool maxExclusive = false)
    {
        var s = String(name);
        if (s is null) return null;
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
        if (s is null) return null;
        double unit = 1;
        var number = s.Trim();
        if (number.EndsWith('s')) number = number[..^1];
        else if (number.EndsWith('m')) { unit = 60; number = number[..^1]; }
        else if (number.EndsWith('h')) { unit = 3600; number = number[..^1]; }
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v) || v <= 0)
            throw new SeqLabInputException($"--{name} must be a positive duration such as 90s, 2m or 1h (got '{s}').");
        return v * unit;
    }

    public static string Help(string usage, string summary, IReadOnlyList<Option> options)
    {
        var lines = new List<string> { $"usage: {usage}", "", summary, "", "options:" };
        var names = options.Select(o => $"--{o.Name}{(o.Value is null ? "" : " " + o.Value)}").ToList();
        int width = Math.Min(40, names.Max(n => n.Length));
        for (int i = 0; i < options.Count; i++)
            lines.Add($"  {names[i].PadRight(width)}  {options[i].Help}".TrimEnd());
        return string.Join(Environment.NewLine, lines);
    }
}
