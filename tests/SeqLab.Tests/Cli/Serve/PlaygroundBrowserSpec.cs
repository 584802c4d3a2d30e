using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using SeqLab.IO;
using SeqLab.Models;
using SeqLab.Training;

namespace SeqLab.Tests;

/// <summary>
/// The playground in a real browser: `seqlab serve` in its own process, headless Chromium (Debian's
/// package, installed by ./test) driven over the DevTools protocol — type a sentence, wait for the
/// models' predictions, hover a word, and check the attention heatmap changed. Saves a screenshot.
/// </summary>
[Collection("serial")]
public class PlaygroundBrowserSpec
{
    const string Chromium = "/usr/bin/chromium";

    /// <summary>Tiny LSTM and Transformer language models in dir/lstm and dir/transformer.</summary>
    static void TrainModels(TempDir dir)
    {
        Torch.Init();
        var data = dir.File("c.txt", Corpora.Repetitive(200));
        foreach (var family in new[] { "lstm", "transformer" })
        {
            var config = new ModelConfig
            {
                Family = Spelling.Parse<ModelFamily>("model", family),
                EmbedDim = 16,
                HiddenSize = 16,
                Heads = 2,
                FfDim = 32,
                MinCount = 1,
            };
            var options = new TrainingOptions
            {
                Steps = 20,
                SeqLen = 16,
                BatchSize = 8,
                EvalInterval = 20,
            };
            TestModels.Train(config, options, data, null, dir.Sub(family));
        }
    }

    [Fact]
    public async Task ApiRefusesBadRequestsWithFourHundreds()
    {
        using var dir = new TempDir();
        TrainModels(dir);
        var app = new SeqLab.Cli.Serve.Playground([
            Checkpoint.Load(dir.Sub("lstm")),
            Checkpoint.Load(dir.Sub("transformer")),
        ]).Build(0);
        await app.StartAsync();
        try
        {
            var server = (Microsoft.AspNetCore.Hosting.Server.IServer)
                app.Services.GetService(typeof(Microsoft.AspNetCore.Hosting.Server.IServer))!;
            var url = server
                .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!
                .Addresses.First();
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            async Task<(int Status, JsonNode Body)> Post(string path, string json)
            {
                var r = await http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
                return ((int)r.StatusCode, JsonNode.Parse(await r.Content.ReadAsStringAsync())!);
            }
            var ok = await Post("/api/predict", "{\"text\": \"me senté en el [???]\", \"top\": 3}");
            Assert.Equal(200, ok.Status);
            Assert.Equal(2, ok.Body["models"]!.AsArray().Count);
            Assert.Equal(400, (await Post("/api/predict", "{\"text\": \"\"}")).Status);
            Assert.Equal(400, (await Post("/api/predict", $"{{\"text\": \"{new string('a', 3000)}\"}}")).Status);
            Assert.Equal(400, (await Post("/api/predict", "not json")).Status);
            Assert.Equal(400, (await Post("/api/attention", "{\"text\": \"hola\", \"model\": 0}")).Status); // an LSTM has no attention
            Assert.Equal(404, (await Post("/api/attention", "{\"text\": \"hola\", \"model\": 7}")).Status);
            Assert.Contains(
                "Transformer",
                (string)(await Post("/api/attention", "{\"text\": \"hola\", \"model\": 0}")).Body["error"]!
            );
            var statuses = await Task.WhenAll(
                Enumerable
                    .Range(0, 3 * SeqLab.Cli.Serve.Playground.RequestsPerSecond)
                    .Select(_ => http.GetAsync("/api/models"))
            );
            Assert.Contains(statuses, r => (int)r.StatusCode == 429);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact, Trait("Category", "Slow")]
    public async Task TypingShowsPredictionsAndHoveringAWordRedrawsTheAttention()
    {
        Assert.True(
            File.Exists(Chromium),
            $"{Chromium} is missing; ./test installs it (or: sudo apt-get install chromium)."
        );
        using var dir = new TempDir();
        TrainModels(dir);

        using var server = Start(
            "dotnet",
            [
                Path.Combine(AppContext.BaseDirectory, "SeqLab.Cli.dll"),
                "serve",
                "--port",
                "0",
                "--model",
                dir.Sub("lstm"),
                "--model",
                dir.Sub("transformer"),
                "--threads",
                "1",
            ]
        );
        var url = await ReadLine(
            server.StandardOutput,
            TimeSpan.FromSeconds(60),
            l => l.StartsWith("http://", StringComparison.Ordinal)
        );
        using var browser = Start(
            Chromium,
            [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--remote-debugging-port=0",
                $"--user-data-dir={dir.Sub("chromium")}",
                "--window-size=1200,1400",
                "about:blank",
            ]
        );
        try
        {
            var devtools = await ReadLine(
                browser.StandardError,
                TimeSpan.FromSeconds(60),
                l => l.Contains("DevTools listening on ws://")
            );
            var port = new Uri(devtools[(devtools.IndexOf("ws://", StringComparison.Ordinal))..]).Port;
            using var http = new HttpClient();
            var targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list"))!.AsArray();
            var page = targets.First(t => (string?)t!["type"] == "page")!;
            await using var cdp = await Cdp.Connect((string)page["webSocketDebuggerUrl"]!);

            await cdp.Send("Page.navigate", new JsonObject { ["url"] = url });
            await cdp.WaitFor(
                "document.body.dataset.predictions === '1' && document.body.dataset.attention !== undefined"
            );

            // Type a new sentence: select the text area's content and insert text, as a keyboard would.
            await cdp.Eval("(() => { const t = document.getElementById('text'); t.focus(); t.select(); })()");
            await cdp.Send("Input.insertText", new JsonObject { ["text"] = "me senté en el banco del [???]" });
            await cdp.WaitFor("document.body.dataset.predictions === '2' && document.body.dataset.attention === '7'");
            Assert.True(await cdp.Eval<int>("document.querySelectorAll('.model .candidate').length") >= 2);
            Assert.Equal(2, await cdp.Eval<int>("document.querySelectorAll('.model').length"));

            // Hover the first word and check the attention colours change.
            string Colours =
                "Array.from(document.querySelectorAll('#attn-tokens span')).map(s => s.style.background).join('|')";
            var before = await cdp.Eval<string>(Colours);
            var box = JsonNode.Parse(
                await cdp.Eval<string>(
                    "JSON.stringify(document.querySelector('#attn-tokens span[data-i=\"1\"]').getBoundingClientRect())"
                )
            )!;
            await cdp.Send(
                "Input.dispatchMouseEvent",
                new JsonObject
                {
                    ["type"] = "mouseMoved",
                    ["x"] = (double)box["x"]! + 4,
                    ["y"] = (double)box["y"]! + 4,
                }
            );
            await cdp.WaitFor(
                "document.querySelector('#attn-tokens span.query') && document.querySelector('#attn-tokens "
                    + "span.query').dataset.i === '1'"
            );
            Assert.NotEqual(before, await cdp.Eval<string>(Colours));

            var shot = await cdp.Send("Page.captureScreenshot", new JsonObject { ["format"] = "png" });
            var artifacts = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts")).FullName;
            File.WriteAllBytes(
                Path.Combine(artifacts, "playground.png"),
                Convert.FromBase64String((string)shot["data"]!)
            );
        }
        finally
        {
            foreach (var p in new[] { browser, server })
            {
                try
                {
                    p.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException) { }
            }
        }
    }

    static Process Start(string file, string[] args) =>
        Process.Start(
            new ProcessStartInfo(file, args)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            }
        )!;

    static async Task<string> ReadLine(StreamReader reader, TimeSpan timeout, Func<string, bool> match)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (await reader.ReadLineAsync(cts.Token) is { } line)
            if (match(line))
                return line.Trim();
        throw new InvalidOperationException("the process ended before printing the expected line");
    }

    /// <summary>A minimal Chrome DevTools Protocol client: send a command, await its result.</summary>
    sealed class Cdp : IAsyncDisposable
    {
        readonly ClientWebSocket socket = new();
        int nextId;

        public static async Task<Cdp> Connect(string url)
        {
            var cdp = new Cdp();
            await cdp.socket.ConnectAsync(new Uri(url), CancellationToken.None);
            return cdp;
        }

        public async Task<JsonNode> Send(string method, JsonObject? parameters = null)
        {
            int id = ++nextId;
            var message = new JsonObject
            {
                ["id"] = id,
                ["method"] = method,
                ["params"] = parameters ?? new JsonObject(),
            };
            await socket.SendAsync(
                Encoding.UTF8.GetBytes(message.ToJsonString()),
                WebSocketMessageType.Text,
                true,
                CancellationToken.None
            );
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var buffer = new byte[1 << 16];
            while (true)
            {
                using var ms = new MemoryStream();
                WebSocketReceiveResult r;
                do
                {
                    r = await socket.ReceiveAsync(buffer, cts.Token);
                    ms.Write(buffer, 0, r.Count);
                } while (!r.EndOfMessage);
                var reply = JsonNode.Parse(ms.ToArray())!;
                if ((int?)reply["id"] != id)
                    continue; // events and other replies
                if (reply["error"] is { } error)
                    throw new InvalidOperationException($"{method}: {error.ToJsonString()}");
                return reply["result"]!;
            }
        }

        public async Task<T> Eval<T>(string expression)
        {
            var result = await Send(
                "Runtime.evaluate",
                new JsonObject { ["expression"] = expression, ["returnByValue"] = true }
            );
            if (result["exceptionDetails"] is { } e)
                throw new InvalidOperationException($"{expression}: {e.ToJsonString()}");
            return result["result"]!["value"]!.GetValue<T>();
        }

        public Task<JsonNode> Eval(string expression) =>
            Send("Runtime.evaluate", new JsonObject { ["expression"] = expression });

        public async Task WaitFor(string condition, int seconds = 60)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                var result = await Send(
                    "Runtime.evaluate",
                    new JsonObject { ["expression"] = $"!!({condition})", ["returnByValue"] = true }
                );
                if (result["result"]?["value"]?.GetValue<bool>() == true)
                    return;
                await Task.Delay(100);
            }
            throw new TimeoutException($"the page never reached: {condition}");
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
            }
            catch (WebSocketException) { }
            socket.Dispose();
        }
    }
}
