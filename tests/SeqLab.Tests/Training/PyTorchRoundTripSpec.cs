using System.Text.Json;
using System.Text.Json.Nodes;
using SeqLab.Training;
using static TorchSharp.torch;

namespace SeqLab.Tests;

/// <summary>
/// SeqLab → PyTorch DistributedDataParallel → SeqLab, for real: `export --pytorch`, Debian's PyTorch loads the model
/// with model.py and gives SeqLab's logits, `torchrun` trains it on 2 processes with gloo, and `import --from-pytorch`
/// brings it back with the perplexity PyTorch reported. Needs /usr/bin/python3 with torch (`./test` installs Debian's
/// python3-torch).
/// </summary>
[Collection("cli")]
[Trait("Category", "Slow")]
public class PyTorchRoundTripSpec
{
    const string Python = "/usr/bin/python3",
        Torchrun = "/usr/bin/torchrun";

    /// <summary>A small model trained 3 steps on DIR/c.txt (a repetitive text unless the test wrote its own).</summary>
    static string Train(TempDir dir, string name, params string[] extra)
    {
        var data = dir.Sub("c.txt");
        if (!File.Exists(data))
            dir.File("c.txt", Corpora.Repetitive(300));
        string[] args =
        [
            "train",
            "--data",
            data,
            "--out",
            dir.Sub(name),
            "--embed-dim",
            "16",
            "--hidden-size",
            "16",
            "--min-count",
            "1",
            "--seq-len",
            "16",
            "--steps",
            "3",
            "--threads",
            "1",
            .. extra,
        ];
        var r = CliRunner.Run(args);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return dir.Sub(name);
    }

    static string Export(TempDir dir, string model)
    {
        var out_ = model + "-pt";
        var r = CliRunner.Run("export", "--model", model, "--pytorch", out_);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return out_;
    }

    static void NeedsTorch()
    {
        var probe = Repo.Run(Python, ["-c", "import torch"], Path.GetTempPath(), TimeSpan.FromMinutes(1));
        Assert.True(
            probe.ExitCode == 0,
            "these tests need Debian's python3-torch (apt-get install python3-torch libopenblas0-pthread; ./test "
                + "installs it): "
                + probe.Text
        );
    }

    /// <summary>model.py --check's logits against SeqLab's on the same ids.</summary>
    static double CheckDifference(string model, string folder)
    {
        NeedsTorch();
        var check = Repo.Run(Python, [Path.Combine(folder, "model.py"), "--check"], folder, TimeSpan.FromMinutes(2));
        Assert.True(check.ExitCode == 0, check.Text);
        var doc = JsonNode.Parse(check.Text.Trim())!;
        var ids = doc["ids"]!.AsArray().SelectMany(r => r!.AsArray().Select(i => (long)i!)).ToArray();
        var expected = doc["logits"]!.AsArray();
        var loaded = Checkpoint.Load(model);
        using var _ = no_grad();
        var source = tensor(ids, [2, 7]);
        var ours = loaded.Model is Models.Seq2SeqModel s2s // the first 5 ids are also the output so far
            ? s2s.Decode(source[.., ..5], s2s.Encode(source, null).Memory, null)
            : loaded.Model.call(source, null);
        var theirs = tensor(
                expected
                    .SelectMany(r => r!.AsArray())
                    .SelectMany(t => t is JsonArray a ? a.Select(x => (float)x!) : [(float)t!])
                    .ToArray()
            )
            .reshape(ours.shape);
        return (ours - theirs).abs().max().item<float>();
    }

    [Theory]
    [InlineData("lstm", "lm")]
    [InlineData("gru", "lm")]
    [InlineData("rnn", "lm")]
    [InlineData("transformer", "lm")]
    [InlineData("transformer", "mlm")]
    public void PyTorchGivesSeqLabsLogitsForEachLanguageModel(string family, string task)
    {
        using var dir = new TempDir();
        string[] extra =
            family == "transformer" ? ["--heads", "2", "--ff-dim", "32", "--layers", "2"] : ["--layers", "2"];
        var model = Train(dir, family, ["--task", task, "--model", family, .. extra]);
        double diff = CheckDifference(model, Export(dir, model));
        Assert.True(diff <= 1e-5, $"{family}: logits differ by {diff}");
    }

    [Theory]
    [InlineData("transformer", "mean", false)]
    [InlineData("lstm", "last", true)]
    [InlineData("gru", "max", false)]
    public void PyTorchGivesSeqLabsLogitsForAClassifier(string family, string pooling, bool bidirectional)
    {
        using var dir = new TempDir();
        dir.File("c.txt", Corpora.KeywordNearEnd(80, 1));
        string[] extra =
        [
            .. family == "transformer" ? new[] { "--heads", "2", "--ff-dim", "32" } : [],
            .. bidirectional ? new[] { "--bidirectional" } : [],
        ];
        Train(dir, "m", ["--task", "classify", "--model", family, "--pooling", pooling, .. extra]);
        double diff = CheckDifference(dir.Sub("m"), Export(dir, dir.Sub("m")));
        Assert.True(diff <= 1e-5, $"{family}/{pooling}: logits differ by {diff}");
    }

    /// <summary>torchrun with 2 gloo processes on an exported folder; its metrics.json.</summary>
    static JsonElement Ddp(TempDir dir, string folder, string outDir, int steps, params string[] extra)
    {
        var run = Repo.Run(
            Torchrun,
            [
                "--standalone",
                "--nproc_per_node=2",
                // Debian 12's torchrun (PyTorch 1.13 on Python 3.11) needs non-zero --redirects/--tee: see the README.
                "--redirects",
                "1",
                "--tee",
                "2",
                Path.Combine(folder, "train_ddp.py"),
                "--data",
                dir.Sub("c.txt"),
                "--steps",
                steps.ToString(),
                "--out",
                outDir,
                .. extra,
            ],
            dir.Path,
            TimeSpan.FromMinutes(3),
            new Dictionary<string, string> { ["OMP_NUM_THREADS"] = "1", ["SEQLAB_DDP_TIMEOUT"] = "60" }
        );
        Assert.True(run.ExitCode == 0, run.Text);
        return JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json"))).RootElement;
    }

    [Theory]
    [InlineData("transformer")]
    [InlineData("gru")]
    [InlineData("lstm")]
    public void PyTorchGivesSeqLabsLogitsForAnEncoderDecoder(string family)
    {
        using var dir = new TempDir();
        dir.File("c.txt", string.Concat(Enumerable.Range(0, 60).Select(i => $"a b c {i % 7} d\t{i % 7} c b a\n")));
        string[] extra = family == "transformer" ? ["--heads", "2", "--ff-dim", "32"] : [];
        Train(dir, "m", ["--task", "seq2seq", "--model", family, "--layers", "2", .. extra]);
        var folder = Export(dir, dir.Sub("m"));
        double diff = CheckDifference(dir.Sub("m"), folder);
        Assert.True(diff <= 1e-5, $"{family} seq2seq: logits differ by {diff}");
    }

    /// <summary>Imports DIR/continued and checks that `seqlab eval` on <paramref name="data"/> gives PyTorch's
    /// perplexity within 1e-4, and, when <paramref name="countKey"/> is given, PyTorch's token count under that
    /// key.</summary>
    static void ComesBackWithPyTorchsPerplexity(TempDir dir, JsonElement metrics, string data, string? countKey)
    {
        Assert.Equal(
            0,
            CliRunner.Run("import", "--from-pytorch", dir.Sub("continued"), "--out", dir.Sub("back")).ExitCode
        );
        var eval = CliRunner.Run("eval", "--model", dir.Sub("back"), "--data", data, "--json");
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        var ours = JsonDocument.Parse(eval.Stdout).RootElement;
        if (countKey is not null)
            Assert.Equal(metrics.GetProperty("tokens").GetInt64(), ours.GetProperty(countKey).GetInt64());
        double p = ours.GetProperty("perplexity").GetDouble(),
            q = metrics.GetProperty("perplexity").GetDouble();
        Assert.True(Math.Abs(p / q - 1) <= 1e-4, $"SeqLab {p}, PyTorch {q}");
    }

    /// <summary>The ids data.py gives each text with the exported <paramref name="folder"/>'s tokenizer.</summary>
    static long[][] PyTorchIds(TempDir dir, string folder, IReadOnlyList<string> texts)
    {
        File.WriteAllText(dir.Sub("texts.json"), JsonSerializer.Serialize(texts));
        var script =
            "import json, sys; sys.path.insert(0, sys.argv[1]); import data; "
            + "c = json.load(open(sys.argv[1] + '/config.json')); t = data.Text(sys.argv[1], c); "
            + "print(json.dumps([t.encode(x) for x in json.load(open(sys.argv[2]))]))";
        var run = Repo.Run(Python, ["-c", script, folder, dir.Sub("texts.json")], dir.Path, TimeSpan.FromMinutes(1));
        Assert.True(run.ExitCode == 0, run.Text);
        return JsonNode
            .Parse(run.Text.Trim())!
            .AsArray()
            .Select(row => row!.AsArray().Select(x => (long)x!).ToArray())
            .ToArray();
    }

    [Fact]
    public void AnEncoderDecoderComesBackWithPyTorchsTeacherForcedPerplexity()
    {
        NeedsTorch();
        using var dir = new TempDir();
        var pairs = dir.File(
            "c.txt",
            string.Concat(Enumerable.Range(0, 120).Select(i => $"a b c {i % 7} d\t{i % 7} c b a\n"))
        );
        Train(dir, "m", "--task", "seq2seq", "--model", "gru");
        var metrics = Ddp(dir, Export(dir, dir.Sub("m")), dir.Sub("continued"), 8, "--batch-size", "8");
        Assert.True(metrics.GetProperty("weights_identical_across_ranks").GetBoolean());
        ComesBackWithPyTorchsPerplexity(dir, metrics, pairs, countKey: null);
    }

    [Fact]
    public void AnImportedBertsWordPieceReadsTheSameIdsInPyTorch()
    {
        NeedsTorch();
        using var dir = new TempDir();
        var fixture = Path.Combine(AppContext.BaseDirectory, "fixtures", "hf-bert");
        Assert.Equal(0, CliRunner.Run("import", "--format", "hf-bert", fixture, "--out", dir.Sub("bert")).ExitCode);
        var folder = Export(dir, dir.Sub("bert"));
        var texts = JsonNode.Parse(File.ReadAllText(Path.Combine(fixture, "wordpiece_cases.json")))!["uncased"]![
            "cases"
        ]!
            .AsArray()
            .Select(c => (string)c!["text"]!)
            .ToList();
        var theirs = PyTorchIds(dir, folder, texts);
        var bert = Checkpoint.Load(dir.Sub("bert"));
        for (int i = 0; i < texts.Count; i++)
            Assert.Equal(bert.Vocabulary.Encode(bert.Tokenizer.Tokenize(texts[i])), theirs[i]);
    }

    [Fact]
    public void ACharModelsGraphemesAreTheSameInPyTorch()
    {
        NeedsTorch();
        using var dir = new TempDir();
        string[] texts =
        [
            "Crecí en un pequeño pueblo en los Alpes suizos.",
            "Cre\u0301ci\u0301 con n\u0303 descompuesta", // NFD: composed first, as SeqLab does
            "e\u0301\u0302 y \u1100\u1161\u11A8", // stacked marks; Hangul jamo that make one syllable
            "familia 👩‍👩‍👧, bandera 🇨🇭, pulgar 👍🏽",
            "¿Qué?\t¡Sí!\r\nfin\rya",
        ];
        dir.File("c.txt", string.Join("\n", texts) + "\n" + Corpora.Repetitive(100));
        var model = Train(dir, "char", "--task", "lm", "--model", "lstm", "--tokenizer", "char");
        var folder = Export(dir, model);
        var theirs = PyTorchIds(dir, folder, texts);
        var ours = Checkpoint.Load(model);
        for (int i = 0; i < texts.Length; i++)
        {
            var ids = ours.Vocabulary.Encode(ours.Tokenizer.Tokenize(texts[i]));
            Assert.DoesNotContain(SeqLab.Text.Vocabulary.UnkId, ids); // every grapheme is in the vocabulary
            Assert.Equal(ids, theirs[i]);
        }
    }

    [Fact]
    public void ABytePairModelComesBackWithTheSameTokensAndPerplexity()
    {
        NeedsTorch();
        using var dir = new TempDir();
        var model = Train(dir, "bpe", "--task", "lm", "--model", "gru", "--tokenizer", "bpe", "--vocab-size", "300");
        var metrics = Ddp(dir, Export(dir, model), dir.Sub("continued"), 6);
        ComesBackWithPyTorchsPerplexity(dir, metrics, dir.Sub("c.txt"), "tokens");
    }

    [Fact]
    public void AMaskedModelIsScoredOnSeqLabsOwnMasksInPyTorch()
    {
        NeedsTorch();
        using var dir = new TempDir();
        var model = Train(dir, "mlm", "--task", "mlm", "--model", "transformer", "--heads", "2", "--ff-dim", "32");
        var metrics = Ddp(dir, Export(dir, model), dir.Sub("continued"), 6);
        // The same positions masked the same way (data.py replays .NET's seeded Random), so the same number.
        ComesBackWithPyTorchsPerplexity(dir, metrics, dir.Sub("c.txt"), "masked_tokens");
    }

    [Fact]
    public void TwoGlooProcessesTrainItAndSeqLabReadsTheResultBack()
    {
        NeedsTorch();
        using var dir = new TempDir();
        var model = Train(dir, "lstm", "--task", "lm", "--model", "lstm");
        var folder = Export(dir, model);
        var outDir = dir.Sub("continued");
        var metrics = Ddp(dir, folder, outDir, 40, "--lr", "0.01", "--batch-size", "8");
        Assert.Equal(2, metrics.GetProperty("world_size").GetInt32());
        Assert.True(metrics.GetProperty("weights_identical_across_ranks").GetBoolean());
        var losses = metrics.GetProperty("losses").EnumerateArray().Select(l => l.GetDouble()).ToList();
        Assert.True(losses.TakeLast(5).Average() < losses.Take(5).Average() - 0.1, string.Join(", ", losses));

        var back = CliRunner.Run("import", "--from-pytorch", outDir, "--out", dir.Sub("back"));
        Assert.True(back.ExitCode == 0, back.Stderr);
        var eval = CliRunner.Run("eval", "--model", dir.Sub("back"), "--data", dir.Sub("c.txt"), "--json");
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        double ours = JsonDocument.Parse(eval.Stdout).RootElement.GetProperty("perplexity").GetDouble(),
            theirs = metrics.GetProperty("perplexity").GetDouble();
        Assert.True(Math.Abs(ours / theirs - 1) <= 1e-4, $"SeqLab {ours}, PyTorch {theirs}");
        var resumed = CliRunner.Run("train", "--resume", dir.Sub("back"), "--data", dir.Sub("c.txt"), "--steps", "42");
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Contains("resuming at step 40", resumed.Stderr);
        Assert.DoesNotContain("fresh optimizer", resumed.Stderr);
    }

    [Fact]
    public void TheImportedRunHoldsPyTorchsAdamMomentsAndStep()
    {
        NeedsTorch();
        using var dir = new TempDir();
        var model = Train(dir, "lstm", "--task", "lm", "--model", "lstm");
        var outDir = dir.Sub("continued");
        Ddp(dir, Export(dir, model), outDir, 6, "--batch-size", "8");
        Assert.Equal(0, CliRunner.Run("import", "--from-pytorch", outDir, "--out", dir.Sub("back")).ExitCode);

        var back = Checkpoint.Load(dir.Sub("back"));
        Assert.Equal(6, back.Manifest.State.Step);
        using var optimizer = TrainingStep.Optimizer(back.Training, back.Model.UniqueParameters(), back.Model);
        Checkpoint.LoadOptimizer(dir.Sub("back"), back.Manifest, optimizer);
        var path = Path.Combine(outDir, "optimizer.safetensors");
        var theirs = SeqLab.IO.SafeTensors.Read(File.ReadAllBytes(path), path);
        var names = back.Model.named_parameters().ToDictionary(p => p.parameter.Handle, p => p.name);
        var states = optimizer.state_dict().State;
        var parameters = optimizer.parameters().ToList();
        for (int i = 0; i < parameters.Count; i++)
        {
            var state = (TorchSharp.Modules.AdamW.State)states[i];
            var name = names[parameters[i].Handle];
            Assert.Equal(6, state.step);
            Assert.True(state.exp_avg.allclose(theirs[$"{name}.exp_avg"], rtol: 0, atol: 0), name);
            Assert.True(state.exp_avg_sq.allclose(theirs[$"{name}.exp_avg_sq"], rtol: 0, atol: 0), name);
        }
    }
}
