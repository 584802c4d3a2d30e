using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using SeqLab.Cli.Serve;
using SeqLab.Data;
using SeqLab.Data.Generated;
using SeqLab.Models;
using SeqLab.Training;

namespace SeqLab.Tests;

/// <summary>The playground cannot be stalled or misused: bounded work, bodies, outputs and hosts, each refusal JSON.</summary>
[Collection("serial")]
public class PlaygroundLimitsSpec
{
    /// <summary>A tiny Transformer encoder–decoder (reversal) and a Transformer LM, served on a free port.</summary>
    static async Task<(WebApplication App, HttpClient Http)> Serve(TempDir dir)
    {
        Torch.Init();
        var pairs = dir.File(
            "r.tsv",
            string.Join(
                '\n',
                SymbolTasks
                    .Generate("reverse", new SymbolTasks.Options(200, 3, 8, 10, 1))
                    .Select(p => $"{p.Source}\t{p.Target}")
            ) + "\n"
        );
        var small = new ModelConfig
        {
            Family = ModelFamily.Transformer,
            EmbedDim = 16,
            HiddenSize = 16,
            Heads = 2,
            FfDim = 32,
            MinCount = 1,
        };
        var seq2seq = small.Clone();
        seq2seq.Task = TaskKind.Seq2Seq;
        var options = new TrainingOptions
        {
            Steps = 4,
            BatchSize = 8,
            SeqLen = 16,
            EvalInterval = 4,
        };
        var (translator, _) = TestModels.Train(seq2seq, options, pairs, null, dir.Sub("s2s"));
        var (lm, _) = TestModels.Train(small, options, dir.File("c.txt", Corpora.Repetitive(100)), null, dir.Sub("lm"));
        var app = new Playground([translator, lm]).Build(0);
        await app.StartAsync();
        var url = app.Urls.First();
        return (app, new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(2) });
    }

    static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task OversizedWrongTypeAndForeignHostRequestsAreRefusedAsJson()
    {
        using var dir = new TempDir();
        var (app, http) = await Serve(dir);
        await using var _ = app;
        var big = await http.PostAsync("/api/predict", Json($"{{\"text\": \"{new string('a', 100_000)}\"}}"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
        Assert.Contains("larger than", (string)JsonNode.Parse(await big.Content.ReadAsStringAsync())!["error"]!);
        var plain = await http.PostAsync(
            "/api/predict",
            new StringContent("{\"text\": \"hola\"}", Encoding.UTF8, "text/plain")
        );
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, plain.StatusCode);
        var foreign = new HttpRequestMessage(HttpMethod.Get, "/api/models");
        foreign.Headers.Host = "evil.example";
        var rebound = await http.SendAsync(foreign);
        Assert.Equal(HttpStatusCode.Forbidden, rebound.StatusCode);
        Assert.Contains("evil.example", (string)JsonNode.Parse(await rebound.Content.ReadAsStringAsync())!["error"]!);
    }

    [Fact]
    public async Task ALongSourceGivesACappedOutput()
    {
        using var dir = new TempDir();
        var (app, http) = await Serve(dir);
        await using var _ = app;
        var source = string.Join(' ', Enumerable.Range(0, 400).Select(i => "abcdefghij"[i % 10]));
        var r = await http.PostAsync("/api/predict", Json($"{{\"text\": \"{source}\", \"top\": 1}}"));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var output = (string)
            JsonNode.Parse(await r.Content.ReadAsStringAsync())!["models"]![0]!["candidates"]![0]!["token"]!;
        Assert.True(output.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length <= Playground.MaxOutputTokens);
    }

    [Fact]
    public async Task ASmallRequestIsAnsweredDuringAndAfterABurst()
    {
        using var dir = new TempDir();
        var (app, http) = await Serve(dir);
        await using var _ = app;
        var source = string.Join(' ', Enumerable.Range(0, 400).Select(i => "abcdefghij"[i % 10]));
        var burst = Enumerable
            .Range(0, 15)
            .Select(_ => http.PostAsync("/api/predict", Json($"{{\"text\": \"{source}\"}}")))
            .ToList();
        await Task.Delay(200);
        var clock = Stopwatch.StartNew();
        var during = await http.PostAsync("/api/predict", Json("{\"text\": \"a b c\"}"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"answered after {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Contains((int)during.StatusCode, new[] { 200, 429, 503 });
        var statuses = (await Task.WhenAll(burst)).Select(r => (int)r.StatusCode).ToList();
        Assert.All(statuses, s => Assert.Contains(s, new[] { 200, 429, 503 }));
        await Task.Delay(1100); // a new second for the rate limit
        clock.Restart();
        var after = await http.PostAsync("/api/predict", Json("{\"text\": \"a b c\"}"));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"answered after {clock.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task AttentionMapsAreBoundedInTokensAndSize()
    {
        using var dir = new TempDir();
        var (app, http) = await Serve(dir);
        await using var _ = app;
        var sentence = "crecí en un pequeño pueblo en los alpes suizos y todavía hablo";
        var ok = await http.PostAsync("/api/attention", Json($"{{\"text\": \"{sentence}\", \"model\": 1}}"));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.True((await ok.Content.ReadAsByteArrayAsync()).Length < 100_000);
        var longText = string.Join(' ', Enumerable.Repeat("hola mundo", 100));
        var tooLong = await http.PostAsync("/api/attention", Json($"{{\"text\": \"{longText}\", \"model\": 1}}"));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains(
            $"at most {Playground.MaxAttentionTokens} tokens",
            (string)JsonNode.Parse(await tooLong.Content.ReadAsStringAsync())!["error"]!
        );
    }
}
