using SeqLab.Training;

namespace SeqLab.Tests;

public class TrainingPresetSpec
{
    [Fact]
    public void PaperPresetIsTheRecipeOfVaswaniEtAl()
    {
        var o = TrainingOptions.Paper();
        Assert.Equal(
            (OptimizerKind.Adam, 0.9, 0.98, 1e-9, 0.1, Schedule.Noam, 4000),
            (o.Optimizer, o.Beta1, o.Beta2, o.Eps, o.LabelSmoothing, o.Schedule, o.WarmupSteps)
        );
        Assert.Equal(Math.Pow(512, -0.5) * Math.Pow(4000, -0.5), LearningRateSchedule.At(o, 4000, null, 512), 12);
    }
}
