using Microsoft.Extensions.Hosting;
using SeqLab.Data;
using SeqLab.Lab;
using SeqLab.Native;
using SeqLab.Training;

namespace SeqLab.Cli.Serve;

/// <summary>`seqlab serve`: the web playground on 127.0.0.1, over the given checkpoints or small default models.</summary>
public static class ServeCommand
{
    public static readonly Option[] Options =
    [
        new("port", "P", "port on 127.0.0.1; default 8080 (0 picks a free one)"),
        new("model", "DIR", "a checkpoint to serve (repeat to compare several side by side); default: small LSTM and Transformer language models, trained on first use into runs/serve-default"),
        new("threads", "N", "libtorch threads; default: all cores"),
        new("help", null, "show this help"),
    ];

    public const string Usage = "seqlab serve [--port 8080] [--model DIR …]";

    public static int Run(Args a)
    {
        int port = a.Int("port", 0, 65535) ?? 8080;
        TorchRuntime.SetThreads(a.Int("threads", 1, 1024));
        var dirs = a.All("model");
        var models = dirs.Count > 0 ? dirs.Select(d => Checkpoint.Load(d)).ToList() : DefaultModels();
        var app = new Playground(models).Build(port);
        app.Start();
        // The bound address (with --port 0 the system picked the port).
        var server = (Microsoft.AspNetCore.Hosting.Server.IServer)app.Services.GetService(typeof(Microsoft.AspNetCore.Hosting.Server.IServer))!;
        var url = server.Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? $"http://127.0.0.1:{port}";
        Output.Info($"seqlab: serving {models.Count} model(s) at {url} (Ctrl+C stops)");
        Console.Out.WriteLine(url);
        Console.Out.Flush();
        app.WaitForShutdown();
        return 0;
    }

    /// <summary>Small LSTM and Transformer LMs on the lecture's long-range texts, trained once (about 40 s) and reused.</summary>
    static List<LoadedModel> DefaultModels()
    {
        var root = Path.Combine("runs", "serve-default");
        var session = new LabSession(root, LabScale.Small, log: line => Output.Info($"  {line}"));
        var models = new List<LoadedModel>();
        foreach (var family in new[] { "lstm", "transformer" })
        {
            var dir = Path.Combine(root, "models", $"{family}-lm");
            if (File.Exists(Path.Combine(dir, Checkpoint.ManifestFile))) { models.Add(Checkpoint.Load(dir)); continue; }
            var text = session.DataPath("long-range-lm.txt");
            if (!File.Exists(text))
                AtomicFile.WriteAllText(text, string.Join('\n', LongRange.Generate(3000, 20, 11).Select(e => e.Completed)) + "\n");
            Output.Info($"seqlab: training the default {family} model (once; it is kept in {dir})");
            var config = new Models.ModelConfig { Family = family, MinCount = 1, EmbedDim = 128, HiddenSize = 128, NumLayers = family == "transformer" ? 2 : 1, Heads = 4, FfDim = 256 };
            models.Add(session.Model($"{family}-lm", config, new TrainingOptions { SeqLen = 96, TimeBudgetSeconds = 20, EvalInterval = 100 }, text, null));
        }
        return models;
    }
}
