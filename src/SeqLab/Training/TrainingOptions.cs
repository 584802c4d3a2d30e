using SeqLab.Models;

namespace SeqLab.Training;

/// <summary>
/// How to train: optimiser, schedule, batch shape, stopping rules. The "training" object of a
/// --config file sets the same keys (snake_case); command-line options override it.
/// </summary>
public sealed class TrainingOptions
{
    public OptimizerKind Optimizer { get; set; } = OptimizerKind.AdamW;
    public double LearningRate { get; set; } = 3e-3;

    /// <summary>The matrix products' arithmetic: fp32, or bf16 with fp32 master weights, loss and optimiser (see
    /// <see cref="Native.Autocast"/>). Validation always reads the fp32 weights in fp32.</summary>
    public Native.Precision Precision { get; set; } = Native.Precision.Fp32;
    public double Beta1 { get; set; } = 0.9;
    public double Beta2 { get; set; } = 0.999;
    public double Eps { get; set; } = 1e-8;
    public double WeightDecay { get; set; } = 0.01;

    /// <summary>Gradients are rescaled so their global L2 norm is at most this (0 = no clipping).</summary>
    public double ClipNorm { get; set; } = 1.0;
    public Schedule Schedule { get; set; } = Schedule.Constant;
    public int WarmupSteps { get; set; } = 100;
    public double LabelSmoothing { get; set; }
    public int BatchSize { get; set; } = 32;

    /// <summary>classify/seq2seq: batch examples of similar length together (less padding, faster steps).</summary>
    public bool LengthBuckets { get; set; }

    /// <summary>classify/seq2seq: the first epoch from the shortest examples to the longest (a curriculum).</summary>
    public bool Curriculum { get; set; }

    /// <summary>lm: tokens per training window.</summary>
    public int SeqLen { get; set; } = 64;
    public long? Steps { get; set; }
    public int? Epochs { get; set; }
    public double? TimeBudgetSeconds { get; set; }
    public int EvalInterval { get; set; } = 200;

    /// <summary>Also checkpoint (without validating) when this many seconds have passed since the last save.</summary>
    public double CheckpointSeconds { get; set; } = 300;

    /// <summary>Stop after this many evaluations without a better validation loss (0 = never stop early).</summary>
    public int Patience { get; set; } = 5;

    /// <summary>Share of the training data held out for validation when no --valid is given.</summary>
    public double ValidFraction { get; set; } = 0.1;
    public int Seed { get; set; } = 1;

    /// <summary>The SHA-256 of the training (and validation) data, recorded when the run starts: a resume checks
    /// it.</summary>
    public string? DataSha256 { get; set; }
    public int? Threads { get; set; }

    /// <summary>The pretrained checkpoint (lm or mlm) whose embedding and encoder this run starts from.</summary>
    public string? InitFrom { get; set; }

    /// <summary>The task head's own learning rate (fine-tuning: a fresh head learns faster than a pretrained
    /// encoder should move); null: the one learning rate.</summary>
    public double? HeadLearningRate { get; set; }

    /// <summary>Also write TensorBoard event files (training and validation scalars) to this folder.</summary>
    public string? Tensorboard { get; set; }

    /// <summary>
    /// "Attention Is All You Need", §5.3–5.4: Adam with β1 = 0.9, β2 = 0.98, ε = 1e-9, no weight decay,
    /// label smoothing 0.1, lrate = d_model^-0.5 · min(step^-0.5, step · warmup^-1.5) with warmup 4000.
    /// </summary>
    public static TrainingOptions Paper(TrainingOptions? o = null)
    {
        o ??= new TrainingOptions();
        (o.Optimizer, o.Beta1, o.Beta2, o.Eps, o.WeightDecay) = (OptimizerKind.Adam, 0.9, 0.98, 1e-9, 0.0);
        o.LabelSmoothing = 0.1;
        (o.Schedule, o.WarmupSteps, o.LearningRate) = (Schedule.Noam, 4000, 1.0);
        return o;
    }

    /// <summary>A copy to change without touching this one.</summary>
    public TrainingOptions Clone() => (TrainingOptions)MemberwiseClone();

    public void Validate()
    {
        Positive("learning_rate", LearningRate);
        if (HeadLearningRate is { } head)
            Positive("head_learning_rate", head);
        if (!(Beta1 >= 0 && Beta1 < 1 && Beta2 >= 0 && Beta2 < 1)) // NaN fails every comparison
            throw new SeqLabInputException($"beta1 and beta2 must be in [0, 1) (got {Beta1}, {Beta2}).");
        Positive("eps", Eps);
        ModelConfig.AtLeast("weight_decay", WeightDecay, 0);
        ModelConfig.AtLeast("clip_norm", ClipNorm, 0);
        ModelConfig.AtLeast("warmup_steps", WarmupSteps, 0);
        if (!(LabelSmoothing >= 0 && LabelSmoothing < 1))
            throw new SeqLabInputException($"label_smoothing must be in [0, 1) (got {LabelSmoothing}).");
        ModelConfig.Within("batch_size", BatchSize, 1, 1 << 20);
        ModelConfig.Within("seq_len", SeqLen, 1, ModelConfig.MaxPositions);
        if (Steps is { } s)
            ModelConfig.AtLeast("steps", s, 1);
        if (Epochs is { } e)
            ModelConfig.AtLeast("epochs", e, 1);
        if (TimeBudgetSeconds is { } t)
            Positive("time_budget", t);
        ModelConfig.AtLeast("eval_interval", EvalInterval, 1);
        Positive("checkpoint_seconds", CheckpointSeconds);
        ModelConfig.AtLeast("patience", Patience, 0);
        if (!(ValidFraction > 0 && ValidFraction < 1))
            throw new SeqLabInputException($"valid_fraction must be in (0, 1) (got {ValidFraction}).");
        if (Threads is { } n)
            ModelConfig.Within("threads", n, 1, 1024);
        if (Schedule == Schedule.Noam && WarmupSteps < 1)
            throw new SeqLabInputException("the noam schedule needs warmup_steps ≥ 1.");
    }

    static void Positive(string key, double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value) || value <= 0)
            throw new SeqLabInputException($"{key} must be a positive number (got {value}).");
    }
}
