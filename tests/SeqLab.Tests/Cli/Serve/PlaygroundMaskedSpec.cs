using System.Net.Http.Json;
using System.Text.Json.Nodes;
using SeqLab.Cli.Serve;
using SeqLab.Data;
using SeqLab.Models;
using SeqLab.Training;

namespace SeqLab.Tests;

/// <summary>A masked language model in the playground, beside a causal one: it fills the blank from both sides and
/// its attention map covers the words after the blank.</summary>
[Collection("serial")]
public class PlaygroundMaskedSpec
{
    [Fact]
    public async Task AMaskedModelAnswersBesideACausalOneAndItsMapReadsPastTheBlank()
    {
        Torch.Init();
        using var dir = new TempDir();
        var text = dir.File("c.txt", Corpora.Repetitive(200));
        var config = new ModelConfig
        {
            Family = ModelFamily.Transformer,
            EmbedDim = 16,
            HiddenSize = 16,
            Heads = 2,
            FfDim = 32,
            MinCount = 1,
        };
        var options = new TrainingOptions
        {
            Steps = 3,
            BatchSize = 8,
            SeqLen = 16,
            EvalInterval = 3,
        };
        var masked = config.Clone();
        masked.Task = TaskKind.Mlm;
        var (lm, _) = TestModels.Train(config, options, text, null, dir.Sub("lm"));
        var (mlm, _) = TestModels.Train(masked, options, text, null, dir.Sub("mlm"));
        var app = new Playground([lm, mlm]).Build(0);
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            const string sentence = "fui al [???] a sacar dinero .";

            var predict = await http.PostAsJsonAsync("/api/predict", new { text = sentence, top = 3 });
            var models = JsonNode.Parse(await predict.Content.ReadAsStringAsync())!["models"]!.AsArray();
            Assert.Equal(2, models.Count);
            foreach (var m in models)
            {
                Assert.Null(m!["error"]?.GetValue<string>());
                Assert.Equal(3, m["candidates"]!.AsArray().Count);
            }

            var attention = await http.PostAsJsonAsync("/api/attention", new { text = sentence, model = 1 });
            var map = JsonNode.Parse(await attention.Content.ReadAsStringAsync())!;
            var tokens = map["tokens"]!.AsArray().Select(t => t!.GetValue<string>()).ToList();
            int focus = map["focus"]!.GetValue<int>();
            Assert.Equal("<mask>", tokens[focus]);
            Assert.Contains("dinero", tokens[(focus + 1)..]); // the right context is in the map

            var causal = await http.PostAsJsonAsync("/api/attention", new { text = sentence, model = 0 });
            var causalTokens = JsonNode.Parse(await causal.Content.ReadAsStringAsync())!["tokens"]!.AsArray();
            Assert.DoesNotContain(causalTokens, t => t!.GetValue<string>() == "dinero"); // it stops at the blank
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
