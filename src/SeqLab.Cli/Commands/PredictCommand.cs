using SeqLab.Inference;
using SeqLab.Native;
using SeqLab.Training;

namespace SeqLab.Cli.Commands;

/// <summary>`seqlab predict`: the next word (or the "[???]" blank's word) for lm, the label for classify, the output for seq2seq.</summary>
public static class PredictCommand
{
    public static readonly Option[] Options =
    [
        new("model", "DIR", "checkpoint directory written by `seqlab train`"),
        new("text", "TEXT", "the context; put [???] where a word is missing to rank candidates for it from its left context"),
        new("top", "K", "lm: how many candidates; default 5"),
        new("beam", "B", "seq2seq: beam width (1 = greedy); default 4"),
        new("length-penalty", "A", "seq2seq: beam length penalty exponent; default 0.6"),
        new("json", null, "print one JSON document on stdout"),
        new("help", null, "show this help"),
    ];

    public const string Usage = "seqlab predict --model DIR --text \"…\" [--top 5] [--json]";

    public static int Run(Args a)
    {
        string dir = a.Required("model"), text = a.Required("text");
        int top = a.Int("top", 1, 1000) ?? 5;
        TorchRuntime.EnsureLoaded();
        var loaded = Checkpoint.Load(dir);
        if (loaded.Config.Task == "classify")
        {
            var p = new ClassifierPredictor(loaded).Predict(text);
            if (p.Truncated) Output.Warn($"the text is longer than the model's max length ({loaded.Config.MaxLength} tokens); only its first {loaded.Config.MaxLength} tokens were read.");
            if (a.Flag("json")) Output.Json(new { label = p.Label, probabilities = p.Probabilities });
            else foreach (var (label, prob) in p.Probabilities) Console.WriteLine($"{prob,8:P2}  {label}");
            return 0;
        }
        if (loaded.Config.Task == "seq2seq")
        {
            var output = new Seq2SeqPredictor(loaded).Output(text, a.Int("beam", 1, 1000) ?? 4, a.Double("length-penalty", 0, 100) ?? 0.6);
            if (a.Flag("json")) Output.Json(new { output });
            else Console.WriteLine(output);
            return 0;
        }
        var predictor = new LanguageModelPredictor(loaded);
        var candidates = predictor.Predict(text, top);
        if (predictor.Truncated) Output.Warn($"the text is longer than the model's max length ({loaded.Config.MaxLength} tokens); only its last {loaded.Config.MaxLength} tokens were read.");
        if (a.Flag("json")) Output.Json(new { candidates = candidates.Select(c => new { token = c.Token, probability = c.Probability }) });
        else foreach (var c in candidates) Console.WriteLine($"{c.Probability,8:P2}  {c.Token}");
        return 0;
    }
}
