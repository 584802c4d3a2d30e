using System.Text.Json;
using SeqLab.Text;

namespace SeqLab.Tests;

/// <summary>
/// Microsoft.ML.Tokenizers reads a tokenizer SeqLab trained (as vocab.json and merges.txt) and applies its merges to the
/// same ids. ML's BPE works on characters, so each word goes in already split and shown byte-level by SeqLab's
/// <see cref="ByteLevel"/>: the test compares the two BPE implementations, word by word, on held-out text.
/// </summary>
public class MlTokenizersInteropSpec
{
    [Fact]
    public void MicrosoftsBpeGivesSeqLabsIdsOnHeldOutText()
    {
        var fixtures = Path.Combine(Repo.Root, "tests", "fixtures", "bpe");
        var bpe = BpeTokenizer.Load(Path.Combine(fixtures, "seqlab-tokenizer.json"));
        using var vocab = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(bpe.Vocab));
        using var merges = new MemoryStream(
            System.Text.Encoding.UTF8.GetBytes(
                "#version: 0.2\n" + string.Concat(bpe.Merges.Select(m => $"{m.Left} {m.Right}\n"))
            )
        );
        var microsoft = Microsoft.ML.Tokenizers.BpeTokenizer.Create(vocab, merges);
        var lines = File.ReadAllLines(Path.Combine(fixtures, "heldout.txt")).Where(l => l.Length > 0).ToList();
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            var theirs = ByteLevel
                .Words(line)
                .SelectMany(w =>
                    microsoft.EncodeToIds(w, considerPreTokenization: false, considerNormalization: false)
                );
            Assert.Equal(bpe.Ids(line), theirs.ToArray());
        }
    }
}
