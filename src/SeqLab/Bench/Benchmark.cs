using System.Diagnostics;
using SeqLab.Attention;
using SeqLab.Data;
using SeqLab.Inference;
using SeqLab.IO;
using SeqLab.Models;
using SeqLab.Native;
using SeqLab.Recurrent;
using SeqLab.Text;
using SeqLab.Training;

namespace SeqLab.Bench;

/// <summary>
/// `seqlab bench`: training throughput of the presets the performance anchors use (V = 4096,
/// D = H = 256, T = 128, B = 32, AdamW; recurrent LMs with 2 layers, the Transformer LM with 4
/// pre-LN layers, 4 heads, d_ff 1024, causal), measured with the trainer's own step; model FLOPs per
/// token, achieved GFLOP/s and MFU against a GEMM peak measured in the same run; peak RSS. Also
/// memory over a long run, warm predict latency, and per-layer timing.
/// </summary>
public static class Benchmark
{
    public static readonly string[] Presets = ["lstm-lm", "gru-lm", "rnn-lm", "transformer-lm", "layers", "generate"];

    /// <summary>The presets that time a training step (the others time layers or generation).</summary>
    public static IEnumerable<string> TrainingPresets =>
        Presets.Where(p => p.EndsWith("-lm", StringComparison.Ordinal));

    public sealed record GenerationResult(int Tokens, int Threads, double CachedMsPerToken, double UncachedMsPerToken)
    {
        public double Speedup => UncachedMsPerToken / CachedMsPerToken;
    }

    /// <summary>
    /// Greedy continuation of <paramref name="tokens"/> tokens by the transformer-lm preset's model (random weights,
    /// max_length long enough): re-reading the whole prefix at every step, and with the key/value cache.
    /// </summary>
    public static GenerationResult Generate(int threads, int tokens = 256, int prompt = 8)
    {
        Native.TorchRuntime.SetThreads(threads);
        manual_seed(0);
        var config = Config("transformer-lm", RecurrentImpl.Fused);
        config.MaxLength = prompt + tokens;
        using var model = (LanguageModel)ModelFactory.Create(config);
        model.eval();
        var rng = new Random(0);
        long[] start = [.. Enumerable.Range(0, prompt).Select(_ => (long)rng.Next(Vocabulary.Specials.Length, V))];

        double Uncached(int n)
        {
            var ids = start.ToList();
            var clock = Stopwatch.StartNew();
            for (int t = 0; t < n; t++)
            {
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                ids.Add(model.call(tensor(ids.ToArray(), [1, ids.Count]), null)[0, -1].argmax().item<long>());
            }
            return clock.Elapsed.TotalMilliseconds / n;
        }
        double Cached(int n)
        {
            var caches = model.NewCache()!;
            long[] feed = start;
            var clock = Stopwatch.StartNew();
            for (int t = 0; t < n; t++)
            {
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                feed = [model.Step(tensor(feed, [1, feed.Length]), caches)[0, -1].argmax().item<long>()];
            }
            foreach (var c in caches)
                c.Dispose();
            return clock.Elapsed.TotalMilliseconds / n;
        }
        Uncached(8); // warm up both paths
        Cached(8);
        return new GenerationResult(tokens, threads, Cached(tokens), Uncached(tokens));
    }

    public const int V = 4096,
        D = 256,
        T = 128,
        B = 32;

    public sealed record Result(
        string Preset,
        string Impl,
        string Precision,
        int Threads,
        double TokensPerSecond,
        double FlopsPerToken,
        double Gflops,
        double GemmPeakGflops,
        double Mfu,
        double PeakRssMb,
        double MedianStepMs,
        int TimedSteps
    );

    public static ModelConfig Config(string preset, RecurrentImpl impl)
    {
        var family = Family(preset);
        var c = new ModelConfig
        {
            Family = family,
            Task = TaskKind.Lm,
            Impl = impl,
            EmbedDim = D,
            HiddenSize = D,
            NumLayers = family == ModelFamily.Transformer ? 4 : 2,
            Dropout = 0,
            TieWeights = false,
            VocabSize = V,
            MaxLength = T,
        };
        if (family == ModelFamily.Transformer)
        {
            c.Heads = 4;
            c.FfDim = 1024;
            c.NormFirst = true;
            c.LearnedPositions = true;
        }
        return c;
    }

    /// <summary>The family a training preset names: "lstm-lm" → lstm.</summary>
    static ModelFamily Family(string preset) => Spelling.Parse<ModelFamily>("preset", preset.Split('-')[0]);

    /// <summary>Forward FLOPs per token (multiply-adds × 2); training ≈ 3× (backward costs about twice the
    /// forward).</summary>
    public static double TrainingFlopsPerToken(ModelConfig c)
    {
        double d = c.HiddenSize,
            forward = 2.0 * d * c.VocabSize; // output layer
        if (c.Family == ModelFamily.Transformer)
            // per layer: the four projections, the feed-forward network, QKᵀ and AV
            forward += c.NumLayers * (2.0 * 4 * d * d + 2.0 * 2 * d * c.FfDim + 2.0 * 2 * T * d);
        else
        {
            int gates = c.Family switch
            {
                ModelFamily.Lstm => 4,
                ModelFamily.Gru => 3,
                _ => 1,
            };
            for (int l = 0; l < c.NumLayers; l++)
                forward += 2.0 * gates * d * ((l == 0 ? c.EmbedDim : d) + d);
        }
        return 3 * forward;
    }

    /// <summary>Matrix-multiply throughput (GFLOP/s) in <paramref name="precision"/>: the peak MFU is measured
    /// against.</summary>
    public static double GemmPeak(int n = 1024, int repeats = 10, Precision precision = Precision.Fp32)
    {
        using var scope = NewDisposeScope();
        var dtype = precision == Precision.Bf16 ? ScalarType.BFloat16 : ScalarType.Float32;
        var a = randn(n, n).to(dtype);
        var b = randn(n, n).to(dtype);
        for (int i = 0; i < 3; i++)
            a.mm(b);
        var times = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            using var c = a.mm(b);
            times.Add(clock.Elapsed.TotalSeconds);
        }
        return 2.0 * n * n * n / times.Order().ElementAt(times.Count / 2) / 1e9;
    }

    public static double PeakRssMb()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status")
                .FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            if (line is not null)
                return double.Parse(line.Split(':')[1].Trim().Split(' ')[0]) / 1024;
        }
        catch (IOException) { }
        return Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;
    }

    public static double RssMb()
    {
        using var p = Process.GetCurrentProcess();
        p.Refresh();
        return p.WorkingSet64 / 1048576.0;
    }

    static Batch RandomBatch(Random rng, int rows = B, int columns = T)
    {
        long[] Ids() =>
            Enumerable.Range(0, rows * columns).Select(_ => (long)rng.Next(Vocabulary.Specials.Length, V)).ToArray();
        return new Batch(Ids(), Ids(), Enumerable.Repeat((long)columns, rows).ToArray(), rows, columns);
    }

    /// <summary>A preset's model in training mode with the trainer's optimiser (AdamW, lr 1e-3), as a bench step needs
    /// them.</summary>
    sealed record Run(
        SequenceModel Model,
        TrainingOptions Options,
        List<TorchSharp.Modules.Parameter> Parameters,
        TorchSharp.Modules.OptimizerHelper Optimizer
    ) : IDisposable
    {
        public static Run Start(string preset, RecurrentImpl impl, int threads, Precision precision = Precision.Fp32)
        {
            Native.TorchRuntime.SetThreads(threads);
            manual_seed(0);
            var model = ModelFactory.Create(Config(preset, impl));
            SetFusedAttention(model, impl == RecurrentImpl.Fused);
            model.train();
            var options = new TrainingOptions { LearningRate = 1e-3, Precision = precision };
            var parameters = model.UniqueParameters();
            return new Run(model, options, parameters, TrainingStep.Optimizer(options, parameters));
        }

        public void Step(Batch batch)
        {
            using var scope = NewDisposeScope();
            TrainingStep.Run(Model, batch, Optimizer, Parameters, Options.LearningRate, Options);
        }

        public void Dispose() => Model.Dispose();
    }

    /// <summary>Median training throughput over <paramref name="steps"/> timed steps after <paramref
    /// name="warmup"/>.</summary>
    public static Result Train(
        string preset,
        RecurrentImpl impl,
        int threads,
        int steps = 10,
        int warmup = 3,
        double? gemmPeak = null,
        Precision precision = Precision.Fp32
    )
    {
        using var run = Run.Start(preset, impl, threads, precision);
        var batch = RandomBatch(new Random(0));
        var times = new List<double>();
        for (int i = 0; i < warmup + steps; i++)
        {
            var clock = Stopwatch.StartNew();
            run.Step(batch);
            if (i >= warmup)
                times.Add(clock.Elapsed.TotalSeconds);
        }
        double median = times.Order().ElementAt(times.Count / 2);
        double tps = B * T / median,
            flops = TrainingFlopsPerToken(run.Model.Config),
            peak = gemmPeak ?? GemmPeak(precision: precision);
        double gflops = tps * flops / 1e9;
        return new Result(
            preset,
            impl.Name(),
            precision.Name(),
            threads,
            tps,
            flops,
            gflops,
            peak,
            gflops / peak,
            PeakRssMb(),
            median * 1000,
            steps
        );
    }

    /// <summary>
    /// The anchor's model built from TorchSharp's own modules (nn.LSTM/GRU/RNN; nn.TransformerEncoderLayer,
    /// which in TorchSharp 0.107 is post-LN), trained with the anchor's loop: the in-process "built-ins"
    /// column. Returns median tokens/s over <paramref name="steps"/> timed steps.
    /// </summary>
    public static double BuiltinTrain(string preset, int threads, int steps = 10, int warmup = 3)
    {
        Native.TorchRuntime.SetThreads(threads);
        manual_seed(0);
        var family = Family(preset);
        var modules = new List<nn.Module>();
        var emb = nn.Embedding(V, D);
        var outp = nn.Linear(D, V);
        modules.AddRange([emb, outp]);
        Func<Tensor, Tensor> forward;
        if (family == ModelFamily.Transformer)
        {
            var pos = nn.Embedding(T, D);
            var norm = nn.LayerNorm(D);
            var enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(D, 4, 1024, 0.0), 4);
            var mask = triu(full(T, T, float.NegativeInfinity), 1);
            modules.AddRange([pos, norm, enc]);
            forward = x =>
                outp.call(
                    norm.call(enc.call((emb.call(x) + pos.call(arange(T))).transpose(0, 1), mask, null).transpose(0, 1))
                );
        }
        else
        {
            nn.Module rnn = family switch
            {
                ModelFamily.Lstm => nn.LSTM(D, D, 2, batchFirst: true),
                ModelFamily.Gru => nn.GRU(D, D, 2, batchFirst: true),
                _ => nn.RNN(D, D, 2, batchFirst: true),
            };
            modules.Add(rnn);
            forward = x =>
                outp.call(
                    rnn switch
                    {
                        TorchSharp.Modules.LSTM l => l.call(emb.call(x)).Item1,
                        TorchSharp.Modules.GRU g => g.call(emb.call(x)).Item1,
                        TorchSharp.Modules.RNN r => r.call(emb.call(x)).Item1,
                        _ => throw new InvalidOperationException(),
                    }
                );
        }
        var optimizer = optim.AdamW(modules.SelectMany(m => m.parameters()).ToList(), 1e-3);
        var batch = RandomBatch(new Random(0));
        var times = new List<double>();
        try
        {
            for (int i = 0; i < warmup + steps; i++)
            {
                using var scope = NewDisposeScope();
                var clock = Stopwatch.StartNew();
                var loss = nn.functional.cross_entropy(
                    forward(batch.InputTensor()).reshape(-1, V),
                    batch.TargetTensor().reshape(-1)
                );
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                if (i >= warmup)
                    times.Add(clock.Elapsed.TotalSeconds);
            }
        }
        finally
        {
            foreach (var m in modules)
                m.Dispose();
        }
        return B * T / times.Order().ElementAt(times.Count / 2);
    }

    /// <param name="RatioToFused">reference impl: tokens/s as a share of the fused impl's, measured right
    /// after.</param>
    /// <param name="BuiltinTokensPerSecond">with a comparison: TorchSharp's built-in modules on the same step (in
    /// fp32).</param>
    /// <param name="RatioToFp32">bf16 without a comparison: tokens/s as a share of the same step's in fp32, measured
    /// right after.</param>
    public sealed record Measurement(
        Result Result,
        double? RatioToFused,
        double? BuiltinTokensPerSecond,
        double? RatioToFp32 = null
    )
    {
        public double? RatioToBuiltin => BuiltinTokensPerSecond is { } b ? Result.TokensPerSecond / b : null;
    }

    /// <summary>
    /// One preset's training speed. With <paramref name="compare"/>, ours and the built-ins alternate
    /// in one process over 4 rounds, who goes first alternating too, so that drift (other load, clock
    /// frequency) hits both alike; each side reports its third-fastest round.
    /// </summary>
    public static Measurement Measure(
        string preset,
        RecurrentImpl impl,
        int threads,
        int steps,
        double gemmPeak,
        bool compare,
        Precision precision = Precision.Fp32
    )
    {
        if (compare)
        {
            var ours = new List<Result>();
            var theirs = new List<double>();
            for (int round = 0; round < 4; round++)
            {
                if (round % 2 == 1)
                    theirs.Add(BuiltinTrain(preset, threads, steps));
                ours.Add(Train(preset, impl, threads, steps, gemmPeak: gemmPeak, precision: precision));
                if (round % 2 == 0)
                    theirs.Add(BuiltinTrain(preset, threads, steps));
            }
            return new Measurement(
                ours.OrderBy(r => r.TokensPerSecond).ElementAt(2),
                null,
                theirs.Order().ElementAt(2)
            );
        }
        var r = Train(preset, impl, threads, steps, gemmPeak: gemmPeak, precision: precision);
        double? ratio =
            impl == RecurrentImpl.Reference
                ? r.TokensPerSecond
                    / Train(preset, RecurrentImpl.Fused, threads, steps, precision: precision).TokensPerSecond
                : null;
        double? toFp32 =
            precision == Precision.Bf16
                ? r.TokensPerSecond / Train(preset, impl, threads, steps).TokensPerSecond
                : null;
        return new Measurement(r, ratio, null, toFp32);
    }

    /// <summary>The Transformer's reference path computes softmax(QKᵀ/√d)V itself instead of libtorch's fused
    /// kernel.</summary>
    static void SetFusedAttention(SequenceModel model, bool fused)
    {
        foreach (var m in model.modules().OfType<MultiHeadAttention>())
            m.Fused = fused;
    }

    public sealed record MemoryResult(
        string Preset,
        int Steps,
        int CheckAt,
        double RssAtCheckMb,
        double RssAtEndMb,
        double Growth,
        long TensorsAtCheck,
        long TensorsAtEnd,
        double Seconds
    );

    /// <summary>RSS and live tensors after <paramref name="checkAt"/> steps and after <paramref name="steps"/>: memory
    /// must stay flat.</summary>
    public static MemoryResult Memory(
        string preset,
        int threads,
        int steps,
        int checkAt,
        int batch = B,
        int seqLen = T,
        Precision precision = Precision.Fp32
    )
    {
        using var run = Run.Start(preset, RecurrentImpl.Fused, threads, precision);
        var rng = new Random(0);
        var clock = Stopwatch.StartNew();
        double rssCheck = 0;
        long tensorsCheck = 0;
        for (int i = 1; i <= steps; i++)
        {
            run.Step(RandomBatch(rng, batch, seqLen));
            if (i % 50 == 0)
                HeapTrim.Now(); // as the trainer does

            if (i == checkAt)
            {
                Settle();
                rssCheck = RssMb();
                tensorsCheck = Tensor.TotalCount;
            }
        }
        Settle();
        double rssEnd = RssMb();
        return new MemoryResult(
            preset,
            steps,
            checkAt,
            rssCheck,
            rssEnd,
            rssEnd / rssCheck - 1,
            tensorsCheck,
            Tensor.TotalCount,
            clock.Elapsed.TotalSeconds
        );
    }

    /// <summary>Finalizes unreachable tensors so the counts compare live ones only.</summary>
    static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }

    public sealed record LatencyResult(string Model, int Repeats, double MedianMs, double P90Ms);

    /// <summary>Warm `predict` latency (next-word candidates for a short text) of a trained checkpoint.</summary>
    public static LatencyResult Latency(
        LoadedModel loaded,
        int threads,
        int repeats = 50,
        string text = "Crecí en un pequeño pueblo en los Alpes suizos, todavía puedo hablar fluidamente [???]"
    )
    {
        Native.TorchRuntime.SetThreads(threads);
        var predictor = new LanguageModelPredictor(loaded);
        for (int i = 0; i < 5; i++)
            predictor.Predict(text, 5);
        var times = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            predictor.Predict(text, 5);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        var sorted = times.Order().ToList();
        return new LatencyResult(loaded.Directory, repeats, sorted[repeats / 2], sorted[(int)(repeats * 0.9)]);
    }
}
