using SeqLab.Data;
using SeqLab.Models;
using TorchSharp.Modules;

namespace SeqLab.Training;

/// <summary>One optimiser step, shared by the trainer and `seqlab bench` so the benchmark measures exactly what
/// training runs.</summary>
internal static class TrainingStep
{
    public static OptimizerHelper Optimizer(TrainingOptions o, IList<Parameter> parameters) =>
        o.Optimizer == OptimizerKind.Adam
            ? optim.Adam(parameters, o.LearningRate, o.Beta1, o.Beta2, o.Eps, o.WeightDecay)
            : optim.AdamW(parameters, o.LearningRate, o.Beta1, o.Beta2, o.Eps, o.WeightDecay);

    /// <summary>
    /// Forward, backward, gradient clipping and the update, at learning rate <paramref name="lr"/>. A
    /// non-finite loss or gradient norm is returned without updating the weights, so the caller can
    /// stop with the model as it was. Call inside a dispose scope.
    /// </summary>
    public static (double Loss, double GradNorm) Run(
        SequenceModel model,
        Batch batch,
        OptimizerHelper optimizer,
        IList<Parameter> parameters,
        double lr,
        TrainingOptions o
    )
    {
        foreach (var g in optimizer.ParamGroups)
            g.LearningRate = lr;
        optimizer.zero_grad();
        var lossTensor = model.Loss(batch, o.LabelSmoothing);
        double loss = lossTensor.item<float>(); // one host read per step: the NaN check and the metrics need it
        if (!double.IsFinite(loss))
            return (loss, double.NaN);
        lossTensor.backward();
        double gradNorm = o.ClipNorm > 0 ? nn.utils.clip_grad_norm_(parameters, o.ClipNorm) : double.NaN;
        if (o.ClipNorm > 0 && !double.IsFinite(gradNorm))
            return (loss, gradNorm);
        optimizer.step();
        return (loss, gradNorm);
    }
}
