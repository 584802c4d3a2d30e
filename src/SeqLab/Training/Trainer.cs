using System.Diagnostics;
using System.Text.Json;
using SeqLab.Data;
using SeqLab.IO;
using SeqLab.Models;
using TorchSharp.Modules;

namespace SeqLab.Training;

/// <summary>
/// The training loop: AdamW (or Adam), gradient clipping, a learning-rate schedule, periodic validation
/// with early stopping, atomic checkpoints, and metrics.jsonl. Every step runs in its own dispose
/// scope, and dropout is reseeded from (seed, step), so a resumed run repeats a straight run.
/// </summary>
public sealed class Trainer(TrainingOptions options)
{
    /// <summary>Steps between giving freed native memory back (a trim costs well under a millisecond when little is
    /// free).</summary>
    const int HeapTrimInterval = 50;

    public event Action<TrainingProgress>? Progress;

    /// <summary>When cancelled (Ctrl+C), the run finishes its step, validates, checkpoints and returns.</summary>
    public CancellationToken Stop { get; init; }

    /// <summary>Whether the last <see cref="Run"/> ended because <see cref="Stop"/> was cancelled.</summary>
    public bool Interrupted { get; private set; }

    TensorBoardLog? board;

    /// <summary>Where the last <see cref="Run"/>'s time went (see <see cref="StepProfile"/>).</summary>
    public StepProfile Profile { get; private set; } = new();

    /// <summary>Trains <paramref name="model"/> into <paramref name="outDir"/>; <paramref name="resume"/> continues a
    /// saved run.</summary>
    public TrainingState Run(SequenceModel model, TaskData data, string outDir, LoadedModel? resume = null)
    {
        var o = options;
        board = o.Tensorboard is { } logDir ? new TensorBoardLog(logDir) : null;
        var parameters = model.UniqueParameters();
        var optimizer = TrainingStep.Optimizer(o, parameters, model);

        var state = new TrainingState();
        if (resume is not null)
        {
            state = resume.Manifest.State;
            // Imported weights (from PyTorch, Hugging Face) come without an optimiser state: a fresh one starts.
            if (resume.Manifest.Optimizer is not null)
                Checkpoint.LoadOptimizer(resume.Directory, resume.Manifest, optimizer);
        }
        var metricsPath = Path.Combine(outDir, Checkpoint.MetricsFile);
        TrimMetrics(metricsPath, state.Step);
        // Each line reaches the file as it is written: a run killed at any moment leaves whole lines behind.
        using var metrics = new StreamWriter(metricsPath, append: true) { AutoFlush = true };

        long? totalSteps = o.Steps ?? (o.Epochs is { } e ? (long)e * data.BatchesPerEpoch : null);
        int modelDim = model.Config.HiddenSize;
        var clock = Stopwatch.StartNew();
        double startElapsed = state.ElapsedSeconds;
        double Elapsed() => startElapsed + clock.Elapsed.TotalSeconds;
        long tokensThisSession = 0;
        bool stop = false,
            evaluatedLast = false;
        double lastSave = 0;
        Interrupted = false;
        model.train();
        var profile = Profile = new StepProfile();

        while (!stop && (totalSteps is null || state.Step < totalSteps))
        {
            using var batches = data.Epoch(state.Epoch).Skip(state.BatchInEpoch).GetEnumerator();
            profile.Mark("batch");
            while (batches.MoveNext())
            {
                var batch = batches.Current;
                profile.Mark("batch");
                double lr = LearningRateSchedule.At(o, state.Step + 1, totalSteps, modelDim);
                double loss,
                    gradNorm;
                using (var scope = NewDisposeScope())
                {
                    lock (Native.GlobalGenerator.Gate)
                        random.manual_seed(Seeds.Mix(o.Seed, state.Step));
                    (loss, gradNorm) = TrainingStep.Run(model, batch, optimizer, parameters, lr, o, profile);
                }
                if (!double.IsFinite(loss))
                    Diverged(state.Step + 1, $"the loss is {loss}", outDir);
                if (o.ClipNorm > 0 && !double.IsFinite(gradNorm))
                    Diverged(state.Step + 1, $"the gradient norm is {gradNorm}", outDir);
                state.Step++;
                if (state.Step % HeapTrimInterval == 0)
                    Native.HeapTrim.Now(); // bf16 kernels fragment glibc's heap; see HeapTrim
                profile.Mark("release");
                state.BatchInEpoch++;
                // Throughput counts what the model reads: a masked LM reads every token but is scored on 15%.
                tokensThisSession += model.Config.Task == TaskKind.Mlm ? batch.Lengths.Sum() : batch.Tokens;
                evaluatedLast = false;
                double tps = tokensThisSession / Math.Max(1e-9, clock.Elapsed.TotalSeconds);
                board?.Step(state.Step, loss, lr, gradNorm, tps);
                metrics.WriteLine(
                    JsonSerializer.Serialize(
                        new
                        {
                            step = state.Step,
                            epoch = state.Epoch,
                            loss,
                            lr,
                            grad_norm = double.IsFinite(gradNorm) ? gradNorm : (double?)null,
                            clipped = gradNorm > o.ClipNorm,
                            tokens_per_s = tps,
                            elapsed_s = Elapsed(),
                        }
                    )
                );
                Progress?.Invoke(
                    new TrainingProgress(
                        state.Step,
                        totalSteps,
                        state.Epoch,
                        loss,
                        lr,
                        tps,
                        Elapsed(),
                        o.TimeBudgetSeconds
                    )
                );

                profile.Mark("logging");
                bool outOfTime = o.TimeBudgetSeconds is { } budget && Elapsed() >= budget;
                bool done = totalSteps is { } t && state.Step >= t;
                bool interrupted = Stop.IsCancellationRequested;
                if (state.Step % o.EvalInterval == 0 || outOfTime || done || interrupted)
                {
                    lastSave = clock.Elapsed.TotalSeconds;
                    stop |= EvaluateAndSave(
                        model,
                        data,
                        optimizer,
                        state,
                        outDir,
                        metrics,
                        Elapsed(),
                        totalSteps,
                        lr,
                        tps
                    );
                    evaluatedLast = true;
                }
                else if (clock.Elapsed.TotalSeconds - lastSave >= o.CheckpointSeconds)
                {
                    // A long stretch between validations still leaves a recent checkpoint (best weights unchanged).
                    state.ElapsedSeconds = Elapsed();
                    Checkpoint.Save(outDir, model, optimizer, state, isBest: false);
                    metrics.Flush();
                    lastSave = clock.Elapsed.TotalSeconds;
                    profile.Mark("checkpoint");
                }
                Interrupted = interrupted;
                if (stop || outOfTime || done || interrupted)
                {
                    stop = true;
                    break;
                }
            }
            if (!stop)
            {
                state.Epoch++;
                state.BatchInEpoch = 0;
            }
        }
        if (!evaluatedLast)
            EvaluateAndSave(model, data, optimizer, state, outDir, metrics, Elapsed(), totalSteps, 0, 0);
        return state;
    }

    /// <summary>Validates, checkpoints, and says whether early stopping should end the run.</summary>
    bool EvaluateAndSave(
        SequenceModel model,
        TaskData data,
        OptimizerHelper optimizer,
        TrainingState state,
        string outDir,
        StreamWriter metrics,
        double elapsed,
        long? totalSteps,
        double lr,
        double tps
    )
    {
        Profile.Mark("logging");
        var result = Validation.Evaluate(model, data.Valid);
        Profile.Mark("validation");
        // Weights that give a non-finite validation loss are not worth a checkpoint: keep the last good one.
        if (!double.IsFinite(result.Loss))
            Diverged(state.Step, $"the validation loss is {result.Loss}", outDir);
        bool better = result.Loss < state.BestValidLoss;
        if (better)
        {
            state.BestValidLoss = result.Loss;
            state.BestStep = state.Step;
            state.EvalsWithoutImprovement = 0;
        }
        else
            state.EvalsWithoutImprovement++;
        state.ElapsedSeconds = elapsed;
        Checkpoint.Save(outDir, model, optimizer, state, better);
        Profile.Mark("checkpoint");
        metrics.WriteLine(
            JsonSerializer.Serialize(
                new
                {
                    step = state.Step,
                    valid_loss = result.Loss,
                    valid_perplexity = result.Perplexity,
                    valid_accuracy = result.Accuracy,
                    best = better,
                }
            )
        );
        metrics.Flush();
        board?.Validation(state.Step, result);
        Profile.Mark("logging");
        TrainingCurves.Draw(outDir, model.Config.Task); // curves.png/.svg, redrawn at every validation
        Profile.Mark("curves");
        Progress?.Invoke(
            new TrainingProgress(
                state.Step,
                totalSteps,
                state.Epoch,
                double.NaN,
                lr,
                tps,
                elapsed,
                options.TimeBudgetSeconds,
                result.Loss,
                result.Accuracy
            )
        );
        Profile.Mark("logging");
        return options.Patience > 0 && state.EvalsWithoutImprovement >= options.Patience;
    }

    static void Diverged(long step, string what, string outDir) =>
        throw new TrainingDivergedException(
            $"training diverged at step {step} ({what}); the last good checkpoint in {outDir} is kept. Lower the "
                + $"learning rate (--lr) or set clip_norm in --config, then retrain or --resume."
        );

    /// <summary>A resumed run rewrites history from its checkpoint on: lines after that step came from the interrupted
    /// run.</summary>
    static void TrimMetrics(string path, long step)
    {
        if (!File.Exists(path))
            return;
        var kept = File.ReadAllLines(path)
            .Where(line =>
            {
                try
                {
                    using var doc = JsonDocument.Parse(line);
                    return doc.RootElement.TryGetProperty("step", out var s) && s.GetInt64() <= step;
                }
                catch (JsonException)
                {
                    return false;
                }
            })
            .ToList();
        AtomicFile.WriteAllText(path, kept.Count == 0 ? "" : string.Join('\n', kept) + "\n");
    }
}
