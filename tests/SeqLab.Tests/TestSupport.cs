using System.Text;
using SeqLab.Native;

[assembly: Xunit.CollectionBehavior(MaxParallelThreads = 2)]

namespace SeqLab.Tests;

/// <summary>A temporary folder per test, deleted afterwards.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("seqlab-test-").FullName;
    public string File(string name, string content)
    {
        var p = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllText(p, content, new UTF8Encoding(false));
        return p;
    }
    public string Bytes(string name, byte[] content)
    {
        var p = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllBytes(p, content);
        return p;
    }
    public string Sub(string name) => System.IO.Path.Combine(Path, name);
    public void Dispose() { try { Directory.Delete(Path, recursive: true); } catch (IOException) { } }
}

public static class Torch
{
    public static void Init(int threads = 1) => TorchRuntime.SetThreads(threads);
}

/// <summary>Small generated corpora with known structure.</summary>
public static class Corpora
{
    /// <summary>A highly repetitive Spanish text: a handful of sentences in random order.</summary>
    public static string Repetitive(int lines = 400, int seed = 1)
    {
        string[] sentences =
        [
            "me senté en el banco del parque .",
            "fui al banco a sacar dinero .",
            "el perro come su comida en la cocina .",
            "la niña lee un libro en el jardín .",
            "crecí en un pueblo de los alpes suizos .",
            "todavía puedo hablar fluidamente alemán .",
        ];
        var rng = new Random(seed);
        return string.Join("\n", Enumerable.Range(0, lines).Select(_ => sentences[rng.Next(sentences.Length)])) + "\n";
    }

    /// <summary>
    /// Classification TSV whose label is fixed by one word near the end of the text; the other words
    /// are random filler shared by all labels.
    /// </summary>
    public static string KeywordNearEnd(int examples, int seed)
    {
        string[] filler = ["casa", "perro", "árbol", "cielo", "libro", "mesa", "camino", "río", "nube", "piedra", "campo", "puerta"];
        (string Label, string Word)[] classes = [("norte", "frío"), ("sur", "calor"), ("este", "sol")];
        var rng = new Random(seed);
        var lines = new List<string>();
        for (int i = 0; i < examples; i++)
        {
            var c = classes[rng.Next(classes.Length)];
            var words = Enumerable.Range(0, rng.Next(6, 12)).Select(_ => filler[rng.Next(filler.Length)]).ToList();
            words.Add(c.Word);
            words.Add(filler[rng.Next(filler.Length)]);
            lines.Add($"{c.Label}\t{string.Join(' ', words)}");
        }
        return string.Join("\n", lines) + "\n";
    }
}

/// <summary>The repository checkout the tests were built from, and running other programs in it.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (System.IO.File.Exists(System.IO.Path.Combine(d.FullName, "SeqLab.slnx"))) return d.FullName;
        throw new InvalidOperationException($"no SeqLab.slnx above {AppContext.BaseDirectory}");
    }

    public sealed record Output(int ExitCode, string Text);

    /// <summary>
    /// NuGet caches a package by id and version in the global packages folder: drop an earlier build of
    /// this version (one that SeqLab's own tests packed) so that the package just packed is the one used.
    /// </summary>
    public static void ForgetCachedPackage(string id, string version)
    {
        var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var cached = System.IO.Path.Combine(root, id.ToLowerInvariant(), version);
        if (Directory.Exists(cached)) Directory.Delete(cached, recursive: true);
    }

    /// <summary>Runs a program to its end (stdout and stderr together), failing the test after <paramref name="timeout"/>.</summary>
    public static Output Run(string file, IEnumerable<string> args, string workingDirectory, TimeSpan timeout, IDictionary<string, string>? env = null)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(file, args)
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var p = System.Diagnostics.Process.Start(psi)!;
        var text = new StringBuilder();
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (text) text.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (text) text.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} ran past {timeout}: {text}");
        }
        p.WaitForExit();
        lock (text) return new Output(p.ExitCode, text.ToString());
    }
}
