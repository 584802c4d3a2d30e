using System.Diagnostics;
using SeqLab.Data;
using SeqLab.Text;

namespace SeqLab.Cli.Commands;

/// <summary>`seqlab tokenizer train`: learns a byte-level BPE from a text and writes Hugging Face's tokenizer.json.</summary>
public static class TokenizerCommand
{
    public static readonly Option[] Options =
    [
        new("data", "PATH", "the text to learn from: a UTF-8 file or a folder of .txt files"),
        new("vocab-size", "N", $"tokens in the vocabulary, the {BpeTokenizer.Alphabet} byte symbols included", 8000),
        new("out", "FILE", "where to write tokenizer.json (Hugging Face's format)"),
        new("force", null, "overwrite --out if it exists"),
        new("json", null, "print one JSON document on stdout"),
        new("help", null, "show this help"),
    ];

    public const string Usage = "seqlab tokenizer train --data PATH --vocab-size N --out tokenizer.json";

    public static int Run(Args a)
    {
        if (a.Positionals is not ["train"])
            throw new SeqLabInputException(
                "`seqlab tokenizer` needs `train` (e.g. `seqlab tokenizer train --data t.txt --vocab-size 8000 --out tokenizer.json`)."
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
            $"seqlab: {bpe.Vocab.Count:N0} tokens ({bpe.Merges.Count:N0} merges) learned in {seconds:F1} s from {words:N0} words; "
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
}
