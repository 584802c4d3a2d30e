using SeqLab.Data;
using SeqLab.Text;
using SeqLab.Training;

namespace SeqLab.Inference;

/// <summary>One call per task to score a trained model on held-out data in the training format.</summary>
public static class Evaluator
{
    /// <param name="UnigramPerplexity">the unigram perplexity of the same tokens (the baseline a model must
    /// beat).</param>
    /// <remarks>Its JSON (snake_case) is `eval --json`'s document for a language model.</remarks>
    /// <param name="BitsPerCharacter">the text's negative log-likelihood in bits per character (line ends
    /// included).</param>
    /// <param name="WordPerplexity">e^(negative log-likelihood per whitespace-separated word, line ends included):
    /// word, character and subword models on one scale.</param>
    /// <param name="UnknownRate">the share of tokens outside the model's vocabulary.</param>
    public sealed record LanguageModelScore(
        double Perplexity,
        double Loss,
        long Tokens,
        double UnigramPerplexity,
        double Accuracy,
        double UnknownRate,
        double BitsPerCharacter,
        double WordPerplexity
    );

    /// <summary>A language model's perplexity on a text (file or folder), in windows of its training length, beside the
    /// unigram baseline.</summary>
    public static LanguageModelScore LanguageModel(LoadedModel m, string path, int batchSize = 32)
    {
        var (lines, stream) = Text(m, path);
        var batches = LanguageModelData.Batches(stream, m.Training.SeqLen, batchSize).ToList();
        var result = Scored(m, batches, path);
        double unknown = stream.Count(t => t == Vocabulary.UnkId) / (double)stream.Length;
        // One scale for every tokenizer: the text's total negative log-likelihood over its characters (in bits) and
        // over its words. Each line's end counts as one character and one word: the <eos> the model predicts there.
        double nll = result.Loss * result.Count;
        long characters = lines.Sum(l => (long)l.Text.EnumerateRunes().Count() + 1);
        long words = lines.Sum(l =>
            (long)l.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length + 1
        );
        return new LanguageModelScore(
            result.Perplexity,
            result.Loss,
            result.Count,
            UnigramPerplexity(m.Vocabulary, batches),
            result.Accuracy,
            unknown,
            nll / Math.Log(2) / characters,
            Math.Exp(nll / words)
        );
    }

    /// <param name="Perplexity">e^loss over the masked tokens only.</param>
    /// <param name="MaskedAccuracy">the share of masked tokens whose original the model ranks first.</param>
    /// <param name="MaskedTokens">how many tokens were chosen (15% of the text).</param>
    /// <param name="MaskSeed">the masking seed: the same masks on every evaluation of the same text.</param>
    public sealed record MaskedLanguageModelScore(
        double Perplexity,
        double Loss,
        double MaskedAccuracy,
        long MaskedTokens,
        long Tokens,
        int MaskSeed
    );

    /// <summary>A masked language model on a text: the original tokens at BERT's chosen 15% of positions, predicted
    /// from both sides, with a fixed masking seed (<see cref="TaskData.ValidationMaskSeed"/>) so scores are
    /// comparable.</summary>
    public static MaskedLanguageModelScore MaskedLanguageModel(LoadedModel m, string path, int batchSize = 32)
    {
        var (_, stream) = Text(m, path);
        var batches = MaskedLanguageData.Batches(
            stream,
            m.Training.SeqLen,
            batchSize,
            m.Vocabulary,
            new Random(TaskData.ValidationMaskSeed)
        );
        var result = Scored(m, batches, path);
        return new(
            result.Perplexity,
            result.Loss,
            result.Accuracy,
            result.Count,
            stream.Length,
            TaskData.ValidationMaskSeed
        );
    }

    /// <summary>A text's non-empty lines and their ids under the model's tokenizer and vocabulary (at least 2
    /// tokens).</summary>
    static (List<TextSource.Line> Lines, long[] Stream) Text(LoadedModel m, string path)
    {
        var lines = TextSource.ReadLines(path).Where(l => !string.IsNullOrWhiteSpace(l.Text)).ToList();
        var stream = LanguageModelData.Encode(lines, m.Tokenizer, m.Vocabulary, m.Config.ClsSepFraming);
        if (stream.Length < 2)
            throw new SeqLabInputException($"{path} has fewer than 2 tokens; give a longer text to evaluate on.");
        return (lines, stream);
    }

    /// <summary>The model's loss on the batches; a non-finite one means damaged weights.</summary>
    static Validation.Result Scored(LoadedModel m, IEnumerable<Batch> batches, string path)
    {
        var result = Validation.Evaluate(m.Model, batches);
        if (!double.IsFinite(result.Loss))
            throw new SeqLabInputException(
                $"{m.Directory} gives a non-finite loss on {path}; its weights are damaged. Restore them or retrain."
            );
        return result;
    }

    /// <summary>A classifier's loss and accuracy on a TSV or JSONL file of labelled texts.</summary>
    public static Validation.Result Classification(LoadedModel m, string path, int batchSize = 64) =>
        Classification(m, PairedText.Read(path, PairedText.Format.Classification), batchSize);

    /// <summary>
    /// A classifier's loss and accuracy on labelled texts (file order, batches of <paramref name="batchSize"/>);
    /// a label the model does not know is refused with its file and line.
    /// </summary>
    public static Validation.Result Classification(
        LoadedModel m,
        IEnumerable<PairedText.Pair> pairs,
        int batchSize = 64
    )
    {
        var labels = m.Config.Labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => (long)p.i);
        var examples = pairs
            .Select(p =>
                labels.TryGetValue(p.First, out var y)
                    ? (Ids: Encode(m, p.Second), Label: y)
                    : throw new SeqLabInputException(
                        $"{p.File}:{p.Line}: label '{p.First}' is not one the model knows "
                            + $"({string.Join(", ", m.Config.Labels)})."
                    )
            )
            .ToList();
        return Validation.Evaluate(
            m.Model,
            examples
                .Chunk(batchSize)
                .Select(c =>
                    Batch.Pad(c.Select(e => e.Ids).ToList(), c.Select(e => e.Label).ToArray(), m.Config.MaxLength)
                )
        );
    }

    /// <summary>A classifier's best label for each text (in order, batches of <paramref name="batchSize"/>): for
    /// scoring against more than one right answer.</summary>
    public static string[] Labels(LoadedModel m, IEnumerable<string> texts, int batchSize = 64)
    {
        var labels = new List<string>();
        bool wasTraining = m.Model.training;
        m.Model.eval();
        using (no_grad())
            foreach (var chunk in texts.Select(t => Encode(m, t)).Chunk(batchSize))
            {
                using var scope = NewDisposeScope();
                var batch = Batch.Pad(chunk, new long[chunk.Length], m.Config.MaxLength);
                var best = m.Model.call(batch.InputTensor(), batch.LengthTensor()).argmax(-1); // (B)
                labels.AddRange(best.data<long>().ToArray().Select(i => m.Config.Labels[(int)i]));
            }
        m.Model.train(wasTraining);
        return [.. labels];
    }

    /// <summary>A text's token ids as a classifier reads them (an empty text as one unknown token).</summary>
    static long[] Encode(LoadedModel m, string text) =>
        m.Vocabulary.Encode(m.Tokenizer.Tokenize(text)) is { Length: > 0 } ids ? ids : [Vocabulary.UnkId];

    /// <summary>A seq2seq model's exact match and BLEU on a TSV or JSONL file of source/target pairs.</summary>
    public static Seq2SeqPredictor.Score Seq2Seq(
        LoadedModel m,
        string path,
        int beam = 1,
        double lengthPenalty = 0.6,
        int batchSize = 64
    ) =>
        new Seq2SeqPredictor(m).Evaluate(
            PairedText.Read(path, PairedText.Format.Translation),
            beam,
            lengthPenalty,
            batchSize: batchSize
        );

    /// <summary>
    /// The unigram baseline under the model's vocabulary: each target token scored by its training
    /// frequency (add-one smoothed), ignoring context. A model must beat it to have learned anything
    /// about order.
    /// </summary>
    public static double UnigramPerplexity(Vocabulary vocab, IEnumerable<Batch> batches)
    {
        double total = vocab.Counts.Sum() + vocab.Count;
        double nll = 0;
        long n = 0;
        foreach (var batch in batches)
        foreach (var t in batch.Targets)
        {
            if (t == Vocabulary.PadId)
                continue;
            nll -= Math.Log((vocab.Counts[(int)t] + 1) / total);
            n++;
        }
        return Math.Exp(nll / Math.Max(1, n));
    }
}
