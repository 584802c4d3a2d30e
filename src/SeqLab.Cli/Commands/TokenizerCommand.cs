using System.Diagnostics;
using SeqLab.Data;
using SeqLab.Text;

namespace SeqLab.Cli.Commands;

/// <summary>`seqlab tokenizer train`: learns a byte-level BPE from a text and writes Hugging Face's
/// tokenizer.json.</summary>
public static class TokenizerCommand
{
    public static readonly Option[] Options =
    [
        new(
            "data",
            "PATH",
            "train: the text to learn from; encode: the text to encode (a UTF-8 file or a folder of .txt files)"
        ),
        new("tokenizer", "FILE", "encode: a tokenizer.json (SeqLab's or Hugging Face's byte-level BPE)"),
        new("threads", "N", "encode: lines encoded in parallel; default: all cores"),
        new("vocab-size", "N", $"tokens in the vocabulary, the {BpeTokenizer.Alphabet} byte symbols included", 8000),
        new("out", "FILE", "where to write tokenizer.json (Hugging Face's format)"),
        new("force", null, "overwrite --out if it exists"),
        new("json", null, "print one JSON document on stdout"),
        new("help", null, "show this help"),
    ];

    public const string Usage =
        "seqlab tokenizer train --data PATH --vocab-size N --out tokenizer.json\n"
        + "       seqlab tokenizer encode --tokenizer tokenizer.json --data PATH [--threads N] [--json]   # speed "
        + "and compression";

    public static int Run(Args a)
    {
        if (a.Positionals is ["encode"])
            return Encode(a);
        if (a.Positionals is not ["train"])
            throw new SeqLabInputException(
                "`seqlab tokenizer` needs `train` or `encode` (e.g. `seqlab tokenizer train --data t.txt "
                    + "--vocab-size 8000 "
                    + "--out tokenizer.json`)."
            );
        string data = a.Required("data"),
            path = a.Required("out");
        if (Directory.Exists(path))
            throw new SeqLabInputException(
                $"{path} is a folder; --out needs a file name such as {Path.Combine(path, BpeTokenizer.FileName)}."
            );
        if (File.Exists(path) && !a.Flag("force"))
            throw new SeqLabInputException(
                $"{path} already exists; choose another --out or add --force to replace it."
            );
        int size = a.Int("vocab-size", 1, 10_000_000)!.Value;
        var lines = TextSource.ReadLines(data).Select(l => l.Text).ToList();
        var clock = Stopwatch.StartNew();
        var bpe = BpeTokenizer.Train(lines, size);
        double seconds = clock.Elapsed.TotalSeconds;
        bpe.Save(path);
        long words = lines.Sum(l => (long)l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length);
        long tokens = lines.Sum(l => (long)bpe.Tokenize(l).Count);
        Output.Info(
            $"seqlab: {bpe.Vocab.Count:N0} tokens ({bpe.Merges.Count:N0} merges) learned in {seconds:F1} s from "
                + $"{words:N0} words; "
                + $"{(double)tokens / Math.Max(1, words):F2} tokens per word on this text; written to {path}"
        );
        if (a.Flag("json"))
            Output.Json(
                new
                {
                    out_path = path,
                    vocab_size = bpe.Vocab.Count,
                    merges = bpe.Merges.Count,
                    seconds,
                    tokens_per_word = (double)tokens / Math.Max(1, words),
                }
            );
        return 0;
    }

    /// <summary>Encodes a text and reports the speed (tokens per second) and compression (tokens per word).</summary>
    static int Encode(Args a)
    {
        var bpe = BpeTokenizer.Load(a.Required("tokenizer"));
        var lines = TextSource.ReadLines(a.Required("data")).Select(l => l.Text).ToList();
        int threads = a.Int("threads", 1, 1024) ?? Environment.ProcessorCount;
        long words = lines.Sum(l => (long)l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length);
        bpe.Tokenize(string.Join(' ', lines.Take(50))); // warm the regex and the code paths
        var clock = Stopwatch.StartNew();
        long tokens = 0;
        Parallel.ForEach(
            lines,
            new ParallelOptions { MaxDegreeOfParallelism = threads },
            () => 0L,
            (line, _, count) => count + bpe.Ids(line).Length,
            count => Interlocked.Add(ref tokens, count)
        );
        double seconds = clock.Elapsed.TotalSeconds;
        Output.Info(
            $"seqlab: {tokens:N0} tokens from {words:N0} words in {seconds:F3} s with {threads} thread(s): "
                + $"{tokens / seconds:N0} tokens/s, {(double)tokens / Math.Max(1, words):F3} tokens per word"
        );
        if (a.Flag("json"))
            Output.Json(
                new
                {
                    tokens,
                    words,
                    seconds,
                    threads,
                    tokens_per_s = tokens / seconds,
                    tokens_per_word = (double)tokens / Math.Max(1, words),
                }
            );
        return 0;
    }
}
