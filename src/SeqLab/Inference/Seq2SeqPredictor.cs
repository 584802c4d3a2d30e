using SeqLab.Data;
using SeqLab.IO;
using SeqLab.Models;
using SeqLab.Text;
using SeqLab.Training;

namespace SeqLab.Inference;

/// <summary>
/// Uses a trained encoder–decoder: encode the source once, then produce the output token by token —
/// greedily, by beam search, or by sampling — and score a test set by exact match and corpus BLEU.
/// </summary>
public sealed class Seq2SeqPredictor : IPredictor, IGenerator
{
    readonly LoadedModel loaded;
    readonly Seq2SeqModel model;
    static readonly long[] Banned = [Vocabulary.PadId, Vocabulary.BosId];

    public Seq2SeqPredictor(LoadedModel loaded)
    {
        this.loaded = loaded;
        model =
            loaded.Model as Seq2SeqModel
            ?? throw new SeqLabInputException(
                $"{loaded.Directory} holds a {loaded.Config.Task.Name()} model, not a seq2seq one."
            );
        model.eval();
    }

    /// <summary>`predict`: beam width (1 = greedy) and length penalty.</summary>
    public int Beam { get; init; } = 4;
    public double LengthPenalty { get; init; } = 0.6;

    /// <summary>A Transformer decoder decodes over a key/value cache; off only to measure it.</summary>
    public bool UseCache { get; init; } = true;

    /// <summary>`predict`: the longest output (null: <see cref="DefaultMaxTokens"/>).</summary>
    public int? MaxTokens { get; init; }

    Prediction IPredictor.Predict(string text, int top)
    {
        var output = Output(text, Beam, LengthPenalty, MaxTokens);
        return new Prediction([new Candidate(output, 1.0)], Output: output);
    }

    /// <summary>Greedy or beam search unless a temperature above 0 asks for sampling.</summary>
    string IGenerator.Generate(string prompt, GenerationOptions o) =>
        Output(prompt, o.Beam, o.LengthPenalty, o.MaxTokens, new Sampler(o.Temperature ?? 0, o.TopK, o.TopP), o.Seed);

    /// <param name="TeacherForced">per-token loss and accuracy with the reference as the decoder's input.</param>
    public sealed record Score(
        double ExactMatch,
        double Bleu,
        int Examples,
        IReadOnlyList<(string Source, string Reference, string Output)> Samples,
        Validation.Result TeacherForced
    );

    /// <summary>Source text → token ids, refusing texts the model cannot read whole.</summary>
    public long[] Source(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new SeqLabInputException("the source text is empty; give a text to transform (--text \"…\").");
        var ids = loaded.Vocabulary.Encode(loaded.Tokenizer.Tokenize(text));
        if (ids.Length > loaded.Config.MaxLength)
            throw new SeqLabInputException(
                $"the source has {ids.Length} tokens; this model reads at most {loaded.Config.MaxLength} "
                    + $"(max_length). Shorten it."
            );
        return ids.Length == 0 ? [Vocabulary.UnkId] : ids;
    }

    /// <summary>A generous output limit: twice the source plus ten, within the decoder's positions.</summary>
    public int DefaultMaxTokens(int sourceLength) => Math.Min(loaded.Config.MaxLength - 1, 2 * sourceLength + 10);

    /// <summary>The output for one source: beam search (width 1 = greedy), or sampling when the sampler's temperature
    /// is above 0.</summary>
    public string Output(
        string text,
        int beam = 1,
        double lengthPenalty = 0.6,
        int? maxTokens = null,
        Sampler? sampler = null,
        int seed = 1
    ) =>
        loaded.Tokenizer.Detokenize(
            OutputIds(text, beam, lengthPenalty, maxTokens, sampler, seed).Select(t => loaded.Vocabulary[(int)t])
        );

    long[] OutputIds(string text, int beam, double lengthPenalty, int? maxTokens, Sampler? sampler, int seed)
    {
        var ids = Source(text);
        int limit = Math.Min(maxTokens ?? DefaultMaxTokens(ids.Length), loaded.Config.MaxLength - 1);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (memory, padding) = model.Encode(tensor(ids, [1, ids.Length]), null); // (1, S, d)
        Tensor Next(long[][] prefixes) // → (N, V) log-probabilities
        {
            var rows = prefixes.Select(p => p.Prepend(Vocabulary.BosId).ToArray()).ToArray();
            var output = tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]);
            var logits = model.Decode(output, memory.expand(rows.Length, -1, -1), padding);
            return logits[.., -1].log_softmax(-1);
        }
        var caches = UseCache ? model.NewCache() : null;
        try
        {
            // A Transformer decoder reads each output token once, its keys and values cached; a recurrent one re-reads.
            var next = caches is null
                ? Next
                : CachedDecoding.Prefixes(
                    caches,
                    () =>
                        model
                            .DecodeStep(tensor(new[] { Vocabulary.BosId }, [1, 1]), memory, padding, caches)[.., -1]
                            .log_softmax(-1),
                    last =>
                        model
                            .DecodeStep(
                                tensor(last, [last.Length, 1]),
                                memory.expand(last.Length, -1, -1),
                                padding,
                                caches
                            )[.., -1]
                            .log_softmax(-1)
                );
            if (sampler is { Temperature: > 0 })
                return sampler.Continue(p => next([p])[0], limit, Vocabulary.EosId, Banned, seed);
            return BeamSearch.Search(next, beam, limit, lengthPenalty, Vocabulary.EosId, Banned).Tokens;
        }
        finally
        {
            foreach (var c in caches ?? [])
                c.Dispose();
        }
    }

    /// <summary>Greedy outputs for many sources at once (B rows decoded together, each until its
    /// &lt;eos&gt;).</summary>
    public List<long[]> GreedyBatch(IReadOnlyList<long[]> sources)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var batch = Batch.Pad(sources, [], loaded.Config.MaxLength);
        var (memory, padding) = model.Encode(batch.InputTensor(), batch.LengthTensor());
        int limit = DefaultMaxTokens(batch.Columns);
        var output = full(batch.Rows, 1, Vocabulary.BosId, dtype: ScalarType.Int64); // (B, 1)
        var done = zeros(batch.Rows, dtype: ScalarType.Bool);
        var caches = UseCache ? model.NewCache() : null;
        for (int step = 0; step < limit; step++)
        {
            var logits = (
                caches is null
                    ? model.Decode(output, memory, padding)
                    : model.DecodeStep(output.narrow(1, output.shape[1] - 1, 1), memory, padding, caches)
            )[.., -1]; // (B, V)
            foreach (var id in Banned)
                logits[.., id] = float.NegativeInfinity;
            var next = logits.argmax(-1).masked_fill(done, Vocabulary.PadId); // (B)
            output = cat([output, next.unsqueeze(1)], 1);
            done = done.logical_or(next.eq(Vocabulary.EosId));
            if (done.all().item<bool>())
                break;
        }
        foreach (var c in caches ?? [])
            c.Dispose();
        var flat = output.data<long>().ToArray();
        int columns = (int)output.shape[1];
        return Enumerable
            .Range(0, batch.Rows)
            .Select(r =>
                flat.Skip(r * columns + 1)
                    .Take(columns - 1)
                    .TakeWhile(t => t != Vocabulary.EosId && t != Vocabulary.PadId)
                    .ToArray()
            )
            .ToList();
    }

    /// <summary>Exact match (whole output equals the reference, token by token) and corpus BLEU over a test
    /// set.</summary>
    public Score Evaluate(
        IReadOnlyList<PairedText.Pair> pairs,
        int beam = 1,
        double lengthPenalty = 0.6,
        int samples = 3,
        int batchSize = 64
    )
    {
        var tokenizer = loaded.Tokenizer;
        var sources = pairs.Select(p => Source(p.First)).ToList();
        var targets = pairs.Select(p => loaded.Vocabulary.Encode(tokenizer.Tokenize(p.Second))).ToList();
        var ids =
            beam == 1
                ? sources.Chunk(batchSize).SelectMany(chunk => GreedyBatch(chunk)).ToList()
                : pairs.Select(p => OutputIds(p.First, beam, lengthPenalty, null, null, 1)).ToList();
        var outputs = ids.Select(o => (IReadOnlyList<string>)o.Select(t => loaded.Vocabulary[(int)t]).ToList())
            .ToList();
        // The reference as the model sees it: same tokenizer, and unknown words as <unk>.
        var references = targets
            .Select(t => (IReadOnlyList<string>)t.Select(id => loaded.Vocabulary[(int)id]).ToList())
            .ToList();
        var teacherForced = Validation.Evaluate(
            model,
            Enumerable
                .Range(0, (pairs.Count + batchSize - 1) / batchSize)
                .Select(b =>
                    Batch.Pairs(
                        sources.Skip(b * batchSize).Take(batchSize).ToList(),
                        targets.Skip(b * batchSize).Take(batchSize).ToList(),
                        loaded.Config.MaxLength
                    )
                )
        );
        int exact = outputs.Zip(references).Count(x => x.First.SequenceEqual(x.Second));
        var shown = pairs
            .Take(samples)
            .Select((p, i) => (p.First, p.Second, tokenizer.Detokenize(outputs[i])))
            .ToList();
        return new Score(
            (double)exact / pairs.Count,
            Bleu.Corpus(outputs, references),
            pairs.Count,
            shown,
            teacherForced
        );
    }
}
