using SeqLab.IO;
using SeqLab.Training;
using SeqLab.Transformer;
using static TorchSharp.torch;

namespace SeqLab.Tests;

/// <summary>
/// Weights built in PyTorch (tests/fixtures/make_pytorch_fixtures.py; the files are committed) load
/// into SeqLab and give PyTorch's outputs.
/// </summary>
[Collection("cli")]
public class PyTorchInteropSpec
{
    static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", name);

    [Fact]
    public void APyTorchLstmLanguageModelImportsAndGivesTheSameLogits()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run(
            "import",
            "--weights",
            Fixture("lstm_lm.safetensors"),
            "--config",
            Fixture("lstm_lm.config.json"),
            "--vocab",
            Fixture("lstm_lm.vocab.txt"),
            "--out",
            dir.Sub("m")
        );
        Assert.Equal(0, r.ExitCode);
        var loaded = Checkpoint.Load(dir.Sub("m"));
        var io = SafeTensors.Read(File.ReadAllBytes(Fixture("lstm_lm_io.safetensors")), "io");
        loaded.Model.eval();
        using var _ = no_grad();
        var logits = loaded.Model.call(io["ids"], null);
        double diff = (logits - io["logits"]).abs().max().item<float>();
        Assert.True(diff <= 1e-5, $"differ by {diff}");
    }

    [Fact]
    public void APyTorchTransformerEncoderLayerLoadsAndGivesTheSameOutputs()
    {
        Torch.Init();
        var layer = new EncoderLayer(new LayerSettings(16, 2, 32, 0.0));
        Checkpoint.LoadWeights(layer, Fixture("encoder_layer.safetensors"));
        layer.eval();
        var io = SafeTensors.Read(File.ReadAllBytes(Fixture("encoder_layer_io.safetensors")), "io");
        var padding = io["padding"].to(ScalarType.Bool);
        using var _ = no_grad();
        var y = layer.forward(io["x"], padding, null);
        var real = padding.logical_not().unsqueeze(-1); // PyTorch's fast path zeroes padded rows
        double diff = ((y - io["y"]).abs() * real).max().item<float>();
        Assert.True(diff <= 1e-5, $"differ by {diff}");
    }

    [Fact]
    public void ExportThenImportReproducesTheModel()
    {
        using var dir = new TempDir();
        Assert.Equal(
            0,
            CliRunner
                .Run(
                    "import",
                    "--weights",
                    Fixture("lstm_lm.safetensors"),
                    "--config",
                    Fixture("lstm_lm.config.json"),
                    "--vocab",
                    Fixture("lstm_lm.vocab.txt"),
                    "--out",
                    dir.Sub("a")
                )
                .ExitCode
        );
        Assert.Equal(0, CliRunner.Run("export", "--model", dir.Sub("a"), "--out", dir.Sub("w.safetensors")).ExitCode);
        Assert.Equal(
            0,
            CliRunner
                .Run(
                    "import",
                    "--weights",
                    dir.Sub("w.safetensors"),
                    "--config",
                    Path.Combine(dir.Sub("a"), "config.json"),
                    "--vocab",
                    Path.Combine(dir.Sub("a"), "vocab.json"),
                    "--out",
                    dir.Sub("b")
                )
                .ExitCode
        );
        var a = SafeTensors.Read(File.ReadAllBytes(Fixture("lstm_lm.safetensors")), "a");
        var b = SafeTensors.Read(File.ReadAllBytes(dir.Sub("w.safetensors")), "b");
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        Assert.All(a, kv => Assert.True(kv.Value.allclose(b[kv.Key], rtol: 0, atol: 0), kv.Key));
    }

    [Fact]
    public void AMisShapedTensorIsNamedAndNothingIsWritten()
    {
        using var dir = new TempDir();
        var config = dir.File(
            "c.json",
            File.ReadAllText(Fixture("lstm_lm.config.json")).Replace("\"hidden_size\": 10", "\"hidden_size\": 11")
        );
        var r = CliRunner.Run(
            "import",
            "--weights",
            Fixture("lstm_lm.safetensors"),
            "--config",
            config,
            "--vocab",
            Fixture("lstm_lm.vocab.txt"),
            "--out",
            dir.Sub("m")
        );
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(
            "lstm_lm.safetensors: tensor 'decoder.weight' has shape [24, 10], the model expects [24, 11]",
            r.Stderr
        );
        Assert.False(Directory.Exists(dir.Sub("m")));
    }

    [Fact]
    public void AnUnknownTensorIsNamed()
    {
        using var dir = new TempDir();
        var config = dir.File(
            "c.json",
            File.ReadAllText(Fixture("lstm_lm.config.json")).Replace("\"num_layers\": 2", "\"num_layers\": 1")
        );
        var r = CliRunner.Run(
            "import",
            "--weights",
            Fixture("lstm_lm.safetensors"),
            "--config",
            config,
            "--vocab",
            Fixture("lstm_lm.vocab.txt"),
            "--out",
            dir.Sub("m")
        );
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("unexpected tensor 'encoder.rnn.weight_ih_l1'", r.Stderr);
    }
}
