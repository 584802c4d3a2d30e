using System.Text.Json.Nodes;
using SeqLab.Data;
using SeqLab.Inference;
using SeqLab.IO;
using SeqLab.Text;
using SeqLab.Training;
using static TorchSharp.torch;

namespace SeqLab.Tests;

/// <summary>
/// `seqlab import --format hf-bert` runs a Hugging Face BertForMaskedLM: a tiny random one written in PyTorch with
/// modeling_bert.py's names, tokenized by Hugging Face's own WordPiece (tests/fixtures/make_hf_bert_fixture.py; the
/// files are committed). SeqLab's tokenization, logits and hidden states match to 1e-5.
/// </summary>
[Collection("cli")]
public class HuggingFaceBertSpec
{
    static string Fixture(string name = "") => Path.Combine(AppContext.BaseDirectory, "fixtures", "hf-bert", name);

    static readonly Lazy<(TempDir Dir, LoadedModel Model)> Imported = new(() =>
    {
        var dir = new TempDir();
        var r = CliRunner.Run("import", "--format", "hf-bert", Fixture(), "--out", dir.Sub("bert"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        return (dir, Checkpoint.Load(dir.Sub("bert")));
    });

    static LoadedModel Bert => Imported.Value.Model;

    static JsonArray Cases() =>
        JsonNode.Parse(File.ReadAllText(Fixture("wordpiece_cases.json")))!["uncased"]!["cases"]!.AsArray();

    static Dictionary<string, Tensor> Outputs() =>
        SafeTensors.Read(File.ReadAllBytes(Fixture("outputs.safetensors")), "outputs");

    /// <summary>SeqLab's ids for a text, framed as BERT reads it: [CLS] … [SEP] (&lt;bos&gt; …
    /// &lt;eos&gt;).</summary>
    static long[] Framed(string text) =>
        [Vocabulary.BosId, .. Bert.Vocabulary.Encode(Bert.Tokenizer.Tokenize(text)), Vocabulary.EosId];

    /// <summary>For each SeqLab id, the Hugging Face id of the same token.</summary>
    static long[] FileIds()
    {
        var wp = (WordPieceTokenizer)Bert.Tokenizer;
        var byName = wp.Tokens.Select((t, i) => (Name: wp.SeqLabName(t), i)).ToDictionary(p => p.Name, p => (long)p.i);
        return [.. Bert.Vocabulary.Tokens.Select(t => byName[t])];
    }

    [Fact]
    public void TheImportedModelReadsTheSameTokensAsHuggingFace()
    {
        var cases = Cases();
        var order = FileIds();
        for (int n = 0; n < 3; n++)
        {
            var ours = Framed((string)cases[n]!["text"]!).Select(id => order[id]).ToArray();
            Assert.Equal(cases[n]!["ids"]!.AsArray().Select(i => (long)i!).ToArray(), ours);
        }
    }

    [Fact]
    public void LogitsMatchPyTorchTo1e5()
    {
        var outputs = Outputs();
        var cases = Cases();
        var order = tensor(FileIds());
        using var _ = no_grad();
        for (int n = 0; n < 3; n++)
        {
            var ids = Framed((string)cases[n]!["text"]!);
            var logits = Bert.Model.call(tensor(ids, [1, ids.Length]), null); // (1, T, V), SeqLab's numbering
            var expected = outputs[$"logits_{n}"].index_select(-1, order);
            double diff = (logits - expected).abs().max().item<float>();
            Assert.True(diff <= 1e-5, $"sentence {n}: logits differ by {diff}");
        }
    }

    [Fact]
    public void ContextualVectorsAreBertsLastHiddenStates()
    {
        var outputs = Outputs();
        var text = (string)Cases()[1]!["text"]!;
        var vectors = ContextualVectors.For(Bert, text);
        var hidden = outputs["hidden_1"][0]; // (T, d) with [CLS] and [SEP]
        Assert.Equal(hidden.shape[0] - 2, vectors.Count);
        for (int i = 0; i < vectors.Count; i++)
        {
            double diff = (tensor(vectors[i].Vector) - hidden[i + 1]).abs().max().item<float>();
            Assert.True(diff <= 1e-5, $"token {i}: differs by {diff}");
        }
    }

    [Fact]
    public void PredictFillsTheBlankWithBertsLikeliestWholeWord()
    {
        // "Fui al [MASK] a pedir un préstamo": the blank is token 3 of Hugging Face's encoding.
        var logits = Outputs()["logits_2"][0, 3];
        var wp = (WordPieceTokenizer)Bert.Tokenizer;
        var best = Enumerable
            .Range(0, wp.Tokens.Count)
            .Where(i =>
                !wp.Tokens[i].StartsWith('[') && wp.StartsWord(wp.Tokens[i]) && wp.Tokens[i].Any(char.IsLetterOrDigit)
            )
            .MaxBy(i => logits[i].item<float>());
        var r = CliRunner.Run(
            "predict",
            "--model",
            Imported.Value.Dir.Sub("bert"),
            "--text",
            "Fui al [???] a pedir un préstamo",
            "--json"
        );
        Assert.True(r.ExitCode == 0, r.Stderr);
        var top = JsonNode.Parse(r.Stdout)!["candidates"]![0]!;
        Assert.Equal(wp.Tokens[best], (string?)top["token"]);
    }

    [Fact]
    public void AClassifierFineTunesFromTheImportedBert()
    {
        using var dir = new TempDir();
        var data = dir.File(
            "topics.tsv",
            string.Concat(
                Enumerable
                    .Range(0, 40)
                    .Select(i =>
                        i % 2 == 0 ? $"parque\tMe senté en el banco del parque {i}\n" : $"dinero\tFui al banco {i}\n"
                    )
            )
        );
        var r = CliRunner.Run(
            "train",
            "--task",
            "classify",
            "--model",
            "transformer",
            "--init-from",
            Imported.Value.Dir.Sub("bert"),
            "--data",
            data,
            "--steps",
            "3",
            "--out",
            dir.Sub("cls")
        );
        Assert.True(r.ExitCode == 0, r.Stderr);
        var loaded = Checkpoint.Load(dir.Sub("cls"));
        Assert.Equal(
            ("gelu", 1e-12, true),
            (loaded.Config.Activation.Name(), loaded.Config.LayerNormEps, loaded.Config.ClsSepFraming)
        );
        Assert.IsType<WordPieceTokenizer>(loaded.Tokenizer);
    }

    [Fact]
    public void EvalReadsEachLineAsBertWas()
    {
        var lines = new[] { new TextSource.Line("t.txt", 1, "Fui al banco"), new TextSource.Line("t.txt", 2, "hola") };
        var stream = LanguageModelData.TokenStream(lines, Bert.Tokenizer, clsSep: true).ToArray();
        Assert.Equal(
            [Vocabulary.Bos, "fui", "al", "banco", Vocabulary.Eos, Vocabulary.Bos, "hola", Vocabulary.Eos],
            stream
        );
    }

    [Fact]
    public void AttentionMapsShowTheFrameBertReads()
    {
        var plain = AttentionMaps.For(Bert, "Me senté en el banco");
        Assert.Equal([Vocabulary.Bos, "me", "sent", "##e", "en", "el", "banco", Vocabulary.Eos], plain.Tokens);
        var blank = AttentionMaps.For(Bert, "Me senté en el [???] del parque");
        Assert.Equal(Vocabulary.Mask, blank.Tokens[blank.Focus]);
        Assert.Equal(Vocabulary.Eos, blank.Tokens[^1]);
    }

    /// <summary>A copy of the fixture folder with one change, imported; the CLI's exit code and stderr.</summary>
    static CliRunner.Result ImportChanged(Action<string> change)
    {
        using var dir = new TempDir();
        var bert = dir.Sub("bert");
        Directory.CreateDirectory(bert);
        foreach (var f in Directory.GetFiles(Fixture()))
            File.Copy(f, Path.Combine(bert, Path.GetFileName(f)));
        change(bert);
        var r = CliRunner.Run("import", "--format", "hf-bert", bert, "--out", dir.Sub("out"));
        Assert.False(Directory.Exists(dir.Sub("out")) && Directory.EnumerateFileSystemEntries(dir.Sub("out")).Any());
        return r;
    }

    static void EditConfig(string bert, string key, JsonNode? value)
    {
        var path = Path.Combine(bert, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        config[key] = value;
        File.WriteAllText(path, config.ToJsonString());
    }

    [Theory]
    [InlineData("vocab.txt", "vocab.txt")]
    [InlineData("config.json", "config.json")]
    [InlineData("model.safetensors", "model.safetensors")]
    public void AFolderMissingAFileIsRefusedByName(string file, string named)
    {
        var r = ImportChanged(bert => File.Delete(Path.Combine(bert, file)));
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.Contains(named, r.Stderr);
    }

    [Fact]
    public void PickleWeightsAreRefusedWithTheConversionToDo()
    {
        var r = ImportChanged(bert =>
            File.Move(Path.Combine(bert, "model.safetensors"), Path.Combine(bert, "pytorch_model.bin"))
        );
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("safe_serialization=True", r.Stderr);
    }

    [Theory]
    [InlineData("model_type", "gpt2", "model_type")]
    [InlineData("hidden_act", "gelu_new", "hidden_act 'gelu_new'")]
    [InlineData("position_embedding_type", "relative_key", "relative_key")]
    public void WhatSeqLabCannotRunIsRefusedByName(string key, string value, string named)
    {
        var r = ImportChanged(bert => EditConfig(bert, key, value));
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.Contains(named, r.Stderr);
    }

    [Fact]
    public void AConfigThatDoesNotMatchTheWeightsIsRefused()
    {
        var r = ImportChanged(bert => EditConfig(bert, "intermediate_size", 64));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("linear1.weight", r.Stderr);
        var layers = ImportChanged(bert => EditConfig(bert, "num_hidden_layers", 1));
        Assert.Equal(2, layers.ExitCode);
        Assert.Contains("num_hidden_layers", layers.Stderr);
        var vocab = ImportChanged(bert => File.AppendAllText(Path.Combine(bert, "vocab.txt"), "extra\n"));
        Assert.Equal(2, vocab.ExitCode);
        Assert.Contains("vocab_size", vocab.Stderr);
    }

    [Fact]
    public void WeightsWithoutTheMaskedLanguageModelHeadAreRefused()
    {
        var r = ImportChanged(bert =>
        {
            var path = Path.Combine(bert, "model.safetensors");
            var tensors = SafeTensors.Read(File.ReadAllBytes(path), path);
            using var s = File.Create(path + ".new");
            SafeTensors.Write(s, tensors.Where(kv => !kv.Key.StartsWith("cls.")).Select(kv => (kv.Key, kv.Value)));
            s.Close();
            File.Move(path + ".new", path, overwrite: true);
        });
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("BertForMaskedLM", r.Stderr);
    }
}
