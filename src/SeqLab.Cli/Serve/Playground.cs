using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SeqLab.Inference;
using SeqLab.IO;
using SeqLab.Models;
using SeqLab.Training;

namespace SeqLab.Cli.Serve;

/// <summary>
/// The web playground: one page, and JSON endpoints behind it — /api/models, /api/predict (every
/// model's next-word candidates or label, side by side) and /api/attention (a Transformer's maps).
/// Bound to 127.0.0.1; inputs are limited in length and rate, and bad requests get a 4xx with a
/// one-line reason.
/// </summary>
public sealed class Playground(IReadOnlyList<LoadedModel> models)
{
    public const int MaxTextChars = 2000,
        MaxTop = 20,
        RequestsPerSecond = 20;

    sealed record PredictRequest(string? Text, int? Top);

    sealed record AttentionRequest(string? Text, int? Model);

    readonly object[] locks = models.Select(_ => new object()).ToArray(); // a model runs one request at a time
    readonly ConcurrentDictionary<string, (long Second, int Count)> rate = new();

    public static string Name(LoadedModel m) =>
        $"{m.Config.Family.Name()} {m.Config.Task.Name()} "
        + $"({Path.GetFileName(Path.TrimEndingDirectorySeparator(m.Directory))})";

    public WebApplication Build(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.Use(
            async (context, next) =>
            {
                if (
                    context.Request.Path.StartsWithSegments("/api")
                    && !Allow(context.Connection.RemoteIpAddress?.ToString() ?? "?")
                )
                {
                    await Error(context, 429, $"more than {RequestsPerSecond} requests per second; slow down.");
                    return;
                }
                await next();
            }
        );
        app.MapGet("/", () => Results.Content(Page(), "text/html; charset=utf-8"));
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

    bool Allow(string client)
    {
        long now = Environment.TickCount64 / 1000;
        var entry = rate.AddOrUpdate(client, (now, 1), (_, e) => e.Second == now ? (now, e.Count + 1) : (now, 1));
        return entry.Count <= RequestsPerSecond;
    }

    static Task Error(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { error = message });
    }

    static async Task<T?> Body<T>(HttpContext context)
        where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(
                context.Request.Body,
                new JsonSerializerOptions { PropertyNameCaseInsensitive = true }
            );
        }
        catch (JsonException)
        {
            return null;
        }
    }

    static string? CheckText(string? text) =>
        string.IsNullOrWhiteSpace(text) ? "the text is empty; type a sentence (put [???] where a word is missing)."
        : text.Length > MaxTextChars ? $"the text has {text.Length} characters; the limit is {MaxTextChars}."
        : null;

    async Task Predict(HttpContext context)
    {
        var request = await Body<PredictRequest>(context);
        if (request is null)
        {
            await Error(context, 400, "the body must be JSON: {\"text\": \"…\", \"top\": 5}.");
            return;
        }
        if (CheckText(request.Text) is { } problem)
        {
            await Error(context, 400, problem);
            return;
        }
        int top = request.Top ?? 5;
        if (top < 1 || top > MaxTop)
        {
            await Error(context, 400, $"top must be between 1 and {MaxTop} (got {top}).");
            return;
        }
        var results = models
            .Select(
                (m, i) =>
                {
                    lock (locks[i])
                    {
                        try
                        {
                            var output = Predictors
                                .For(m, beam: 1)
                                .Predict(request.Text!, top)
                                .Candidates.Select(c => new { token = c.Token, probability = c.Probability });
                            return new
                            {
                                id = i,
                                name = Name(m),
                                family = m.Config.Family.Name(),
                                candidates = (object)output,
                                error = (string?)null,
                            };
                        }
                        catch (SeqLabInputException e)
                        {
                            return new
                            {
                                id = i,
                                name = Name(m),
                                family = m.Config.Family.Name(),
                                candidates = (object)Array.Empty<object>(),
                                error = (string?)e.Message,
                            };
                        }
                    }
                }
            )
            .ToList();
        await context.Response.WriteAsJsonAsync(new { models = results });
    }

    async Task Attention(HttpContext context)
    {
        var request = await Body<AttentionRequest>(context);
        if (request is null)
        {
            await Error(context, 400, "the body must be JSON: {\"text\": \"…\", \"model\": 0}.");
            return;
        }
        if (CheckText(request.Text) is { } problem)
        {
            await Error(context, 400, problem);
            return;
        }
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
        AttentionMaps.Map map;
        try
        {
            lock (locks[id])
                map = AttentionMaps.For(models[id], Blank.LeftOf(request.Text!));
        }
        catch (SeqLabInputException e)
        {
            await Error(context, 400, e.Message);
            return;
        }
        await context.Response.WriteAsJsonAsync(
            new
            {
                tokens = map.Tokens,
                layers = map.Layers,
                heads = map.Heads,
                weights = map.Weights,
            }
        );
    }

    static string Page()
    {
        using var stream = typeof(Playground).Assembly.GetManifestResourceStream("playground.html")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
