using SeqLab.Models;

namespace SeqLab.Tests.Architecture;

/// <summary>
/// The folder rule of docs/ARCHITECTURE.md: Text ← Data ← Models ← Training ← Inference ← Lab/Bench
/// (← the CLI, another assembly). A folder uses only folders of a lower layer; the foundation (the
/// root namespace, IO and Native) may be used from anywhere and uses nothing above it.
/// </summary>
public class LayeringSpec
{
    /// <summary>Each folder's layer; folders in one layer are peers and do not use each other.</summary>
    public static readonly IReadOnlyDictionary<string, int> Layers = new Dictionary<string, int>
    {
        [""] = 0,
        ["IO"] = 0,
        ["Native"] = 0,
        ["Figures"] = 0,
        ["Text"] = 1,
        ["Data"] = 2,
        ["Embeddings"] = 3,
        ["Recurrent"] = 3,
        ["Attention"] = 3,
        ["Transformer"] = 4,
        ["Models"] = 5,
        ["Training"] = 6,
        ["Inference"] = 7,
        ["Lab"] = 8,
        ["Bench"] = 8,
    };

    /// <summary>"SeqLab.Data.Generated.LongRange" → "Data"; the root namespace → "".</summary>
    static string Folder(Type t)
    {
        var parts = (t.Namespace ?? "").Split('.');
        return parts.Length > 1 ? parts[1] : "";
    }

    static bool MayUse(string from, string to) => from == to || Layers[to] == 0 || Layers[to] < Layers[from];

    static IEnumerable<Type> LibraryTypes() =>
        typeof(ModelConfig)
            .Assembly.GetTypes()
            .Where(t => t.Namespace?.StartsWith("SeqLab", StringComparison.Ordinal) == true);

    [Fact]
    public void EveryFolderHasALayer()
    {
        var unknown = LibraryTypes().Select(Folder).Distinct().Where(f => !Layers.ContainsKey(f)).ToList();
        Assert.True(unknown.Count == 0, $"folders without a layer: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void DependenciesPointOnlyDown()
    {
        var library = typeof(ModelConfig).Assembly;
        var violations = (
            from type in LibraryTypes()
            from used in TypeDependencies.Of(type)
            where used.Assembly == library && used.Namespace?.StartsWith("SeqLab", StringComparison.Ordinal) == true
            let source = Folder(type)
            let target = Folder(used)
            where Layers.ContainsKey(source) && Layers.ContainsKey(target) && !MayUse(source, target)
            select $"{source} → {target}: {Outer(type).FullName} uses {Outer(used).FullName}"
        )
            .Distinct()
            .Order()
            .ToList();
        Assert.True(violations.Count == 0, "arrows that point up or sideways:\n" + string.Join("\n", violations));
    }

    static Type Outer(Type t) => t.DeclaringType is { } d ? Outer(d) : t;
}
