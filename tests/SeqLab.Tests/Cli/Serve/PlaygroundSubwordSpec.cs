using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SeqLab.Cli.Serve;

namespace SeqLab.Tests;

/// <summary>The playground shows a subword model's whole words, and its pieces only when asked.</summary>
[Collection("serial")]
public class PlaygroundSubwordSpec
{
    [Fact]
    public async Task ASubwordModelAnswersInWholeWordsUnlessAskedForPieces()
    {
        Torch.Init();
        using var dir = new TempDir();
        var model = TestModels.TinyBpe(dir);
        var app = new Playground([model]).Build(0);
        await app.StartAsync();
        await using var _ = app;
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        async Task<JsonArray> Candidates(string body)
        {
            var r = await http.PostAsync("/api/predict", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            return JsonNode.Parse(await r.Content.ReadAsStringAsync())!["models"]![0]!["candidates"]!.AsArray();
        }
        var words = await Candidates("{\"text\": \"me senté en el\", \"top\": 5}");
        Assert.NotEmpty(words);
        Assert.All(words, c => Assert.True(((string)c!["token"]!).All(char.IsLetter), (string)c!["token"]!));
        Assert.NotEmpty(await Candidates("{\"text\": \"me senté en el\", \"top\": 5, \"pieces\": true}"));
    }
}
