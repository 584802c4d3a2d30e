using SeqLab.Text;

namespace SeqLab.Data;

/// <summary>
/// A task's data turned into batches under one vocabulary: a training stream that reshuffles each
/// epoch from (seed, epoch) alone — so a resumed run sees exactly the batches a straight run would —
/// and a fixed validation set.
/// </summary>
public sealed record TaskData
{
    public required Vocabulary Vocabulary { get; init; }
    public required ITokenizer Tokenizer { get; init; }
    public required Func<int, IEnumerable<Batch>> Epoch { get; init; }
    public required int BatchesPerEpoch { get; init; }
    public required IReadOnlyList<Batch> Valid { get; init; }

    /// <summary>Tokens (lm) or examples (classify, seq2seq) in one training epoch.</summary>
    public required long TrainSize { get; init; }

    /// <summary>classify: the label names in output order (sorted, from the training data unless given); otherwise
    /// empty.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>
    /// Reads the data for the task of <paramref name="o"/>. Builds the vocabulary (and the labels) from the
    /// training part unless <paramref name="vocab"/> (and <paramref name="labels"/>) are given, as on resume.
    /// </summary>
    public static TaskData Prepare(
        DataOptions o,
        string dataPath,
        string? validPath,
        Vocabulary? vocab = null,
        IReadOnlyList<string>? labels = null,
        ITokenizer? tokenizer = null
    )
    {
        tokenizer ??=
            o.Tokenizer == TokenizerKind.Bpe
                ? BpeTokenizer.Train(TextSource.ReadLines(dataPath).Select(l => l.Text), o.BpeVocabSize)
                : Tokenizers.Create(o.Tokenizer, o.Lowercase);
        return o.Task switch
        {
            TaskKind.Classify => Classification(o, dataPath, validPath, tokenizer, vocab, labels),
            TaskKind.Seq2Seq => Translation(o, dataPath, validPath, tokenizer, vocab),
            TaskKind.Mlm => TextModelling(o, dataPath, validPath, tokenizer, vocab, masked: true),
            _ => TextModelling(o, dataPath, validPath, tokenizer, vocab, masked: false),
        };
    }

    /// <summary>The validation masks' seed: fixed, so every validation and every run is scored on the same
    /// masks.</summary>
    public const int ValidationMaskSeed = 20190524;

    /// <summary>
    /// A text cut into windows: next-token targets (lm), or the same windows masked BERT's way (mlm: new masks every
    /// epoch, fixed ones for validation).
    /// </summary>
    static TaskData TextModelling(
        DataOptions o,
        string dataPath,
        string? validPath,
        ITokenizer tokenizer,
        Vocabulary? vocab,
        bool masked
    )
    {
        var (vocabulary, train, valid) = TextIds(o, dataPath, validPath, tokenizer, vocab, mask: masked);
        IEnumerable<Batch> Batches(long[] ids, Random? order, Random masking) =>
            masked
                ? MaskedLanguageData.Batches(ids, o.SeqLen, o.BatchSize, vocabulary, masking, order)
                : LanguageModelData.Batches(ids, o.SeqLen, o.BatchSize, order);
        return new TaskData
        {
            Vocabulary = vocabulary,
            Tokenizer = tokenizer,
            Epoch = epoch =>
                Batches(train, new Random(Seeds.Mix(o.Seed, epoch)), new Random(Seeds.Mix(o.Seed, epoch, 1))),
            BatchesPerEpoch = masked
                ? ((train.Length + o.SeqLen - 1) / o.SeqLen + o.BatchSize - 1) / o.BatchSize
                : LanguageModelData.BatchCount(train.Length, o.SeqLen, o.BatchSize),
            Valid = Batches(valid, null, new Random(ValidationMaskSeed)).ToList(),
            TrainSize = train.Length,
        };
    }

    /// <summary>A plain text's training and validation ids, under <paramref name="vocab"/> (built from the training
    /// part when null, with &lt;mask&gt; for a masked language model).</summary>
    static (Vocabulary Vocab, long[] Train, long[] Valid) TextIds(
        DataOptions o,
        string dataPath,
        string? validPath,
        ITokenizer tokenizer,
        Vocabulary? vocab,
        bool mask
    )
    {
        var (trainTokens, validTokens) = TextTokens(o, dataPath, validPath, tokenizer);
        vocab ??= mask ? NewVocabulary(tokenizer, trainTokens, o).WithMask() : NewVocabulary(tokenizer, trainTokens, o);
        return (vocab, vocab.Encode(trainTokens), vocab.Encode(validTokens));
    }

    /// <summary>A plain text as tokens, split into training and validation (a --valid file, else the last 10% of the
    /// lines, else of the tokens).</summary>
    static (List<string> Train, List<string> Valid) TextTokens(
        DataOptions o,
        string dataPath,
        string? validPath,
        ITokenizer tokenizer
    )
    {
        var lines = TextSource.ReadLines(dataPath).Where(l => !string.IsNullOrWhiteSpace(l.Text)).ToList();
        List<string> trainTokens,
            validTokens;
        if (validPath is not null)
        {
            trainTokens = LanguageModelData.TokenStream(lines, tokenizer, o.ClsSepFraming).ToList();
            validTokens = LanguageModelData
                .TokenStream(TextSource.ReadLines(validPath), tokenizer, o.ClsSepFraming)
                .ToList();
        }
        else if (lines.Count >= 10)
        {
            // Hold out the last lines: the text's end is the honest "unseen continuation".
            int held = Math.Max(1, (int)Math.Round(lines.Count * o.ValidFraction));
            trainTokens = LanguageModelData.TokenStream(lines[..^held], tokenizer, o.ClsSepFraming).ToList();
            validTokens = LanguageModelData.TokenStream(lines[^held..], tokenizer, o.ClsSepFraming).ToList();
        }
        else
        {
            var all = LanguageModelData.TokenStream(lines, tokenizer, o.ClsSepFraming).ToList();
            int held = Math.Max(2, (int)Math.Round(all.Count * o.ValidFraction));
            if (all.Count - held < 2)
                throw new SeqLabInputException(
                    $"{dataPath} has only {all.Count} tokens; a language model needs more text to train on."
                );
            trainTokens = all[..^held];
            validTokens = all[^held..];
        }
        if (trainTokens.Count < 2)
            throw new SeqLabInputException($"{dataPath} has fewer than 2 tokens; a language model needs more text.");
        if (validTokens.Count < 2)
            throw new SeqLabInputException(
                $"{validPath ?? dataPath}: the validation text has fewer than 2 tokens; give a longer --valid text."
            );
        return (trainTokens, validTokens);
    }

    static TaskData Classification(
        DataOptions o,
        string dataPath,
        string? validPath,
        ITokenizer tokenizer,
        Vocabulary? vocab,
        IReadOnlyList<string>? labels
    )
    {
        var (train, valid) = ReadPairs(PairedText.Format.Classification, o, dataPath, validPath);
        labels ??= train.Select(p => p.First).Distinct().Order(StringComparer.Ordinal).ToList();
        vocab ??= NewVocabulary(tokenizer, train.SelectMany(p => tokenizer.Tokenize(p.Second)), o);
        if (labels.Count < 2)
            throw new SeqLabInputException(
                $"{dataPath}: the training data has only the label '{labels.FirstOrDefault()}'; "
                    + "classification needs at least two labels."
            );
        var labelIds = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => (long)p.i);

        (long[] Ids, long Label)[] Encode(List<PairedText.Pair> pairs) =>
            pairs
                .Select(p =>
                {
                    if (!labelIds.TryGetValue(p.First, out var label))
                        throw new SeqLabInputException(
                            $"{p.File}:{p.Line}: label '{p.First}' does not occur in the training data (labels: "
                                + $"{string.Join(", ", labels)})."
                        );
                    var ids = vocab.Encode(tokenizer.Tokenize(p.Second));
                    return (ids.Length == 0 ? [(long)Vocabulary.UnkId] : ids, label);
                })
                .ToArray();

        var trainSet = Encode(train);
        var validSet = Encode(valid);
        Batch Collate(List<(long[] Ids, long Label)> chunk) =>
            Batch.Pad(chunk.Select(c => c.Ids).ToList(), chunk.Select(c => c.Label).ToArray(), o.MaxLength);
        return Examples(vocab, tokenizer, o, trainSet, validSet, Collate, c => c.Ids.Length) with { Labels = labels };
    }

    static TaskData Translation(
        DataOptions o,
        string dataPath,
        string? validPath,
        ITokenizer tokenizer,
        Vocabulary? vocab
    )
    {
        var (train, valid) = ReadPairs(PairedText.Format.Translation, o, dataPath, validPath);
        // One vocabulary for both sides: the paper shares the source and target embeddings.
        vocab ??= NewVocabulary(
            tokenizer,
            train.SelectMany(p => tokenizer.Tokenize(p.First).Concat(tokenizer.Tokenize(p.Second))),
            o
        );
        (long[] Source, long[] Target)[] Encode(List<PairedText.Pair> pairs) =>
            pairs
                .Select(p =>
                {
                    var source = vocab.Encode(tokenizer.Tokenize(p.First));
                    var target = vocab.Encode(tokenizer.Tokenize(p.Second));
                    if (source.Length > o.MaxLength || target.Length + 2 > o.MaxLength)
                        throw new SeqLabInputException(
                            $"{p.File}:{p.Line}: {Math.Max(source.Length, target.Length + 2)} tokens, more than "
                                + $"max_length {o.MaxLength}; raise max_length in --config or shorten the example."
                        );
                    return (source.Length == 0 ? [(long)Vocabulary.UnkId] : source, target);
                })
                .ToArray();
        Batch Collate(List<(long[] Source, long[] Target)> chunk) =>
            Batch.Pairs(chunk.Select(c => c.Source).ToList(), chunk.Select(c => c.Target).ToList(), o.MaxLength);
        return Examples(
            vocab,
            tokenizer,
            o,
            Encode(train),
            Encode(valid),
            Collate,
            c => c.Source.Length + c.Target.Length
        );
    }

    /// <summary>
    /// The vocabulary of new training data: a subword tokenizer's whole vocabulary (so nothing is unknown), or the
    /// words seen at least min_count times, up to max_vocab.
    /// </summary>
    static Vocabulary NewVocabulary(ITokenizer tokenizer, IEnumerable<string> trainTokens, DataOptions o) =>
        tokenizer is BpeTokenizer bpe
            ? Vocabulary.FromTokens(bpe.Tokens, trainTokens)
            : Vocabulary.Build(trainTokens, o.MinCount, o.MaxVocab);

    /// <summary>Two-field examples split into train and validation (a seeded random 10% unless --valid is
    /// given).</summary>
    static (List<PairedText.Pair> Train, List<PairedText.Pair> Valid) ReadPairs(
        PairedText.Format format,
        DataOptions o,
        string dataPath,
        string? validPath
    )
    {
        var train = PairedText.Read(dataPath, format);
        if (validPath is not null)
            return (train, PairedText.Read(validPath, format));
        if (train.Count < 4)
            throw new SeqLabInputException(
                $"{dataPath} has {train.Count} examples; give at least 4 (or a separate --valid file)."
            );
        var shuffled = train.ToList();
        LanguageModelData.Shuffle(shuffled, new Random(o.Seed));
        int held = Math.Max(1, (int)Math.Round(shuffled.Count * o.ValidFraction));
        return (shuffled[held..], shuffled[..held]);
    }

    /// <summary>
    /// Batches of whole examples: reshuffled per epoch from (seed, epoch); validation in file order.
    /// With <see cref="DataOptions.LengthBuckets"/>, each run of 50 batches' worth of shuffled
    /// examples is sorted by length before it is cut into batches (whose order is shuffled again), so a
    /// batch pads to about its own length instead of the longest in the data. With
    /// <see cref="DataOptions.Curriculum"/>, the first epoch's batches go from shortest to longest.
    /// </summary>
    static TaskData Examples<T>(
        Vocabulary vocab,
        ITokenizer tokenizer,
        DataOptions o,
        T[] trainSet,
        T[] validSet,
        Func<List<T>, Batch> collate,
        Func<T, int> length
    )
    {
        IEnumerable<Batch> Batches(T[] set, Random? rng, bool epochIsFirst = false)
        {
            var order = Enumerable.Range(0, set.Length).ToList();
            if (rng is not null)
                LanguageModelData.Shuffle(order, rng);
            var batches = new List<List<int>>();
            int pool = (o.LengthBuckets || o.Curriculum) && rng is not null ? o.BatchSize * 50 : o.BatchSize;
            for (int start = 0; start < order.Count; start += pool)
            {
                var chunk = order.GetRange(start, Math.Min(pool, order.Count - start));
                if (pool > o.BatchSize)
                    chunk = chunk.OrderBy(i => length(set[i])).ThenBy(i => i).ToList();
                for (int b = 0; b < chunk.Count; b += o.BatchSize)
                    batches.Add(chunk.GetRange(b, Math.Min(o.BatchSize, chunk.Count - b)));
            }
            if (pool > o.BatchSize)
                LanguageModelData.Shuffle(batches, rng!);
            // A curriculum (Bengio et al. 2009): the first epoch goes from the shortest batches to the longest.
            if (o.Curriculum && rng is not null && epochIsFirst)
                batches = batches.OrderBy(b => b.Max(i => length(set[i]))).ToList();
            foreach (var batch in batches)
                yield return collate(batch.Select(i => set[i]).ToList());
        }
        return new TaskData
        {
            Vocabulary = vocab,
            Tokenizer = tokenizer,
            Epoch = epoch => Batches(trainSet, new Random(Seeds.Mix(o.Seed, epoch)), epoch == 0),
            BatchesPerEpoch = (trainSet.Length + o.BatchSize - 1) / o.BatchSize,
            Valid = Batches(validSet, null).ToList(),
            TrainSize = trainSet.Length,
        };
    }
}
