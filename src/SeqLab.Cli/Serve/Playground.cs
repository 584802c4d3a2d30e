using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SeqLab.Inference;
using SeqLab.IO;
using SeqLab.Lab.Report;
using SeqLab.Models;
using SeqLab.Training;

namespace SeqLab.Cli.Serve;

/// <summary>
/// The web playground: one page, and JSON endpoints behind it — /api/models, /api/predict (every model's next-word
/// candidates or label, side by side) and /api/attention (a Transformer's maps). Bound to 127.0.0.1 and answering only
/// to a local Host header; inputs, outputs and bodies are bounded, requests are rate-limited, and the model work runs
/// one request at a time behind a short queue, so a burst is answered with 503 instead of stalling the server. Every
/// refusal is JSON with a one-line reason.
/// </summary>
public sealed class Playground(IReadOnlyList<LoadedModel> models, Texts? texts = null)
{
    readonly Texts texts = texts ?? Texts.English;

    public const int MaxTextChars = 2000,
        MaxTop = 20,
        RequestsPerSecond = 20,
        MaxBodyBytes = 64 * 1024,
        MaxQueued = 8,
        MaxOutputTokens = 64,
        MaxAttentionTokens = 128;

    /// <summary>How long a queued request waits for the models before it is told the server is busy.</summary>
    static readonly TimeSpan QueueWait = TimeSpan.FromSeconds(10);

    static readonly string[] LocalHosts = ["127.0.0.1", "localhost", "[::1]"];

    /// <param name="Pieces">subword models: the next pieces instead of whole words.</param>
    sealed record PredictRequest(string? Text, int? Top, bool? Pieces);

    sealed record AttentionRequest(string? Text, int? Model);

    readonly SemaphoreSlim work = new(1); // libtorch already uses every core: one request's models at a time
    int waiting;
    readonly ConcurrentDictionary<string, (long Second, int Count)> rate = new();

    public static string Name(LoadedModel m) =>
        $"{m.Config.Family.Name()} {m.Config.Task.Name()} "
        + $"({Path.GetFileName(Path.TrimEndingDirectorySeparator(m.Directory))})";

    public WebApplication Build(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxBodyBytes);
        var app = builder.Build();
        app.Use(Guard);
        // The page in serve's language, or in the one asked for with ?lang=es|en.
        app.MapGet(
            "/",
            (HttpContext c) =>
            {
                var asked = Languages.TryLocale(c.Request.Query["lang"].ToString());
                return Results.Content(Page(asked is { } l ? Texts.For(l) : texts), "text/html; charset=utf-8");
            }
        );
        app.MapGet(
            "/api/models",
            () =>
                Results.Json(
                    models.Select(
                        (m, i) =>
                            new
                            {
                                id = i,
                                name = Name(m),
                                family = m.Config.Family.Name(),
                                task = m.Config.Task.Name(),
                            }
                    )
                )
        );
        app.MapPost("/api/predict", (Delegate)Predict);
        app.MapPost("/api/attention", (Delegate)Attention);
        return app;
    }

    /// <summary>
    /// Before any handler: a local Host only (a DNS-rebinding page reaches 127.0.0.1 under its own name), the rate
    /// limit, and JSON bodies on POST.
    /// </summary>
    async Task Guard(HttpContext context, Func<Task> next)
    {
        var host = context.Request.Host.Host;
        if (!LocalHosts.Contains(host.StartsWith('[') ? host : host.ToLowerInvariant()) && host != "::1")
        {
            await Error(
                context,
                403,
                $"unexpected Host '{context.Request.Host}'; the playground answers only on 127.0.0.1."
            );
            return;
        }
        bool api = context.Request.Path.StartsWithSegments("/api");
        if (api && !Allow(context.Connection.RemoteIpAddress?.ToString() ?? "?"))
        {
            await Error(context, 429, $"more than {RequestsPerSecond} requests per second; slow down.");
            return;
        }
        if (api && HttpMethods.IsPost(context.Request.Method) && !context.Request.HasJsonContentType())
        {
            await Error(context, 415, "send the body as JSON (Content-Type: application/json).");
            return;
        }
        await next();
    }

    bool Allow(string client)
    {
        long now = Environment.TickCount64 / 1000;
        var entry = rate.AddOrUpdate(client, (now, 1), (_, e) => e.Second == now ? (now, e.Count + 1) : (now, 1));
        return entry.Count <= RequestsPerSecond;
    }

    static Task Error(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        if (status == 503)
            context.Response.Headers.RetryAfter = "1";
        return context.Response.WriteAsJsonAsync(new { error = message });
    }

    /// <summary>The request's JSON body with a text within bounds, or null after answering why not (400 or
    /// 413).</summary>
    static async Task<T?> Request<T>(HttpContext context, string shape, Func<T, string?> text)
        where T : class
    {
        T? value;
        try
        {
            value = await JsonSerializer.DeserializeAsync<T>(
                context.Request.Body,
                new JsonSerializerOptions { PropertyNameCaseInsensitive = true },
                context.RequestAborted
            );
        }
        catch (JsonException)
        {
            value = null;
        }
        catch (BadHttpRequestException e) when (e.StatusCode == 413)
        {
            await Error(context, 413, $"the body is larger than {MaxBodyBytes / 1024} KB; send a shorter text.");
            return null;
        }
        string? problem = value is null ? $"the body must be JSON: {shape}." : CheckText(text(value));
        if (problem is null)
            return value;
        await Error(context, 400, problem);
        return null;
    }

    static string? CheckText(string? text) =>
        string.IsNullOrWhiteSpace(text) ? "the text is empty; type a sentence (put [???] where a word is missing)."
        : text.Length > MaxTextChars ? $"the text has {text.Length} characters; the limit is {MaxTextChars}."
        : null;

    /// <summary>
    /// Runs model work one request at a time. At most <see cref="MaxQueued"/> requests wait, each for at most
    /// <see cref="QueueWait"/>; beyond that, or when the client has gone, the work is not done (503, or nothing).
    /// </summary>
    async Task<T?> Queued<T>(HttpContext context, Func<CancellationToken, T?> run)
        where T : class
    {
        if (Interlocked.Increment(ref waiting) > MaxQueued)
        {
            Interlocked.Decrement(ref waiting);
            await Error(context, 503, "the models are busy; try again in a moment.");
            return null;
        }
        bool entered = false;
        try
        {
            entered = await work.WaitAsync(QueueWait, context.RequestAborted);
            if (!entered)
            {
                await Error(context, 503, "the models are busy; try again in a moment.");
                return null;
            }
            return run(context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return null; // the client left: nobody to answer
        }
        finally
        {
            if (entered)
                work.Release();
            Interlocked.Decrement(ref waiting);
        }
    }

    async Task Predict(HttpContext context)
    {
        var request = await Request<PredictRequest>(context, "{\"text\": \"…\", \"top\": 5}", r => r.Text);
        if (request is null)
            return;
        int top = request.Top ?? 5;
        if (top < 1 || top > MaxTop)
        {
            await Error(context, 400, $"top must be between 1 and {MaxTop} (got {top}).");
            return;
        }
        var results = await Queued(
            context,
            aborted =>
                models
                    .Select((m, i) => PredictOne(m, i, Words(m, request.Text!, request.Pieces == true), top, aborted))
                    .ToList()
        );
        if (results is not null)
            await context.Response.WriteAsJsonAsync(new { models = results });
    }

    /// <summary>
    /// What a model is asked: a subword language model ranks whole words (as for a [???] blank at the end) unless the
    /// request asks for pieces.
    /// </summary>
    static string Words(LoadedModel m, string text, bool pieces) =>
        m.Tokenizer is Text.BpeTokenizer && m.Config.Task == Data.TaskKind.Lm && !pieces && !Blank.In(text)
            ? text + " " + Blank.Marker
            : text;

    /// <summary>One model's candidates (seq2seq: its output, at most <see cref="MaxOutputTokens"/> tokens), or why
    /// not.</summary>
    static object PredictOne(LoadedModel m, int id, string text, int top, CancellationToken aborted)
    {
        aborted.ThrowIfCancellationRequested();
        try
        {
            var candidates = Predictors
                .For(m, beam: 1, maxTokens: MaxOutputTokens)
                .Predict(text, top)
                .Candidates.Select(c => new { token = c.Token, probability = c.Probability })
                .ToList();
            return new
            {
                id,
                name = Name(m),
                family = m.Config.Family.Name(),
                candidates,
                error = (string?)null,
            };
        }
        catch (SeqLabInputException e)
        {
            return new
            {
                id,
                name = Name(m),
                family = m.Config.Family.Name(),
                candidates = Array.Empty<object>(),
                error = (string?)e.Message,
            };
        }
    }

    async Task Attention(HttpContext context)
    {
        var request = await Request<AttentionRequest>(context, "{\"text\": \"…\", \"model\": 0}", r => r.Text);
        if (request is null)
            return;
        int id = request.Model ?? -1;
        if (id < 0 || id >= models.Count)
        {
            await Error(context, 404, $"no model {id}; /api/models lists them.");
            return;
        }
        if (models[id].Config.Family != ModelFamily.Transformer)
        {
            await Error(
                context,
                400,
                $"model {id} is a {models[id].Config.Family.Name()}; attention maps need a Transformer."
            );
            return;
        }
        string? refusal = null;
        var map = await Queued<AttentionMaps.Map>(
            context,
            _ =>
            {
                try
                {
                    // A causal model's map stops at the blank; a masked one reads the words after it too.
                    var text =
                        models[id].Config.Task == Data.TaskKind.Mlm ? request.Text! : Blank.LeftOf(request.Text!);
                    return AttentionMaps.For(models[id], text);
                }
                catch (SeqLabInputException e)
                {
                    refusal = e.Message;
                    return null;
                }
            }
        );
        if (refusal is not null)
        {
            await Error(context, 400, refusal);
            return;
        }
        if (map is null)
            return;
        if (map.Tokens.Count > MaxAttentionTokens)
        {
            await Error(
                context,
                400,
                $"attention maps are drawn for at most {MaxAttentionTokens} tokens (got {map.Tokens.Count}); shorten "
                    + $"the text."
            );
            return;
        }
        // Four decimals are plenty for a heatmap, and keep the answer small (T² numbers per head and layer).
        var weights = map.Weights.Select(l => l.Select(h => h.Select(q => q.Select(w => Math.Round(w, 4)))));
        await context.Response.WriteAsJsonAsync(
            new
            {
                tokens = map.Tokens,
                focus = map.Focus,
                layers = map.Layers,
                heads = map.Heads,
                weights,
            }
        );
    }

    /// <summary>The page with its words in one language: {{key}} → the text of playground.key (HTML-encoded), and
    /// the words its script writes as a JSON object.</summary>
    public static string Page(Texts t)
    {
        using var stream = typeof(Playground).Assembly.GetManifestResourceStream("playground.html")!;
        using var reader = new StreamReader(stream);
        var script = JsonSerializer.Serialize(
            new Dictionary<string, string>
            {
                ["thinking"] = t["playground.thinking"],
                ["ready"] = t["playground.ready"],
                ["meanOfHeads"] = t["playground.mean-of-heads"],
                ["share"] = t.Template("playground.share"),
                ["percent"] = t.Template("playground.percent"),
                ["locale"] = t.Language.Code(),
            },
            Json.Line
        );
        var page = reader.ReadToEnd().Replace("{{lang}}", t.Language.Code()).Replace("{{script-texts}}", script);
        return System.Text.RegularExpressions.Regex.Replace(
            page,
            @"\{\{([a-z-]+)\}\}",
            m => System.Net.WebUtility.HtmlEncode(t["playground." + m.Groups[1].Value])
        );
    }
}
