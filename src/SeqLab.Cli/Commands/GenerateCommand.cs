using SeqLab.Data;
using SeqLab.IO;
using SeqLab.Inference;
using SeqLab.Native;
using SeqLab.Training;

namespace SeqLab.Cli.Commands;

/// <summary>`seqlab generate`: continues a prompt (lm) or produces the output for a source (seq2seq) — sampled, greedy or by beam search.</summary>
public static class GenerateCommand
{
    public static readonly Option[] Options =
    [
        new("model", "DIR", "checkpoint directory of a language model or a seq2seq model"),
        new("prompt", "TEXT", "lm: the beginning of the text; seq2seq: the source"),
        new("max-tokens", "N", "most tokens to produce; default 30 (lm), twice the source + 10 (seq2seq)"),
        new("beam", "B", "beam search with B hypotheses (1 = sample, or greedy at temperature 0); default 1"),
        new("length-penalty", "A", "beam search: score = log p / ((5 + length) / 6)^A; 0 favours short outputs; default 0.6"),
        new("temperature", "T", "0 = greedy (always the likeliest token); higher = more varied; default 0.8 (lm), 0 (seq2seq)"),
        new("top-k", "K", "sample only among the K likeliest tokens (0 = all); default 0"),
        new("top-p", "P", "sample only among the likeliest tokens whose probabilities add up to P; default 1"),
        new("seed", "S", "sampling seed; default 1"),
        new("json", null, "print {\"output\": …} on stdout"),
        new("help", null, "show this help"),
    ];

    public const string Usage = "seqlab generate --model DIR --prompt \"…\" [--max-tokens N] [--temperature T] [--top-k K] [--top-p P] [--beam B]";

    public static int Run(Args a)
    {
        string dir = a.Required("model"), prompt = a.Required("prompt");
        var options = new GenerationOptions(a.Int("max-tokens", 1, 100_000), a.Double("temperature", 0), a.Int("top-k", 0) ?? 0,
            a.Double("top-p", double.Epsilon, 1) ?? 1.0, a.Int("seed") ?? 1, a.Int("beam", 1, 1000) ?? 1, a.Double("length-penalty", 0, 100) ?? 0.6);
        if (options.Beam > 1 && options.Temperature > 0)
            throw new SeqLabInputException("--beam searches for the likeliest output and --temperature samples one; use one of them.");
        TorchRuntime.EnsureLoaded();
        var output = Predictors.GeneratorFor(Checkpoint.Load(dir)).Generate(prompt, options);
        if (a.Flag("json")) Output.Json(new { output });
        else Console.WriteLine(output);
        return 0;
    }
}
