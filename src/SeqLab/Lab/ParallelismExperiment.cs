using System.Diagnostics;
using SeqLab.Attention;
using SeqLab.Figures;
using SeqLab.IO;
using SeqLab.Lab.Report;
using SeqLab.Recurrent;

namespace SeqLab.Lab;

/// <summary>
/// Vaswani et al.'s Table 1, measured: forward + backward time of one layer (RNN, LSTM, GRU — libtorch's
/// fused kernels — and self-attention) against sequence length n and width d; the sequential steps each
/// takes (counted from the reference recurrent loop: n; attention: 1); the fitted log-log slope of time
/// against n; the 1-thread → all-threads speed-up; and the n where attention becomes the slower one.
/// </summary>
public static class ParallelismExperiment
{
    const string SelfAttention = "self-attention";

    /// <summary>The layers compared: each recurrent family (by its spelling) and self-attention.</summary>
    public static readonly string[] Layers =
    [
        .. Enum.GetValues<RecurrentFamily>().Select(f => f.Name()),
        SelfAttention,
    ];

    sealed record Layer(string Name, Func<Tensor, Tensor> Forward, nn.Module Module);

    static Layer Build(string name, int d, int heads)
    {
        if (name == SelfAttention)
        {
            var mha = new MultiHeadAttention(d, heads);
            return new Layer(name, x => mha.call(x, x, x, null, null).Output, mha);
        }
        var family = Spelling.Parse<RecurrentFamily>("layer", name);
        var rnn = new RecurrentLayer(new RecurrentOptions(family, d, d));
        return new Layer(name, x => rnn.call(x, null, null).Output, rnn);
    }

    /// <summary>Median milliseconds of forward + backward on a (B, n, d) batch.</summary>
    static double Time(Layer layer, int batch, int n, int d, int repeats)
    {
        var times = new List<double>();
        for (int r = 0; r < repeats + 2; r++)
        {
            using var scope = NewDisposeScope();
            var x = randn(batch, n, d, requires_grad: true);
            var clock = Stopwatch.StartNew();
            layer.Forward(x).sum().backward();
            if (r >= 2)
                times.Add(clock.Elapsed.TotalMilliseconds); // the first two warm up the kernels
            foreach (var p in layer.Module.parameters())
                p.grad = null;
        }
        return times.Order().ElementAt(times.Count / 2);
    }

    /// <summary>Median forward + backward milliseconds of one fresh layer (rnn, lstm, gru, self-attention) on a (batch,
    /// n, d) input.</summary>
    public static double LayerMs(string name, int batch, int n, int d, int heads = 4, int repeats = 5)
    {
        var layer = Build(name, d, heads);
        try
        {
            return Time(layer, batch, n, d, repeats);
        }
        finally
        {
            layer.Module.Dispose();
        }
    }

    /// <summary>Sequential steps of one layer over n positions: counted for recurrence, 1 for attention (no loop over
    /// positions).</summary>
    public static long SequentialSteps(string name, int n, int d = 8)
    {
        if (name == SelfAttention)
            return 1;
        var family = Spelling.Parse<RecurrentFamily>("layer", name);
        using var layer = new RecurrentLayer(new RecurrentOptions(family, d, d, Impl: RecurrentImpl.Reference));
        using var scope = NewDisposeScope();
        using (no_grad())
            layer.call(randn(1, n, d), null, null);
        return layer.SequentialSteps;
    }

    /// <summary>Least-squares slope of log(time) against log(n).</summary>
    public static double LogLogSlope(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var lx = x.Select(v => Math.Log(v)).ToArray();
        var ly = y.Select(v => Math.Log(v)).ToArray();
        double mx = lx.Average(),
            my = ly.Average();
        return lx.Zip(ly).Sum(p => (p.First - mx) * (p.Second - my)) / lx.Sum(v => (v - mx) * (v - mx));
    }

    /// <summary>The shapes measured at a scale: width d, batch, heads, repeats, the lengths n, the widths, and the n
    /// for the widths.</summary>
    sealed record Sizes(int D, int Batch, int Heads, int Repeats, int[] Ns, int[] Ds, int NForD);

    /// <summary>Per layer: ms at each n, ms at each width, counted sequential steps at each n, the 1→all threads
    /// speed-up, the log-log slope.</summary>
    sealed record Timings(
        Dictionary<string, double[]> ByN,
        Dictionary<string, double[]> ByD,
        Dictionary<string, long[]> Steps,
        Dictionary<string, double> Speedup,
        Dictionary<string, double> Slope
    );

    public static LabResult Run(LabSession s)
    {
        var clock = Stopwatch.StartNew();
        var z = new Sizes(
            s.Pick(16, 256, 512),
            s.Pick(2, 8, 16),
            s.Pick(2, 4, 8),
            s.Pick(1, 3, 5),
            s.Pick<int[]>([4, 8, 16], [16, 32, 64, 128, 256, 512, 1024], [16, 32, 64, 128, 256, 512, 1024, 2048]),
            s.Pick<int[]>([8, 16], [64, 128, 256, 512], [64, 128, 256, 512, 1024]),
            s.Pick(8, 128, 256)
        );
        TorchRuntime(s.Threads);
        manual_seed(s.Seed);
        var t = Measure(s, z);
        int[] ns = z.Ns;
        // The n from which on attention stays slower than each recurrent layer (robust to noise at tiny n).
        var crossover = Layers
            .Where(n => n != SelfAttention)
            .ToDictionary(
                r => r,
                r =>
                {
                    int lastNotSlower = Enumerable
                        .Range(0, ns.Length)
                        .LastOrDefault(k => t.ByN[SelfAttention][k] <= t.ByN[r][k], -1);
                    return lastNotSlower + 1 < ns.Length ? ns[lastNotSlower + 1] : (int?)null;
                }
            );
        var x = s.T;
        string Cross(RecurrentFamily f) =>
            crossover[f.Name()] is { } n
                ? (n == ns[0] ? x["parallelism.cross.every", n] : $"n = {n}")
                : x["parallelism.cross.none", ns[^1]];
        var assessment = Judge(ns, t.Steps, x);
        var finding =
            x[
                "parallelism.finding",
                t.Steps[RecurrentFamily.Lstm.Name()][^1],
                ns[^1],
                string.Join(", ", Layers.Select(name => string.Create(x.Culture, $"{name} {t.Slope[name]:F2}"))),
                Cross(RecurrentFamily.Lstm),
                Cross(RecurrentFamily.Gru),
                Cross(RecurrentFamily.Rnn),
                z.D,
                s.Threads,
                string.Join(", ", Layers.Select(name => string.Create(x.Culture, $"{name} {t.Speedup[name]:F2}×")))
            ] + assessment.Closing(x);
        return new LabResult(
            "parallelism",
            x["parallelism.title"],
            x["parallelism.claim"],
            finding,
            Figures(s, z, t),
            Table(s, z, t),
            new
            {
                d = z.D,
                batch = z.Batch,
                heads = z.Heads,
                threads = s.Threads,
                n = ns,
                ms_vs_n = t.ByN,
                widths = z.Ds,
                n_for_widths = z.NForD,
                ms_vs_d = t.ByD,
                sequential_steps = t.Steps,
                slope_vs_n = t.Slope,
                thread_speedup = t.Speedup,
                speedup_at_n = ns[^2],
                crossover_n = crossover,
            },
            clock.Elapsed.TotalSeconds,
            Assessment: assessment
        );
    }

    /// <summary>Times every layer against n, against d, and with 1 thread against all; counts its sequential
    /// steps.</summary>
    static Timings Measure(LabSession s, Sizes z)
    {
        var t = new Timings([], [], [], [], []);
        foreach (var name in Layers)
        {
            s.Log($"parallelism: {name}");
            var l = Build(name, z.D, z.Heads);
            t.ByN[name] = Array.ConvertAll(z.Ns, n => Time(l, z.Batch, n, z.D, z.Repeats));
            var fitFrom = z.Ns.Length > 3 ? z.Ns.Length / 2 - 1 : 0; // the upper range, past fixed per-call costs
            t.Slope[name] = LogLogSlope(z.Ns[fitFrom..].Select(n => (double)n).ToList(), t.ByN[name][fitFrom..]);
            t.ByD[name] = Array.ConvertAll(
                z.Ds,
                width =>
                {
                    var wide = Build(name, width, z.Heads);
                    try
                    {
                        return Time(wide, z.Batch, z.NForD, width, z.Repeats);
                    }
                    finally
                    {
                        wide.Module.Dispose();
                    }
                }
            );
            t.Steps[name] = Array.ConvertAll(z.Ns, n => SequentialSteps(name, n));
            int nThreads = z.Ns[^2];
            TorchRuntime(1);
            double one = Time(l, z.Batch, nThreads, z.D, z.Repeats);
            TorchRuntime(s.Threads);
            double all = Time(l, z.Batch, nThreads, z.D, z.Repeats);
            t.Speedup[name] = one / all;
            l.Module.Dispose();
        }
        return t;
    }

    static List<string> Figures(LabSession s, Sizes z, Timings t)
    {
        var xs = z.Ns.Select(n => (double)n).ToArray();
        return
        [
            Plots.Lines(
                s.PlotPath("parallelism-time-vs-n"),
                s.T["parallelism.plot.n-title", z.D, z.Batch, s.Threads],
                s.T["parallelism.plot.n"],
                s.T["parallelism.plot.ms"],
                Layers.Select(name => new Plots.Series(
                    s.T["parallelism.plot.slope", name, t.Slope[name]],
                    xs,
                    t.ByN[name]
                )),
                logX: true,
                logY: true
            ),
            Plots.Lines(
                s.PlotPath("parallelism-time-vs-d"),
                s.T["parallelism.plot.d-title", z.NForD, z.Batch],
                s.T["parallelism.plot.d"],
                s.T["parallelism.plot.ms"],
                Layers.Select(name => new Plots.Series(name, z.Ds.Select(v => (double)v).ToArray(), t.ByD[name])),
                logX: true,
                logY: true
            ),
            Plots.Lines(
                s.PlotPath("parallelism-sequential-steps"),
                s.T["parallelism.plot.steps-title"],
                s.T["parallelism.plot.n"],
                s.T["parallelism.plot.steps"],
                Layers.Select(name => new Plots.Series(name, xs, t.Steps[name].Select(v => (double)v).ToArray())),
                logX: true,
                logY: true
            ),
        ];
    }

    static List<string[]> Table(LabSession s, Sizes z, Timings t)
    {
        var x = s.T;
        string recurrent = x["parallelism.table.recurrent"],
            attention = x["parallelism.table.attention"];
        int[] ns = z.Ns;
        var table = new List<string[]>
        {
            new[]
            {
                x["parallelism.table.layer"],
                x["parallelism.table.paper"],
                x["parallelism.table.ms-at", ns[0]],
                x["parallelism.table.ms-at", ns[^1]],
                x["parallelism.table.slope"],
                x["parallelism.table.steps", ns[^1]],
                x["parallelism.table.speedup", s.Threads],
            },
        };
        foreach (var name in Layers)
            table.Add([
                name,
                name == SelfAttention ? attention : recurrent,
                t.ByN[name][0].ToString("F2"),
                t.ByN[name][^1].ToString("F1"),
                t.Slope[name].ToString("F2"),
                t.Steps[name][^1].ToString("N0"),
                t.Speedup[name].ToString("F2") + "×",
            ]);
        return table;
    }

    /// <summary>The verdict's rule, in words.</summary>
    public static string Rule(Texts? t = null) => (t ?? Texts.English)["parallelism.rule"];

    /// <summary>The rule on the counted sequential steps per layer (layer → one count per n).</summary>
    public static Assessment Judge(IReadOnlyList<int> ns, IReadOnlyDictionary<string, long[]> steps, Texts? t = null)
    {
        t ??= Texts.English;
        var wrong = steps
            .SelectMany(p =>
                p.Value.Select(
                    (count, i) => (layer: p.Key, n: ns[i], count, expected: p.Key == SelfAttention ? 1L : ns[i])
                )
            )
            .Where(x => x.count != x.expected)
            .ToList();
        return wrong.Count == 0
            ? new(Verdict.Supported, Rule(t), t["parallelism.judge.for", string.Join(", ", ns)])
            : new(
                Verdict.NotSupported,
                Rule(t),
                string.Join("; ", wrong.Select(w => t["parallelism.judge.wrong", w.layer, w.count, w.n, w.expected]))
            );
    }

    static void TorchRuntime(int threads) => Native.TorchRuntime.SetThreads(threads);
}
