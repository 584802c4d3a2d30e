// A user's program on the SeqLab package: train a tiny LSTM language model, fill a blank with it,
// and use a checkpoint that the `seqlab` CLI trained.
//   dotnet run --project samples/TinyLstm [-- CHECKPOINT_DIR]
using SeqLab.Data;
using SeqLab.Inference;
using SeqLab.IO;
using SeqLab.Models;
using SeqLab.Training;

string work = Path.Combine(Path.GetTempPath(), $"seqlab-sample-{Environment.ProcessId}");
Directory.CreateDirectory(work);
try
{
    // 1. Some text: the lecture's pattern, "Swiss" → a Swiss language, many times over.
    string[] languages = ["alemán", "francés", "italiano"];
    var lines = Enumerable
        .Range(0, 300)
        .Select(i => $"crecí en los alpes suizos y todavía hablo {languages[i % 3]} con mis amigos .");
    string trainPath = Path.Combine(work, "train.txt");
    File.WriteAllLines(trainPath, lines);

    // 2. Train: the config says what to build, the options how long; the checkpoint goes to runDir.
    var config = new ModelConfig
    {
        Family = ModelFamily.Lstm,
        Task = TaskKind.Lm,
        EmbedDim = 32,
        HiddenSize = 32,
        MinCount = 1,
    };
    var options = new TrainingOptions
    {
        Steps = 60,
        BatchSize = 8,
        SeqLen = 16,
        LearningRate = 0.01,
        WarmupSteps = 5,
        EvalInterval = 30,
        Threads = 1,
    };
    string runDir = Path.Combine(work, "run");
    var run = TrainingRun.Start(config, options, trainPath, valid: null, runDir); // builds the vocabulary and the model
    var state = run.Run();
    run.Model.Dispose();
    Console.WriteLine($"trained: {state.Step} steps, best validation loss {state.BestValidLoss:F3}");

    // 3. Use it: load the checkpoint and rank the words for the blank.
    var loaded = Checkpoint.Load(runDir);
    var top = Predictors.For(loaded).Predict("crecí en los alpes suizos y todavía hablo [???]", top: 3).Candidates;
    Console.WriteLine("blank: " + string.Join(", ", top.Select(c => $"{c.Token} {c.Probability:P0}")));

    // 4. A checkpoint trained by the CLI (`seqlab train --out DIR`) loads the same way.
    if (args.Length > 0)
    {
        var cli = Checkpoint.Load(args[0]);
        var next = Predictors.For(cli).Predict("la", top: 3).Candidates;
        Console.WriteLine(
            $"cli model ({cli.Config.Family.Name()} {cli.Config.Task.Name()}): "
                + string.Join(", ", next.Select(c => c.Token))
        );
    }
    return 0;
}
finally
{
    Directory.Delete(work, recursive: true);
}
