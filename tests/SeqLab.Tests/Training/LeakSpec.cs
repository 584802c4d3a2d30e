using CsCheck;
using SeqLab.Data;
using SeqLab.Models;
using SeqLab.Training;
using static TorchSharp.torch;

namespace SeqLab.Tests;

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
        var config = new ModelConfig
        {
            Family = ModelFamily.Gru,
            EmbedDim = 8,
            HiddenSize = 8,
            VocabSize = 30,
        };
        using var model = ModelFactory.Create(config);
        var options = new TrainingOptions();
        var parameters = model.UniqueParameters();
        var optimizer = TrainingStep.Optimizer(options, parameters);
        var batch = new Batch(
            Enumerable.Range(0, 16).Select(i => (long)(4 + i % 20)).ToArray(),
            Enumerable.Range(0, 16).Select(i => (long)(5 + i % 20)).ToArray(),
            [8, 8],
            2,
            8
        );
        long at100 = 0;
        for (int step = 1; step <= 3000; step++)
        {
            using (NewDisposeScope())
                TrainingStep.Run(model, batch, optimizer, parameters, 1e-3, options);
            if (step == 100)
                at100 = LiveTensors();
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
