using SeqLab.Models;
using SeqLab.Training;

namespace SeqLab.Tests;

/// <summary>The one way the tests train a model: the library's recipe into a folder, then the checkpoint loaded
/// back.</summary>
static class TestModels
{
    public static (LoadedModel Model, TrainingState State) Train(
        ModelConfig config,
        TrainingOptions options,
        string data,
        string? valid,
        string dir
    )
    {
        var run = TrainingRun.Start(config, options, data, valid, dir);
        var state = run.Run();
        run.Model.Dispose();
        return (Checkpoint.Load(dir), state);
    }

    /// <summary>A small byte-level BPE language model (280 tokens, d = 16, 30 steps) on the repetitive corpus.</summary>
    public static LoadedModel TinyBpe(TempDir dir)
    {
        var config = new ModelConfig
        {
            Tokenizer = SeqLab.Text.TokenizerKind.Bpe,
            BpeVocabSize = 280,
            EmbedDim = 16,
            HiddenSize = 16,
        };
        var options = new TrainingOptions
        {
            Steps = 30,
            SeqLen = 16,
            BatchSize = 8,
            EvalInterval = 30,
        };
        return Train(config, options, dir.File("c.txt", Corpora.Repetitive(200)), null, dir.Sub("m")).Model;
    }
}
