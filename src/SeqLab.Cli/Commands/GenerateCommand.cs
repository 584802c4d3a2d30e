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
        int? maxTokens = a.Int("max-tokens", 1, 100_000);
        int beam = a.Int("beam", 1, 1000) ?? 1;
        double lengthPenalty = a.Double("length-penalty", 0, 100) ?? 0.6;
        int seed = a.Int("seed") ?? 1;
        if (beam > 1 && a.Has("temperature") && a.Double("temperature", 0) > 0)
            throw new SeqLabInputException("--beam searches for the likeliest output and --temperature samples one; use one of them.");
        TorchRuntime.EnsureLoaded();
        var loaded = Checkpoint.Load(dir);
        var sampler = new Sampler(a.Double("temperature", 0) ?? (loaded.Config.Task == "seq2seq" ? 0 : 0.8), a.Int("top-k", 0) ?? 0, a.Double("top-p", double.Epsilon, 1) ?? 1.0);
        string output = loaded.Config.Task switch
        {
            "lm" => new LanguageModelPredictor(loaded).Generate(prompt, maxTokens ?? 30, sampler, seed, beam, lengthPenalty),
            "seq2seq" => new Seq2SeqPredictor(loaded).Output(prompt, beam, lengthPenalty, maxTokens, sampler, seed),
            _ => throw new SeqLabInputException($"{dir} holds a {loaded.Config.Task} model; `seqlab generate` needs a language model (--task lm) or a seq2seq model."),
        };
        if (a.Flag("json")) Output.Json(new { output });
        else Console.WriteLine(output);
        return 0;
    }
}
