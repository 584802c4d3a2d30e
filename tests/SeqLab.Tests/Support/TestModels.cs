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
}
