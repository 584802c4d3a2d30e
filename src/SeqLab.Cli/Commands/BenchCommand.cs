using SeqLab.Bench;
using SeqLab.Data;
using SeqLab.IO;
using SeqLab.Lab;
using SeqLab.Native;
using SeqLab.Recurrent;
using SeqLab.Training;

namespace SeqLab.Cli.Commands;

/// <summary>`seqlab bench`: training throughput, FLOPs, MFU and memory of the anchor presets; long-run memory; predict
/// latency; per-layer timing.</summary>
public static class BenchCommand
{
    public static readonly Option[] Options =
    [
        new(
            "preset",
            "lstm-lm|gru-lm|rnn-lm|transformer-lm|layers|generate|all",
            "what to measure (V=4096, D=H=256, T=128, B=32, AdamW, as the anchors)"
        ),
        new(
            "impl",
            "fused|reference",
            "fused: libtorch kernels; reference: our cells stepping in C# / attention computed by hand, printed with "
                + "its ratio to fused",
            "fused"
        ),
        new(
            "precision",
            "fp32|bf16",
            "train: the matrix products in fp32, or in bf16 with fp32 master weights (printed with its ratio to fp32; "
                + "--compare compares with the fp32 built-ins)",
            "fp32"
        ),
        new(
            "mode",
            "train|memory|latency",
            "train: tokens/s, GFLOP/s, MFU, peak RSS; memory: RSS and live tensors over a long run; latency: warm "
                + "predict time",
            "train"
        ),
        new("threads", "N", "libtorch threads; default: all cores"),
        new(
            "compare",
            null,
            "train: also time TorchSharp's built-in modules on the same shapes, interleaved with SeqLab in the same "
                + "process (4 rounds, alternating who goes first), and print the ratio"
        ),
        new("steps", "N", "train: timed steps (default 10, after 3 warm-up steps); memory: total steps (default 5000)"),
        new("check-at", "N", "memory: the step whose RSS the end is compared with", 500),
        new("batch-size", "N", "memory: rows per step (smaller runs the long check faster)", Benchmark.B),
        new("model", "DIR", "latency: the checkpoint to time (a language model)"),
        new("json", null, "print one JSON document on stdout"),
        new("help", null, "show this help"),
    ];

    public const string Usage =
        "seqlab bench --preset lstm-lm|gru-lm|rnn-lm|transformer-lm|layers|generate|all [--impl fused|reference] "
        + "[--compare] "
        + "[--threads N] [--json]\n"
        + "       seqlab bench --mode memory --preset lstm-lm|transformer-lm [--steps 5000 --check-at 500]\n"
        + "       seqlab bench --mode latency --model DIR";

    public static int Run(Args a)
    {
        TorchRuntime.EnsureLoaded();
        int threads = a.Int("threads", 1, 1024) ?? Environment.ProcessorCount;
        return a.String("mode") switch
        {
            "latency" => Latency(a, threads),
            "memory" => Memory(a, threads),
            "train" => Train(a, threads),
            var mode => throw new SeqLabInputException($"unknown --mode '{mode}'; use train, memory or latency."),
        };
    }

    static int Latency(Args a, int threads)
    {
        var loaded = Checkpoint.Load(a.Required("model"));
        if (loaded.Config.Task != TaskKind.Lm)
            throw new SeqLabInputException(
                $"{loaded.Directory} holds a {loaded.Config.Task.Name()} model; latency is measured on a language "
                    + $"model's predict."
            );
        var r = Benchmark.Latency(loaded, threads);
        if (a.Flag("json"))
            Output.Json(
                new
                {
                    mode = "latency",
                    model = r.Model,
                    threads,
                    repeats = r.Repeats,
                    median_ms = r.MedianMs,
                    p90_ms = r.P90Ms,
                    peak_rss_mb = Benchmark.PeakRssMb(),
                }
            );
        else
            Console.WriteLine(
                $"predict (5 candidates, warm) on {r.Model}: median {r.MedianMs:F2} ms, p90 {r.P90Ms:F2} ms over "
                    + $"{r.Repeats} calls, {threads} threads"
            );
        return 0;
    }

    static int Memory(Args a, int threads)
    {
        var preset = a.Required("preset");
        if (!Benchmark.Presets.Contains(preset) || preset == "layers")
            throw new SeqLabInputException(
                $"--mode memory needs a model preset (lstm-lm, gru-lm, rnn-lm, transformer-lm), not '{preset}'."
            );
        int steps = a.Int("steps", 2, 10_000_000) ?? 5000,
            checkAt = a.Int("check-at", 1)!.Value;
        if (checkAt >= steps)
            throw new SeqLabInputException($"--check-at ({checkAt}) must be below --steps ({steps}).");
        var r = Benchmark.Memory(
            preset,
            threads,
            steps,
            checkAt,
            a.Int("batch-size", 1, 4096)!.Value,
            precision: Spelling.Parse<Precision>("--precision", a.String("precision")!)
        );
        if (a.Flag("json"))
            Output.Json(
                new
                {
                    mode = "memory",
                    preset,
                    threads,
                    steps,
                    check_at = checkAt,
                    rss_at_check_mb = r.RssAtCheckMb,
                    rss_at_end_mb = r.RssAtEndMb,
                    rss_growth = r.Growth,
                    live_tensors_at_check = r.TensorsAtCheck,
                    live_tensors_at_end = r.TensorsAtEnd,
                    seconds = r.Seconds,
                }
            );
        else
            Console.WriteLine(
                $"{preset}: RSS {r.RssAtCheckMb:F0} MB after {checkAt} steps, {r.RssAtEndMb:F0} MB after {steps} "
                    + $"({r.Growth:+0.0%;-0.0%}); "
                    + $"live tensors {r.TensorsAtCheck} → {r.TensorsAtEnd}; {r.Seconds:F0} s"
            );
        return 0;
    }

    static int Train(Args a, int threads)
    {
        var name = a.Required("preset");
        if (name != "all" && !Benchmark.Presets.Contains(name))
            throw new SeqLabInputException(
                $"unknown preset '{name}'; use one of: {string.Join(", ", Benchmark.Presets)}, all."
            );
        var impl = Spelling.Parse<RecurrentImpl>("impl", a.String("impl")!);
        var precision = Spelling.Parse<Precision>("--precision", a.String("precision")!);
        if (name == "generate")
            return Generation(a, threads);
        if (name == "layers")
            return Layers(a, threads);

        int timed = a.Int("steps", 1, 100_000) ?? 10;
        double peak = Benchmark.GemmPeak(precision: precision);
        var presets = name == "all" ? Benchmark.TrainingPresets.ToArray() : [name];
        bool compare = a.Flag("compare");
        var results = presets
            .Select(p =>
            {
                Output.Info(
                    $"seqlab bench: {p} ({impl.Name()}, {precision.Name()}, {threads} "
                        + $"threads{(compare ? ", interleaved with the built-ins" : "")})"
                );
                return Benchmark.Measure(p, impl, threads, timed, peak, compare, precision);
            })
            .ToList();
        if (a.Flag("json"))
        {
            var docs = results.Select(Document).ToList();
            if (docs.Count == 1)
                Output.Json(docs[0]);
            else
                Output.Json(docs);
        }
        else
            Console.WriteLine(LabCommand.Table(Table(results, impl, compare, precision)));
        return 0;
    }

    static object Document(Benchmark.Measurement x) =>
        new
        {
            preset = x.Result.Preset,
            impl = x.Result.Impl,
            precision = x.Result.Precision,
            threads = x.Result.Threads,
            tokens_per_s = x.Result.TokensPerSecond,
            flops_per_token = x.Result.FlopsPerToken,
            gflops = x.Result.Gflops,
            gemm_peak_gflops = x.Result.GemmPeakGflops,
            mfu = x.Result.Mfu,
            peak_rss_mb = x.Result.PeakRssMb,
            median_step_ms = x.Result.MedianStepMs,
            timed_steps = x.Result.TimedSteps,
            ratio_to_fused = x.RatioToFused,
            ratio_to_fp32 = x.RatioToFp32,
            builtin_tokens_per_s = x.BuiltinTokensPerSecond,
            ratio_to_builtin = x.RatioToBuiltin,
        };

    static List<string[]> Table(
        List<Benchmark.Measurement> results,
        RecurrentImpl impl,
        bool compare,
        Precision precision
    )
    {
        var extra = (
            impl == RecurrentImpl.Reference ? new[] { "× fused" }
            : compare ? ["built-ins tokens/s", "× built-ins"]
            : Array.Empty<string>()
        ).Concat(precision == Precision.Bf16 && !compare ? ["× fp32"] : Array.Empty<string>()).ToArray();
        var table = new List<string[]>
        {
            new[]
            {
                "preset",
                "impl",
                "precision",
                "threads",
                "tokens/s",
                "MFLOP/token",
                "GFLOP/s",
                "GEMM peak",
                "MFU",
                "peak RSS MB",
                "ms/step",
            }
                .Concat(extra)
                .ToArray(),
        };
        foreach (var (r, ratio, builtin, toFp32) in results)
            table.Add(
                new[]
                {
                    r.Preset,
                    r.Impl,
                    r.Precision,
                    r.Threads.ToString(),
                    r.TokensPerSecond.ToString("N0"),
                    (r.FlopsPerToken / 1e6).ToString("F1"),
                    r.Gflops.ToString("F1"),
                    r.GemmPeakGflops.ToString("F1"),
                    r.Mfu.ToString("P0"),
                    r.PeakRssMb.ToString("F0"),
                    r.MedianStepMs.ToString("F1"),
                }
                    .Concat(ratio is { } x ? [x.ToString("F3")] : Array.Empty<string>())
                    .Concat(
                        builtin is { } bt
                            ? [bt.ToString("N0"), (r.TokensPerSecond / bt).ToString("F3")]
                            : Array.Empty<string>()
                    )
                    .Concat(toFp32 is { } f ? [f.ToString("F3")] : Array.Empty<string>())
                    .ToArray()
            );
        return table;
    }

    static int Generation(Args a, int threads)
    {
        var r = Benchmark.Generate(threads);
        if (a.Flag("json"))
            Output.Json(
                new
                {
                    preset = "generate",
                    threads,
                    tokens = r.Tokens,
                    cached_ms_per_token = r.CachedMsPerToken,
                    uncached_ms_per_token = r.UncachedMsPerToken,
                    speedup = r.Speedup,
                    peak_rss_mb = Benchmark.PeakRssMb(), // the process's high-water mark, both paths run
                }
            );
        else
            Console.WriteLine(
                $"greedy continuation of {r.Tokens} tokens (transformer-lm preset, {threads} threads): "
                    + $"{r.UncachedMsPerToken:F2} ms/token re-reading the prefix, {r.CachedMsPerToken:F2} ms/token "
                    + $"with the key/value cache ({r.Speedup:F1}× faster); peak RSS {Benchmark.PeakRssMb():F0} MB"
            );
        return 0;
    }

    static int Layers(Args a, int threads)
    {
        TorchRuntime.SetThreads(threads);
        int[] ns = [64, 128, 256, 512, 1024, 2048];
        var rows = ns.Select(n =>
                (
                    n,
                    ms: ParallelismExperiment.Layers.ToDictionary(
                        l => l,
                        l => ParallelismExperiment.LayerMs(l, 8, n, 256)
                    )
                )
            )
            .ToList();
        if (a.Flag("json"))
        {
            Output.Json(
                new
                {
                    preset = "layers",
                    threads,
                    d = 256,
                    batch = 8,
                    rows = rows.Select(r => new { r.n, ms = r.ms }),
                }
            );
            return 0;
        }
        var table = new List<string[]>
        {
            new[] { "n" }.Concat(ParallelismExperiment.Layers.Select(l => l + " ms")).ToArray(),
        };
        table.AddRange(
            rows.Select(r =>
                new[] { r.n.ToString() }
                    .Concat(ParallelismExperiment.Layers.Select(l => r.ms[l].ToString("F2")))
                    .ToArray()
            )
        );
        Console.WriteLine($"one layer, forward + backward, d = 256, batch 8, {threads} threads");
        Console.WriteLine(LabCommand.Table(table));
        return 0;
    }
}
