using SeqLab.IO;

namespace SeqLab.Cli;

/// <summary>
/// One command-line option bound to a property of <typeparamref name="T"/> (a model config or training
/// options): its help text shows the default read from a fresh <typeparamref name="T"/>, so a default
/// is stated once, in the library; applying it records the setting's config key as given.
/// </summary>
public sealed record Setting<T>(Option Option, string Key, Action<Args, T> Set)
    where T : new()
{
    static readonly T Defaults = new();

    public void Apply(Args a, T target, ISet<string> given)
    {
        if (!a.Has(Option.Name))
            return;
        Set(a, target);
        given.Add(Key);
    }

    static string Help(string help, object? value) => value is null ? help : $"{help}; default {value}";

    public static Setting<T> Int(
        string name,
        string key,
        string help,
        Func<T, int> get,
        Action<T, int> set,
        int min = 1,
        int max = int.MaxValue,
        string value = "N"
    ) => new(new Option(name, value, Help(help, get(Defaults))), key, (a, t) => set(t, a.Int(name, min, max)!.Value));

    public static Setting<T> Double(
        string name,
        string key,
        string help,
        Func<T, double> get,
        Action<T, double> set,
        double min,
        double max = double.PositiveInfinity,
        bool maxExclusive = false,
        string value = "X"
    ) =>
        new(
            new Option(name, value, Help(help, get(Defaults))),
            key,
            (a, t) => set(t, a.Double(name, min, max, maxExclusive)!.Value)
        );

    public static Setting<T> Flag(string name, string key, string help, Action<T> set) =>
        new(new Option(name, null, help), key, (_, t) => set(t));

    public static Setting<T> Enum<TEnum>(string name, string key, string help, Func<T, TEnum> get, Action<T, TEnum> set)
        where TEnum : struct, System.Enum =>
        new(
            new Option(name, string.Join("|", Spelling.All<TEnum>()), Help(help, get(Defaults).Name())),
            key,
            (a, t) => set(t, Spelling.Parse<TEnum>(key == "family" ? "model" : key, a.String(name)!))
        );
}
