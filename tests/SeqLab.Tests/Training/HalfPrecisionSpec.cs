using SeqLab.IO;
using SeqLab.Training;
using static TorchSharp.torch;

namespace SeqLab.Tests;

/// <summary>
/// F16 and BF16 safetensors: PyTorch's own conversions (tests/fixtures/make_half_fixtures.py) read to the floats
/// PyTorch rounded to, imported into a float32 model, and `seqlab export --dtype f16|bf16` writes the same 16-bit
/// values at half the size.
/// </summary>
[Collection("cli")]
public class HalfPrecisionSpec
{
    static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", name);

    static Dictionary<string, Tensor> Read(string path) => SafeTensors.Read(File.ReadAllBytes(path), path);

    static string Import(TempDir dir, string weights, string name)
    {
        var r = CliRunner.Run(
            "import",
            "--weights",
            Fixture(weights),
            "--config",
            Fixture("lstm_lm.config.json"),
            "--vocab",
            Fixture("lstm_lm.vocab.txt"),
            "--out",
            dir.Sub(name)
        );
        Assert.Equal(0, r.ExitCode);
        return dir.Sub(name);
    }

    [Theory]
    [InlineData("lstm_lm.f16.safetensors", ScalarType.Float16)]
    [InlineData("lstm_lm.bf16.safetensors", ScalarType.BFloat16)]
    public void PyTorchsHalfWeightsReadAsTheFloatsPyTorchRoundedTo(string file, ScalarType half)
    {
        Torch.Init();
        var f32 = Read(Fixture("lstm_lm.safetensors"));
        foreach (var (name, t) in Read(Fixture(file)))
        {
            Assert.Equal(ScalarType.Float32, t.dtype);
            // libtorch's own rounding, for comparison: float32 → half → float32.
            Assert.True(t.equal(f32[name].to(half).to(ScalarType.Float32)).all().item<bool>(), name);
        }
    }

    [Theory]
    [InlineData("f16", "lstm_lm.f16.safetensors")]
    [InlineData("bf16", "lstm_lm.bf16.safetensors")]
    public void ExportWritesPyTorchsSixteenBitValuesAtHalfTheSize(string dtype, string pytorchFile)
    {
        using var dir = new TempDir();
        var model = Import(dir, "lstm_lm.safetensors", "m");
        var r = CliRunner.Run("export", "--model", model, "--out", dir.Sub("w.safetensors"), "--dtype", dtype);
        Assert.Equal(0, r.ExitCode);

        var ours = Read(dir.Sub("w.safetensors"));
        var pytorch = Read(Fixture(pytorchFile));
        Assert.Equal(pytorch.Keys.Order(), ours.Keys.Order());
        Assert.All(pytorch, kv => Assert.True(kv.Value.equal(ours[kv.Key]).all().item<bool>(), kv.Key));
        long full = new FileInfo(Fixture("lstm_lm.safetensors")).Length;
        Assert.InRange(new FileInfo(dir.Sub("w.safetensors")).Length, full * 0.45, full * 0.6);
    }

    [Fact]
    public void ABf16CheckpointImportsAndPredictsCloseToTheFloat32One()
    {
        using var dir = new TempDir();
        var io = Read(Fixture("lstm_lm_io.safetensors"));
        using var _ = no_grad();
        var full = Checkpoint.Load(Import(dir, "lstm_lm.safetensors", "f32")).Model;
        var half = Checkpoint.Load(Import(dir, "lstm_lm.bf16.safetensors", "bf16")).Model;
        full.eval();
        half.eval();
        double diff = (full.call(io["ids"], null) - half.call(io["ids"], null)).abs().max().item<float>();
        Assert.InRange(diff, 1e-6, 0.05); // rounded weights: close, not equal
    }
}
