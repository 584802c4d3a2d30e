using SeqLab.Inference;
using SeqLab.Native;
using SeqLab.Training;

namespace SeqLab.Cli.Commands;

/// <summary>`seqlab generate`: continues a prompt (lm) or produces the output for a source (seq2seq) — sampled, greedy
/// or by beam search.</summary>
public static class GenerateCommand
{
    static readonly GenerationOptions Defaults = new();

    public static readonly Option[] Options =
    [
        new("model", "DIR", "checkpoint directory of a language model or a seq2seq model"),
        new("prompt", "TEXT", "lm: the beginning of the text; seq2seq: the source"),
        new(
            "max-tokens",
            "N",
            $"most tokens to produce; default {LanguageModelPredictor.DefaultMaxTokens} (lm), twice the source + 10 "
                + "(seq2seq). Transformers decode over a key/value cache; recurrent models re-read the prefix for each "
                + "token, so their cost grows with the square of the length"
        ),
        new("beam", "B", "beam search with B hypotheses (1 = sample, or greedy at temperature 0)", Defaults.Beam),
        new(
            "length-penalty",
            "A",
            "beam search: score = log p / ((5 + length) / 6)^A; 0 favours short outputs",
            Defaults.LengthPenalty
        ),
        new(
            "temperature",
            "T",
            $"0 = greedy (always the likeliest token); higher = more varied; default "
                + $"{LanguageModelPredictor.DefaultTemperature} (lm), 0 (seq2seq)"
        ),
        new("top-k", "K", "sample only among the K likeliest tokens (0 = all)", Defaults.TopK),
        new("top-p", "P", "sample only among the likeliest tokens whose probabilities add up to P", Defaults.TopP),
        new("seed", "S", "sampling seed", Defaults.Seed),
        new("json", null, "print {\"output\": …} on stdout"),
        new("help", null, "show this help"),
    ];

    public const string Usage =
        "seqlab generate --model DIR --prompt \"…\" [--max-tokens N] [--temperature T] [--top-k K] [--top-p P] "
        + "[--beam B]";

    public static int Run(Args a)
    {
        string dir = a.Required("model"),
            prompt = a.Required("prompt");
        var options = new GenerationOptions(
            a.Int("max-tokens", 1, 100_000),
            a.Double("temperature", 0),
            a.Int("top-k", 0)!.Value,
            a.Double("top-p", double.Epsilon, 1)!.Value,
            a.Int("seed")!.Value,
            a.Int("beam", 1, 1000)!.Value,
            a.Double("length-penalty", 0, 100)!.Value
        );
        if (options.Beam > 1 && options.Temperature > 0)
            throw new SeqLabInputException(
                "--beam searches for the likeliest output and --temperature samples one; use one of them."
            );
        TorchRuntime.EnsureLoaded();
        var output = Predictors.GeneratorFor(Checkpoint.Load(dir)).Generate(prompt, options);
        if (a.Flag("json"))
            Output.Json(new { output });
        else
            Console.WriteLine(output);
        return 0;
    }
}
