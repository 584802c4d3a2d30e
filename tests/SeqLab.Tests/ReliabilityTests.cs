using SeqLab.Data;
using System.Diagnostics;
using System.Text;
using CsCheck;
using SeqLab.Models;
using SeqLab.Native;
using SeqLab.Text;
using SeqLab.Training;
using static TorchSharp.torch;

namespace SeqLab.Tests;

/// <summary>Bad input of every kind: exit 2, one line naming the culprit, no stack trace, nothing written.</summary>
[Collection("cli")]
public class BadInputMatrixSpec
{
    public static IEnumerable<object[]> Cases() =>
    [
        ["folder without .txt", (Func<TempDir, string[]>)(d => Train(d, Directory.CreateDirectory(d.Sub("empty-folder")).FullName)), "no .txt files"],
        ["binary file", (Func<TempDir, string[]>)(d => Train(d, d.Bytes("b.txt", [0x7F, 0x45, 0x4C, 0x46, 0x00, 0x01, 0x0A]))), "binary"],
        ["50 MB single line", (Func<TempDir, string[]>)(d => Train(d, d.File("long.txt", new string('a', 50_000_000)))), "longer than"],
        ["TSV without a tab", (Func<TempDir, string[]>)(d => Classify(d, "norte\tfrío\nsur calor\n")), ":2: no tab"],
        ["TSV empty label", (Func<TempDir, string[]>)(d => Classify(d, "norte\tfrío\n\tcalor\n")), ":2: the label is empty"],
        ["TSV extra column", (Func<TempDir, string[]>)(d => Classify(d, "norte\tfrío\tx\n")), ":1: 3 tab-separated columns"],
        ["JSONL broken line", (Func<TempDir, string[]>)(d => ["train", "--task", "classify", "--data", d.File("c.jsonl", "{\"text\": \"a\", \"label\": \"x\"}\n{\"text\": \"b\", \n"), "--out", d.Sub("m")]), ":2: broken JSON"],
        ["unknown task", (Func<TempDir, string[]>)(d => [.. Train(d, Text(d)), "--task", "translate"]), "unknown task 'translate'"],
        ["unknown impl", (Func<TempDir, string[]>)(d => [.. Train(d, Text(d)), "--impl", "cuda"]), "unknown impl 'cuda'"],
        ["zero batch", (Func<TempDir, string[]>)(d => [.. Train(d, Text(d)), "--batch-size", "0"]), "--batch-size"],
        ["seq-len 0", (Func<TempDir, string[]>)(d => [.. Train(d, Text(d)), "--seq-len", "0"]), "--seq-len"],
        ["dropout 1.5", (Func<TempDir, string[]>)(d => [.. Train(d, Text(d)), "--dropout", "1.5"]), "--dropout"],
        ["non-numeric steps", (Func<TempDir, string[]>)(d => [.. Train(d, Text(d)), "--steps", "many"]), "--steps must be a whole number"],
        ["heads not dividing d_model", (Func<TempDir, string[]>)(d => [.. Train(d, Text(d)), "--model", "transformer", "--hidden-size", "10", "--embed-dim", "10", "--heads", "3"]), "heads (3) must divide"],
        ["config wrong type", (Func<TempDir, string[]>)(d => [.. Train(d, Text(d)), "--config", d.File("c.json", "{\"model\": {\"hidden_size\": \"big\"}}")]), "invalid value at $.model.hidden_size"],
        ["resume changing the family", (Func<TempDir, string[]>)(d => ["train", "--resume", d.Sub("m"), "--data", Text(d), "--model", "gru"]), "--model cannot change when resuming"],
        ["checkpoint that does not exist", (Func<TempDir, string[]>)(d => ["eval", "--model", d.Sub("nothing"), "--data", Text(d)]), "does not exist"],
    ];

    static string Text(TempDir d) => File.Exists(d.Sub("c.txt")) ? d.Sub("c.txt") : d.File("c.txt", Corpora.Repetitive(50));
    static string[] Train(TempDir d, string data) => ["train", "--data", data, "--out", d.Sub("m"), "--steps", "1"];
    static string[] Classify(TempDir d, string tsv) => ["train", "--task", "classify", "--data", d.File("c.tsv", tsv), "--out", d.Sub("m")];

    [Theory]
    [MemberData(nameof(Cases))]
    public void IsRejectedWithOneClearLineAndNothingWritten(string name, Func<TempDir, string[]> args, string mentions)
    {
        using var dir = new TempDir();
        var argv = args(dir);
        var before = Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.GetLastWriteTimeUtc);
        var r = CliRunner.Run(argv);
        Assert.True(r.ExitCode == 2, $"{name}: exit {r.ExitCode}, stderr {r.Stderr}");
        Assert.Single(r.ErrorLines);
        Assert.Contains(mentions, r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
        var after = Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.GetLastWriteTimeUtc);
        Assert.Equal(before, after);
    }

    [Fact]
    public void ACheckpointWithAnotherRunsVocabularyIsRefused()
    {
        using var dir = new TempDir();
        foreach (var (name, lines) in new[] { ("a", 50), ("b", 400) })
            Assert.Equal(0, CliRunner.Run("train", "--data", dir.File($"{name}.txt", Corpora.Repetitive(lines, seed: lines) + (name == "b" ? "palabras nuevas aquí aquí nuevas palabras\n" : "")),
                "--out", dir.Sub(name), "--steps", "1", "--hidden-size", "8", "--embed-dim", "8", "--min-count", "1", "--threads", "1").ExitCode);
        File.Copy(Path.Combine(dir.Sub("b"), "vocab.json"), Path.Combine(dir.Sub("a"), "vocab.json"), overwrite: true);
        var r = CliRunner.Run("predict", "--model", dir.Sub("a"), "--text", "hola");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("vocab.json", r.Stderr);
        Assert.Single(r.ErrorLines);
    }

    [Fact]
    public void PredictTruncatesAnOverlongContextWithAWarning()
    {
        using var dir = new TempDir();
        var data = dir.File("c.txt", Corpora.Repetitive(50));
        Assert.Equal(0, CliRunner.Run("train", "--data", data, "--out", dir.Sub("m"), "--steps", "2", "--hidden-size", "8", "--embed-dim", "8", "--max-length", "6", "--threads", "1").ExitCode);
        var r = CliRunner.Run("predict", "--model", dir.Sub("m"), "--text", "me senté en el banco del parque y fui al banco a sacar dinero");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("only its last 6 tokens were read", r.Stderr);
    }

    [Fact]
    public void ADivergingRunStopsNamingTheStepAndKeepsTheLastGoodCheckpoint()
    {
        using var dir = new TempDir();
        var data = dir.File("c.txt", Corpora.Repetitive(200));
        var r = CliRunner.Run("train", "--data", data, "--out", dir.Sub("m"), "--lr", "1e30", "--warmup", "0", "--steps", "50", "--eval-interval", "1",
            "--config", dir.File("c.json", "{\"training\": {\"clip_norm\": 0}}"), "--hidden-size", "8", "--embed-dim", "8", "--threads", "1");
        Assert.Equal(1, r.ExitCode);
        Assert.Matches("diverged at step [0-9]+", r.Stderr);
        Assert.Contains("--lr", r.Stderr);
        if (File.Exists(Path.Combine(dir.Sub("m"), Checkpoint.ManifestFile))) Checkpoint.Load(dir.Sub("m"), best: false);   // loads, or throws
    }
}

/// <summary>Checkpoints survive a SIGKILL at any moment: the last good one always loads.</summary>
[Trait("Category", "Slow")]
public class CrashSpec
{
    [Fact]
    public void KillingTrainingAtRandomMomentsAlwaysLeavesALoadableCheckpoint()
    {
        Torch.Init();
        using var dir = new TempDir();
        var data = dir.File("c.txt", Corpora.Repetitive(400));
        var cli = Path.Combine(AppContext.BaseDirectory, "SeqLab.Cli.dll");
        var rng = new Random(7);
        int loaded = 0;
        for (int attempt = 0; attempt < 4; attempt++)
        {
            var outDir = dir.Sub($"m{attempt}");
            var start = new ProcessStartInfo("dotnet", [cli, "train", "--data", data, "--out", outDir, "--steps", "100000", "--eval-interval", "1",
                "--hidden-size", "16", "--embed-dim", "16", "--seq-len", "16", "--batch-size", "4", "--threads", "1"])
            { RedirectStandardError = true, RedirectStandardOutput = true };
            using var p = Process.Start(start)!;
            Thread.Sleep(rng.Next(1500, 4000));                     // start-up, then checkpoints every step
            p.Kill(entireProcessTree: true);                       // SIGKILL: no cleanup runs
            p.WaitForExit();
            if (!File.Exists(Path.Combine(outDir, Checkpoint.ManifestFile))) continue;   // killed before the first save
            using var _ = Checkpoint.Load(outDir, best: false).Model;
            loaded++;
        }
        Assert.True(loaded >= 2, $"only {loaded} of 4 runs had saved a checkpoint before the kill");
    }
}

/// <summary>Runs alone: the live-tensor count is process-wide, so parallel tests would disturb it.</summary>
[CollectionDefinition("serial", DisableParallelization = true)]
public sealed class SerialCollection;

/// <summary>Thousands of steps leave the number of live native tensors unchanged.</summary>
[Trait("Category", "Slow")]
[Collection("serial")]
public class LeakSpec
{
    [Fact]
    public void TrainingStepsDoNotGrowTheLiveTensorCount()
    {
        Torch.Init();
        manual_seed(1);
        var config = new ModelConfig { Family = ModelFamily.Gru, EmbedDim = 8, HiddenSize = 8, VocabSize = 30 };
        using var model = ModelFactory.Create(config);
        var options = new TrainingOptions();
        var parameters = model.UniqueParameters();
        var optimizer = TrainingStep.Optimizer(options, parameters);
        var batch = new Batch(Enumerable.Range(0, 16).Select(i => (long)(4 + i % 20)).ToArray(), Enumerable.Range(0, 16).Select(i => (long)(5 + i % 20)).ToArray(), [8, 8], 2, 8);
        long at100 = 0;
        for (int step = 1; step <= 3000; step++)
        {
            using (NewDisposeScope()) TrainingStep.Run(model, batch, optimizer, parameters, 1e-3, options);
            if (step == 100) at100 = LiveTensors();
        }
        Assert.Equal(at100, LiveTensors());
    }

    /// <summary>Tensors still alive once earlier tests' unreferenced ones have been finalized.</summary>
    static long LiveTensors()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return Tensor.TotalCount;
    }
}

/// <summary>Properties over generated input (CsCheck).</summary>
public class PropertySpec
{
    static readonly Gen<string> AnyText = Gen.String[Gen.Char, 0, 60];
    static readonly string[] Pieces = ["banco", "año", "¿qué", "hola!", "3,14", "l'home", "sacar-dinero", "niño", "«cita»", "tú"];
    static readonly Gen<string> Words = Gen.Int[0, Pieces.Length - 1].Array[0, 12].Select(a => string.Join(' ', a.Select(i => Pieces[i])));

    [Fact]
    public void TokenizersNeverThrowOnArbitraryUnicode() =>
        AnyText.Sample(text =>
        {
            new WordTokenizer().Tokenize(text);
            new CharTokenizer().Tokenize(text);
        }, iter: 2000);

    [Fact]
    public void DetokenizingKeepsTheWords() =>
        Words.Sample(text =>
        {
            var tokenizer = new WordTokenizer();
            var tokens = tokenizer.Tokenize(text);
            Assert.Equal(tokens, tokenizer.Tokenize(tokenizer.Detokenize(tokens)));
        }, iter: 500);

    [Fact]
    public void VocabularyEncodeDecodeRoundTrips() =>
        Gen.String[Gen.Char.AlphaNumeric, 1, 6].Array[1, 40].Sample(words =>
        {
            var vocab = Vocabulary.Build(words);
            var ids = vocab.Encode(words);
            Assert.Equal(words, ids.Select(i => vocab[(int)i]));
        }, iter: 300);

    [Fact]
    public void LanguageModelBatchingNeverDropsOrDuplicatesTokens() =>
        Gen.Select(Gen.Int[2, 400], Gen.Int[1, 20], Gen.Int[1, 6], (n, seqLen, batch) => (n, seqLen, batch)).Sample(t =>
        {
            var stream = Enumerable.Range(0, t.n).Select(i => (long)i + 4).ToArray();
            var seen = LanguageModelData.Batches(stream, t.seqLen, t.batch)
                .SelectMany(b => Enumerable.Range(0, b.Rows).SelectMany(r => Enumerable.Range(0, (int)b.Lengths[r]).Select(c => b.Inputs[r * b.Columns + c]))).ToList();
            Assert.Equal(seen.Count, seen.Distinct().Count());                        // no token read twice as an input
            Assert.True(seen.Count >= t.n - 1 - (t.n - 1) % t.seqLen, $"{seen.Count} of {t.n} tokens used");   // at most a final partial window is left
        }, iter: 300);
}

/// <summary>When libtorch cannot load, the message names the library and the loader's reason.</summary>
public class NativeLoadSpec
{
    static string NativeDir() => Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");

    /// <summary>libtorch and everything it loads from its own folder (libgomp, …), but not the shim under test.</summary>
    static void LinkLibtorch(string native)
    {
        foreach (var lib in Directory.GetFiles(NativeDir()).Where(f => Path.GetFileName(f) != "libLibTorchSharp.so"))
            File.CreateSymbolicLink(Path.Combine(native, Path.GetFileName(lib)), lib);
    }

    [Fact]
    public void AMissingDependencyIsNamed()
    {
        using var dir = new TempDir();
        var native = Directory.CreateDirectory(Path.Combine(dir.Path, "runtimes", "linux-x64", "native")).FullName;
        File.Copy(Path.Combine(NativeDir(), "libLibTorchSharp.so"), Path.Combine(native, "libLibTorchSharp.so"));
        var message = TorchRuntime.Diagnose(dir.Path);
        Assert.Contains("libc10.so is missing", message);
    }

    [Fact]
    public void ABrokenShimIsNamedWithTheLoadersReason()
    {
        using var dir = new TempDir();
        var native = Directory.CreateDirectory(Path.Combine(dir.Path, "runtimes", "linux-x64", "native")).FullName;
        LinkLibtorch(native);
        var shim = Path.Combine(native, "libLibTorchSharp.so");
        File.WriteAllBytes(shim, Encoding.ASCII.GetBytes("not an ELF file"));
        var message = TorchRuntime.Diagnose(dir.Path);
        Assert.Contains($"the loader refused {shim}", message);
    }

    [Fact]
    public void TheUnpatchedShimNamesTheMissingGlibcxxVersionWhereTheSystemLacksIt()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var original = Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(original), $"the TorchSharp package is restored at {original}");
        using var dir = new TempDir();
        var native = Directory.CreateDirectory(Path.Combine(dir.Path, "runtimes", "linux-x64", "native")).FullName;
        LinkLibtorch(native);
        File.Copy(original, Path.Combine(native, "libLibTorchSharp.so"));
        var message = TorchRuntime.Diagnose(dir.Path);
        bool systemHasIt = File.ReadAllBytes("/lib/x86_64-linux-gnu/libstdc++.so.6").AsSpan().IndexOf("GLIBCXX_3.4.32"u8) >= 0;
        if (systemHasIt) Assert.Contains("loaded on a second try", message);
        else Assert.Contains("GLIBCXX_3.4.32", message);
    }
}
