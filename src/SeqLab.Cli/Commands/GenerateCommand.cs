using SeqLab.Decoding;
using SeqLab.Native;
using SeqLab.Training;

namespace SeqLab.Cli.Commands;

/// <summary>`seqlab generate`: continues a prompt with a language model (greedy or sampled).</summary>
public static class GenerateCommand
{
    public static readonly Option[] Options =
    [
        new("model", "DIR", "checkpoint directory of a language model"),
        new("prompt", "TEXT", "the beginning of the text"),
        new("max-tokens", "N", "most tokens to add; default 30"),
        new("temperature", "T", "0 = greedy (always the likeliest token); higher = more varied; default 0.8"),
        new("top-k", "K", "sample only among the K likeliest tokens (0 = all); default 0"),
        new("top-p", "P", "sample only among the likeliest tokens whose probabilities add up to P; default 1"),
        new("seed", "S", "sampling seed; default 1"),
        new("json", null, "print {\"output\": …} on stdout"),
        new("help", null, "show this help"),
    ];

    public const string Usage = "seqlab generate --model DIR --prompt \"…\" [--max-tokens N] [--temperature T] [--top-k K] [--top-p P]";

    public static int Run(Args a)
    {
        string dir = a.Required("model"), prompt = a.Required("prompt");
        var sampler = new Sampler(a.Double("temperature", 0) ?? 0.8, a.Int("top-k", 0) ?? 0, a.Double("top-p", double.Epsilon, 1) ?? 1.0);
        int maxTokens = a.Int("max-tokens", 1, 100_000) ?? 30;
        int seed = a.Int("seed") ?? 1;
        TorchRuntime.EnsureLoaded();
        var loaded = Checkpoint.Load(dir);
        if (loaded.Config.Task != "lm") throw new SeqLabInputException($"{dir} holds a {loaded.Config.Task} model; `seqlab generate` needs a language model (--task lm).");
        var output = new LanguageModelPredictor(loaded).Generate(prompt, maxTokens, sampler, seed);
        if (a.Flag("json")) Output.Json(new { output });
        else Console.WriteLine(output);
        return 0;
    }
}
