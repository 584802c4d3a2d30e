using SeqLab.Inference;
using SeqLab.Native;
using SeqLab.Training;

namespace SeqLab.Cli.Commands;

/// <summary>`seqlab predict`: the next word (or the "[???]" blank's word) for lm, the label for classify, the output
/// for seq2seq.</summary>
public static class PredictCommand
{
    public static readonly Option[] Options =
    [
        new("model", "DIR", "checkpoint directory written by `seqlab train`"),
        new(
            "text",
            "TEXT",
            "the context; put [???] where a word is missing to rank candidates for it from its left context"
        ),
        new("top", "K", "how many candidates (next words, or labels)", 5),
        new("beam", "B", "seq2seq: beam width (1 = greedy)", 4),
        new("length-penalty", "A", "seq2seq: beam length penalty exponent", 0.6),
        new("json", null, "print one JSON document on stdout"),
        new("help", null, "show this help"),
    ];

    public const string Usage = "seqlab predict --model DIR --text \"…\" [--top 5] [--json]";

    public static int Run(Args a)
    {
        string dir = a.Required("model"),
            text = a.Required("text");
        int top = a.Int("top", 1, 1000)!.Value;
        TorchRuntime.EnsureLoaded();
        var loaded = Checkpoint.Load(dir);
        var p = Predictors
            .For(loaded, a.Int("beam", 1, 1000)!.Value, a.Double("length-penalty", 0, 100)!.Value)
            .Predict(text, top);
        if (p.Warning is { } warning)
            Output.Warn(warning);
        if (a.Flag("json"))
            Output.Json(
                p.Output is { } output ? new { output }
                : p.Label is { } label
                    ? new { label, probabilities = p.Candidates.ToDictionary(c => c.Token, c => c.Probability) }
                : new { candidates = p.Candidates.Select(c => new { token = c.Token, probability = c.Probability }) }
            );
        else if (p.Output is { } output)
            Console.WriteLine(output);
        else
            foreach (var c in p.Candidates)
                Console.WriteLine($"{c.Probability, 8:P2}  {c.Token}");
        return 0;
    }
}
