using SeqLab.Data;
using SeqLab.Inference;
using SeqLab.Native;
using SeqLab.Text;
using SeqLab.Training;

namespace SeqLab.Cli.Commands;

/// <summary>`seqlab eval`: perplexity (lm, beside the unigram baseline), accuracy (classify), or exact match and BLEU (seq2seq) on held-out data.</summary>
public static class EvalCommand
{
    public static readonly Option[] Options =
    [
        new("model", "DIR", "checkpoint directory written by `seqlab train`"),
        new("data", "PATH", "evaluation data in the training format"),
        new("batch-size", "N", "default 32"),
        new("beam", "B", "seq2seq: beam width for the outputs (1 = greedy, batched, fastest); default 1"),
        new("length-penalty", "A", "seq2seq: beam length penalty exponent; default 0.6"),
        new("threads", "N", "libtorch threads; default: all cores"),
        new("json", null, "print one JSON document on stdout"),
        new("help", null, "show this help"),
    ];

    public const string Usage = "seqlab eval --model DIR --data PATH [--json]";

    public static int Run(Args a)
    {
        string dir = a.Required("model"), data = a.Required("data");
        int batchSize = a.Int("batch-size", 1, 1 << 20) ?? 32;
        TorchRuntime.SetThreads(a.Int("threads", 1, 1024));
        var loaded = Checkpoint.Load(dir);
        if (loaded.Manifest.VersionNote() is { } note) Console.Error.WriteLine($"seqlab: note: {note}");
        if (loaded.Config.Task == "classify")
        {
            var r = Evaluator.Classification(loaded, PairedText.Read(data, PairedText.Format.Classification), batchSize);
            if (a.Flag("json")) Output.Json(new { accuracy = r.Accuracy, examples = r.Count, loss = r.Loss });
            else Console.WriteLine($"accuracy {r.Accuracy:P2} on {r.Count:N0} examples (loss {r.Loss:F4}; chance with {loaded.Config.Labels.Count} labels: {1.0 / loaded.Config.Labels.Count:P1})");
            return 0;
        }

        if (loaded.Config.Task == "seq2seq")
        {
            var pairs = PairedText.Read(data, PairedText.Format.Translation);
            var score = new Seq2SeqPredictor(loaded).Evaluate(pairs, a.Int("beam", 1, 1000) ?? 1, a.Double("length-penalty", 0, 100) ?? 0.6, batchSize: batchSize);
            var loss = score.TeacherForced;
            if (a.Flag("json"))
                Output.Json(new { exact_match = score.ExactMatch, bleu = score.Bleu, examples = score.Examples, loss = loss.Loss, perplexity = loss.Perplexity, token_accuracy = loss.Accuracy,
                    samples = score.Samples.Select(s => new { source = s.Source, reference = s.Reference, output = s.Output }) });
            else
            {
                Console.WriteLine($"exact match {score.ExactMatch:P2} on {score.Examples:N0} examples; BLEU {score.Bleu:F2}; per-token loss {loss.Loss:F4} (teacher-forced accuracy {loss.Accuracy:P1})");
                foreach (var s in score.Samples) Console.WriteLine($"  {s.Source}  →  {s.Output}   (reference: {s.Reference})");
            }
            return 0;
        }

        var stream = LanguageModelData.Encode(TextSource.ReadLines(data), loaded.Tokenizer, loaded.Vocabulary);
        if (stream.Length < 2) throw new SeqLabInputException($"{data} has fewer than 2 tokens; give a longer text to evaluate on.");
        var lmBatches = LanguageModelData.Batches(stream, loaded.Training.SeqLen, batchSize).ToList();
        var result = Evaluator.Evaluate(loaded.Model, lmBatches);
        double unigram = Evaluator.UnigramPerplexity(loaded.Vocabulary, lmBatches);
        double unknown = stream.Count(t => t == Vocabulary.UnkId) / (double)stream.Length;
        if (a.Flag("json"))
            Output.Json(new { perplexity = result.Perplexity, loss = result.Loss, tokens = result.Count, unigram_perplexity = unigram, accuracy = result.Accuracy, unknown_rate = unknown });
        else
            Console.WriteLine($"perplexity {result.Perplexity:F2} (loss {result.Loss:F4}) over {result.Count:N0} tokens; unigram baseline {unigram:F2}; " +
                $"next-token accuracy {result.Accuracy:P1}; {unknown:P1} of tokens outside the vocabulary");
        return 0;
    }
}
