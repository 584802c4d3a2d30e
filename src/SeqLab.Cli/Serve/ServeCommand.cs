using Microsoft.Extensions.Hosting;
using SeqLab.Lab;
using SeqLab.Models;
using SeqLab.Native;
using SeqLab.Training;

namespace SeqLab.Cli.Serve;

/// <summary>`seqlab serve`: the web playground on 127.0.0.1, over the given checkpoints or small default
/// models.</summary>
public static class ServeCommand
{
    public static readonly Option[] Options =
    [
        new("port", "P", "port on 127.0.0.1 (0 picks a free one)", 8080),
        new(
            "model",
            "DIR",
            "a checkpoint to serve (repeat to compare several side by side); default: the long-range lab's LSTM and "
                + "Transformer, trained on first use into runs/serve-default"
        ),
        new("threads", "N", "libtorch threads; default: all cores"),
        Commands.LabCommand.LangOption,
        new("help", null, "show this help"),
    ];

    public const string Usage = "seqlab serve [--port 8080] [--model DIR …] [--lang es|en]";

    public static int Run(Args a)
    {
        int port = a.Int("port", 0, 65535)!.Value;
        var texts = Commands.LabCommand.Texts(a);
        TorchRuntime.SetThreads(a.Int("threads", 1, 1024));
        var dirs = a.All("model");
        var models = dirs.Count > 0 ? dirs.Select(d => Checkpoint.Load(d)).ToList() : DefaultModels();
        var app = new Playground(models, texts).Build(port);
        try
        {
            app.Start();
        }
        catch (IOException e)
        {
            throw new SeqLabInputException(
                $"cannot listen on 127.0.0.1:{port} ({e.Message.TrimEnd('.')}); choose another --port, or 0 for a "
                    + $"free one."
            );
        }
        // The bound address (with --port 0 the system picked the port).
        var server = (Microsoft.AspNetCore.Hosting.Server.IServer)
            app.Services.GetService(typeof(Microsoft.AspNetCore.Hosting.Server.IServer))!;
        var url =
            server
                .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()
                ?.Addresses.FirstOrDefault()
            ?? $"http://127.0.0.1:{port}";
        Output.Info($"seqlab: serving {models.Count} model(s) at {url} (Ctrl+C stops)");
        Console.Out.WriteLine(url);
        Console.Out.Flush();
        app.WaitForShutdown();
        return 0;
    }

    /// <summary>
    /// The long-range lab's LSTM and Transformer (the same recipe, seed 1), trained once into
    /// runs/serve-default (about 30 s) and loaded from there afterwards.
    /// </summary>
    static List<LoadedModel> DefaultModels()
    {
        var session = new LabSession(
            Path.Combine("runs", "serve-default"),
            LabScale.Small,
            log: line => Output.Info($"  {line}")
        );
        Output.Info(
            "seqlab: the default models are the long-range lab's LSTM and Transformer (trained once, then kept in "
                + "runs/serve-default)"
        );
        return LongRangeExperiment.Models(session, 1, ModelFamily.Lstm, ModelFamily.Transformer);
    }
}
