using SeqLab.Attention;
using SeqLab.Models;
using SeqLab.Text;
using SeqLab.Training;

namespace SeqLab.Inference;

/// <summary>Uses a trained language model: next-word candidates, filling a "[???]" blank, and generation.</summary>
public sealed class LanguageModelPredictor(LoadedModel loaded) : IPredictor, IGenerator
{
    /// <summary>
    /// A Transformer continues a prompt with a key/value cache (sampling and greedy; beam search re-reads its
    /// prefixes), unless the text would outgrow max_length, where the window slides instead. Off only to measure it.
    /// </summary>
    public bool UseCache { get; init; } = true;

    /// <summary>Tokens a continuation runs to when no length is given.</summary>
    public const int DefaultMaxTokens = 30;

    /// <summary>The sampling temperature when none is given: varied, but not wild.</summary>
    public const double DefaultTemperature = 0.8;

    /// <summary>Whether the context had to be cut to the model's max length (the oldest tokens were dropped).</summary>
    public bool Truncated { get; private set; }

    /// <summary>
    /// The text's tokens as the model reads them: &lt;eos&gt; first (every training line followed one),
    /// then the text up to the blank if there is one, keeping the last max-length tokens.
    /// </summary>
    public long[] Context(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new SeqLabInputException("the text is empty; give some words to continue (--text \"…\").");
        var left = Blank.LeftOf(text);
        if (loaded.Tokenizer is BpeTokenizer)
            left = left.TrimEnd(); // the blank's word brings its own leading space
        var ids = new List<long> { Vocabulary.EosId };
        ids.AddRange(loaded.Vocabulary.Encode(loaded.Tokenizer.Tokenize(left)));
        int max = loaded.Config.MaxLength;
        Truncated = ids.Count > max;
        return Truncated ? ids.Skip(ids.Count - max).ToArray() : ids.ToArray();
    }

    /// <summary>
    /// The most likely next tokens after the text, with their probabilities; special tokens are
    /// skipped. For a "[???]" blank only words are ranked (tokens with a letter or digit): a blank
    /// stands for a word, not for the punctuation that might also follow the left context.
    /// </summary>
    public IReadOnlyList<Candidate> Predict(string text, int top)
    {
        if (top < 1)
            throw new SeqLabInputException($"--top must be at least 1 (got {top}).");
        bool wordsOnly = Blank.In(text);
        if (wordsOnly && loaded.Tokenizer is BpeTokenizer)
            return WholeWords.Rank(loaded, Context(text), top); // a blank is a word, and a word may be several pieces
        using var scope = NewDisposeScope();
        return TokenRanking.Top(loaded, NextDistribution(Context(text)), top, wordsOnly);
    }

    Prediction IPredictor.Predict(string text, int top)
    {
        var candidates = Predict(text, top);
        return TokenRanking.Prediction(
            loaded,
            candidates,
            Truncated ? $"its last {loaded.Config.MaxLength} tokens" : null
        );
    }

    string IGenerator.Generate(string prompt, GenerationOptions o) =>
        Generate(
            prompt,
            o.MaxTokens ?? DefaultMaxTokens,
            new Sampler(o.Temperature ?? DefaultTemperature, o.TopK, o.TopP),
            o.Seed,
            o.Beam,
            o.LengthPenalty
        );

    /// <summary>The next-token scores for prefixes of the continuation, over cached keys and values.</summary>
    Func<long[][], Tensor> Cached(long[] context, KeyValueCache[] caches)
    {
        var lm = (LanguageModel)loaded.Model;
        return CachedDecoding.Prefixes(
            caches,
            () => lm.Step(tensor(context, [1, context.Length]), caches)[.., -1],
            last => lm.Step(tensor(last, [last.Length, 1]), caches)[.., -1]
        );
    }

    Tensor NextDistribution(long[] context)
    {
        using var _ = no_grad();
        var logits = loaded.Model.call(tensor(context, [1, context.Length]), null); // (1, T, V)
        return logits[0, -1].softmax(0); // (V)
    }

    /// <summary>
    /// Continues the prompt token by token until &lt;eos&gt; or <paramref name="maxTokens"/>: sampled (or
    /// greedy at temperature 0) with <paramref name="beam"/> 1, by beam search when it is larger.
    /// </summary>
    public string Generate(
        string prompt,
        int maxTokens,
        Sampler sampler,
        int seed,
        int beam = 1,
        double lengthPenalty = 0.6
    )
    {
        sampler.Validate();
        if (maxTokens < 1)
            throw new SeqLabInputException($"--max-tokens must be at least 1 (got {maxTokens}).");
        var context = Context(prompt);
        long[] banned = [Vocabulary.PadId, Vocabulary.UnkId, Vocabulary.BosId];
        Tensor Next(long[][] continuations) // → (N, V) next-token scores
        {
            int max = loaded.Config.MaxLength;
            var rows = continuations.Select(c => context.Concat(c).TakeLast(max).ToArray()).ToArray();
            using var _ = no_grad();
            return loaded.Model.call(tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]), null)[
                ..,
                -1
            ];
        }
        // With a cache each step feeds only the newest token; the keys and values of the ones before are kept.
        var caches =
            UseCache && loaded.Model is LanguageModel lm && context.Length + maxTokens <= loaded.Config.MaxLength
                ? lm.NewCache()
                : null;
        long[] produced;
        try
        {
            var next = caches is null ? Next : Cached(context, caches);
            produced =
                beam > 1
                    ? BeamSearch
                        .Search(c => next(c).log_softmax(-1), beam, maxTokens, lengthPenalty, Vocabulary.EosId, banned)
                        .Tokens
                    : sampler.Continue(p => next([p])[0], maxTokens, Vocabulary.EosId, banned, seed);
        }
        finally
        {
            foreach (var c in caches ?? [])
                c.Dispose();
        }
        var promptTokens = loaded.Tokenizer.Tokenize(prompt);
        return loaded.Tokenizer.Detokenize(promptTokens.Concat(produced.Select(t => loaded.Vocabulary[(int)t])));
    }
}
