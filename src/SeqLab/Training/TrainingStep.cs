using SeqLab.Data;
using SeqLab.Models;
using TorchSharp.Modules;

namespace SeqLab.Training;

/// <summary>One optimiser step, shared by the trainer and `seqlab bench` so the benchmark measures exactly what
/// training runs.</summary>
internal static class TrainingStep
{
    /// <summary>Adam or AdamW over <paramref name="parameters"/>; with a head learning rate, two groups: the
    /// embedding and encoder first, the rest (the task's head) second.</summary>
    public static OptimizerHelper Optimizer(TrainingOptions o, IList<Parameter> parameters, SequenceModel? model = null)
    {
        if (o.HeadLearningRate is not { } headLr || model is null)
            return o.Optimizer == OptimizerKind.Adam
                ? optim.Adam(parameters, o.LearningRate, o.Beta1, o.Beta2, o.Eps, o.WeightDecay)
                : optim.AdamW(parameters, o.LearningRate, o.Beta1, o.Beta2, o.Eps, o.WeightDecay);
        var body = model.Embedding.parameters().Concat(model.Encoder.parameters()).ToHashSet();
        IEnumerable<Parameter>[] groups = [parameters.Where(body.Contains), parameters.Where(p => !body.Contains(p))];
        return o.Optimizer == OptimizerKind.Adam
            ? optim.Adam(
                groups.Select(
                    (g, i) =>
                        new Adam.ParamGroup(g, i == 0 ? o.LearningRate : headLr, o.Beta1, o.Beta2, o.Eps, o.WeightDecay)
                ),
                o.LearningRate
            )
            : optim.AdamW(
                groups.Select(
                    (g, i) =>
                        new AdamW.ParamGroup(
                            g,
                            i == 0 ? o.LearningRate : headLr,
                            o.Beta1,
                            o.Beta2,
                            o.Eps,
                            o.WeightDecay
                        )
                ),
                o.LearningRate
            );
    }

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
        TrainingOptions o,
        StepProfile? profile = null
    )
    {
        // The schedule scales every group alike; the head's group keeps its ratio to the main learning rate.
        foreach (var (g, i) in optimizer.ParamGroups.Select((g, i) => (g, i)))
            g.LearningRate = i == 0 || o.HeadLearningRate is not { } head ? lr : lr * head / o.LearningRate;
        optimizer.zero_grad();
        Tensor lossTensor;
        using (Native.Autocast.Scope(o.Precision)) // the forward only: backward follows the graph it recorded
            lossTensor = model.Loss(batch, o.LabelSmoothing);
        double loss = lossTensor.item<float>(); // one host read per step: the NaN check and the metrics need it
        profile?.Mark("forward");
        if (!double.IsFinite(loss))
            return (loss, double.NaN);
        lossTensor.backward();
        profile?.Mark("backward");
        double gradNorm = o.ClipNorm > 0 ? nn.utils.clip_grad_norm_(parameters, o.ClipNorm) : double.NaN;
        profile?.Mark("clip");
        if (o.ClipNorm > 0 && !double.IsFinite(gradNorm))
            return (loss, gradNorm);
        optimizer.step();
        profile?.Mark("optimizer");
        return (loss, gradNorm);
    }
}
