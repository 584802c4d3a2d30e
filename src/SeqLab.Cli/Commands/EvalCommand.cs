using SeqLab.Data;
using SeqLab.Inference;
using SeqLab.IO;
using SeqLab.Native;
using SeqLab.Training;

namespace SeqLab.Cli.Commands;

/// <summary>`seqlab eval`: perplexity (lm, beside the unigram baseline), accuracy (classify), or exact match and BLEU
/// (seq2seq) on held-out data.</summary>
public static class EvalCommand
{
    public static readonly Option[] Options =
    [
        new("model", "DIR", "checkpoint directory written by `seqlab train`"),
        new("data", "PATH", "evaluation data in the training format"),
        new("batch-size", "N", "examples (lm: windows) per batch", 32),
        new("beam", "B", "seq2seq: beam width for the outputs (1 = greedy, batched, fastest)", 1),
        new("length-penalty", "A", "seq2seq: beam length penalty exponent", 0.6),
        new("threads", "N", "libtorch threads; default: all cores"),
        new("precision", "fp32|bf16", "the matrix products in fp32, or in bf16 (faster; scores to about 1e-2)", "fp32"),
        new("json", null, "print one JSON document on stdout"),
        new("help", null, "show this help"),
    ];

    public const string Usage = "seqlab eval --model DIR --data PATH [--json]";

    public static int Run(Args a)
    {
        string dir = a.Required("model"),
            data = a.Required("data");
        int batchSize = a.Int("batch-size", 1, 1 << 20)!.Value;
        TorchRuntime.SetThreads(a.Int("threads", 1, 1024));
        var precision = Spelling.Parse<Precision>("--precision", a.String("precision")!);
        var m = Checkpoint.Load(dir);
        using var autocast = Autocast.Scope(precision);
        if (m.Manifest.VersionNote() is { } note)
            Console.Error.WriteLine($"seqlab: note: {note}");
        switch (m.Config.Task)
        {
            case TaskKind.Classify:
                var r = Evaluator.Classification(m, data, batchSize);
                int labels = m.Config.Labels.Count;
                if (a.Flag("json"))
                    Output.Json(
                        new
                        {
                            accuracy = r.Accuracy,
                            examples = r.Count,
                            loss = r.Loss,
                        }
                    );
                else
                    Console.WriteLine(
                        $"accuracy {r.Accuracy:P2} on {r.Count:N0} examples (loss {r.Loss:F4}; chance with {labels} "
                            + $"labels: {1.0 / labels:P1})"
                    );
                break;
            case TaskKind.Seq2Seq:
                var score = Evaluator.Seq2Seq(
                    m,
                    data,
                    a.Int("beam", 1, 1000)!.Value,
                    a.Double("length-penalty", 0, 100)!.Value,
                    batchSize
                );
                var loss = score.TeacherForced;
                if (a.Flag("json"))
                    Output.Json(
                        new
                        {
                            exact_match = score.ExactMatch,
                            bleu = score.Bleu,
                            examples = score.Examples,
                            loss = loss.Loss,
                            perplexity = loss.Perplexity,
                            token_accuracy = loss.Accuracy,
                            samples = score.Samples.Select(s => new
                            {
                                source = s.Source,
                                reference = s.Reference,
                                output = s.Output,
                            }),
                        }
                    );
                else
                {
                    Console.WriteLine(
                        $"exact match {score.ExactMatch:P2} on {score.Examples:N0} examples; BLEU {score.Bleu:F2}; "
                            + $"per-token loss {loss.Loss:F4} "
                            + $"(teacher-forced accuracy {loss.Accuracy:P1})"
                    );
                    foreach (var s in score.Samples)
                        Console.WriteLine($"  {s.Source}  →  {s.Output}   (reference: {s.Reference})");
                }
                break;
            case TaskKind.Mlm:
                var mlm = Evaluator.MaskedLanguageModel(m, data, batchSize);
                if (a.Flag("json"))
                    Output.Json(mlm);
                else
                    Console.WriteLine(
                        $"masked-token accuracy {mlm.MaskedAccuracy:P1}, perplexity {mlm.Perplexity:F2} "
                            + $"(loss {mlm.Loss:F4}) "
                            + $"on {mlm.MaskedTokens:N0} masked of {mlm.Tokens:N0} tokens (masking seed "
                            + $"{mlm.MaskSeed}, the same on every run)"
                    );
                break;
            default:
                var lm = Evaluator.LanguageModel(m, data, batchSize);
                if (a.Flag("json"))
                    Output.Json(lm);
                else
                    Console.WriteLine(
                        $"perplexity {lm.Perplexity:F2} (loss {lm.Loss:F4}) over {lm.Tokens:N0} tokens; unigram "
                            + $"baseline {lm.UnigramPerplexity:F2}; "
                            + $"next-token accuracy {lm.Accuracy:P1}; {lm.UnknownRate:P1} of tokens outside the "
                            + $"vocabulary; on every tokenizer's scale: {lm.BitsPerCharacter:F3} bits per character, "
                            + $"word perplexity {lm.WordPerplexity:F1}"
                    );
                break;
        }
        return 0;
    }
}
