using System.Text.Json;
using System.Text.Json.Nodes;
using SeqLab.Data;
using SeqLab.IO;
using SeqLab.Models;
using SeqLab.Text;
using SeqLab.Transformer;

namespace SeqLab.Training;

/// <summary>
/// A Hugging Face BERT folder (BertForMaskedLM: config.json, model.safetensors, vocab.txt; tokenizer_config.json and
/// special_tokens_map.json if present) as a SeqLab masked language model. BERT is SeqLab's Transformer encoder with
/// BERT's settings: post-LN, GELU, LayerNorm ε 1e-12, unscaled embeddings normalised with their learned positions,
/// the MLM head's transform, and inputs framed as [CLS] … [SEP]. The mapping:
/// <list type="bullet">
/// <item>query, key and value (three Linear layers) become one in_proj, as torch.nn.MultiheadAttention holds
/// them;</item>
/// <item>the token-type embedding of type 0 (every single-sentence input) is added to the position
/// embeddings;</item>
/// <item>the vocabulary is renumbered so that [PAD], [UNK], [CLS] and [SEP] take SeqLab's ids 0–3 (&lt;pad&gt;,
/// &lt;unk&gt;, &lt;bos&gt;, &lt;eos&gt;) and [MASK] is &lt;mask&gt;: the embedding rows and output biases
/// move with their tokens.</item>
/// </list>
/// Nothing is downloaded; the folder must be on disk.
/// </summary>
public static class HuggingFaceBert
{
    public const string Format = "hf-bert";

    /// <summary>Creates the checkpoint <paramref name="outDir"/> from the BERT folder <paramref name="dir"/>; returns
    /// it loaded, with how many of the folder's tensors were left out (a pooler, a next-sentence head).</summary>
    public static (LoadedModel Model, IReadOnlyList<string> Ignored) Import(string dir, string outDir)
    {
        if (!Directory.Exists(dir))
            throw new SeqLabInputException($"{dir} is not a folder; give the folder of a Hugging Face BERT model.");
        string configPath = Path.Combine(dir, "config.json"),
            vocabPath = Path.Combine(dir, "vocab.txt"),
            weightsPath = Path.Combine(dir, "model.safetensors");
        foreach (var (path, what) in new[] { (configPath, "its BertConfig"), (vocabPath, "the WordPiece vocabulary") })
            if (!File.Exists(path))
                throw new SeqLabInputException(
                    $"{dir} has no {Path.GetFileName(path)} ({what}); copy the whole " + "model folder."
                );
        if (!File.Exists(weightsPath))
            throw new SeqLabInputException(
                File.Exists(Path.Combine(dir, "pytorch_model.bin"))
                    ? $"{dir} has pytorch_model.bin but no model.safetensors; SeqLab reads safetensors only (no "
                        + "pickle)."
                        + " Convert it once in Python: model.save_pretrained(dir, safe_serialization=True)."
                    : $"{dir} has no model.safetensors; copy the whole model folder."
            );
        Checkpoint.EnsureNew(outDir);

        var hf = ReadObject(configPath);
        var config = Config(hf, configPath);
        var tokenizer = Tokenizer(dir, vocabPath);
        if (tokenizer.Tokens.Count != config.VocabSize)
            throw new SeqLabInputException(
                $"{vocabPath} lists {tokenizer.Tokens.Count} tokens but {configPath} says vocab_size "
                    + $"{config.VocabSize}; they must come from the same model."
            );
        var (vocabulary, order) = Renumber(tokenizer, vocabPath);
        config.Lowercase = tokenizer.Lowercase;

        var ignored = new List<string>();
        var tensors = Weights(weightsPath, config, order, ignored);
        var loaded = Interop.Create(
            config,
            new TrainingOptions(),
            vocabulary,
            tokenizer,
            m => Checkpoint.LoadState(m, tensors, weightsPath),
            outDir
        );
        return (loaded, ignored);
    }

    static JsonObject ReadObject(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new SeqLabInputException($"{path} is not a JSON object; restore the file.");
        }
        catch (JsonException e)
        {
            throw new SeqLabInputException($"{path} is not valid JSON ({e.Message.Split(". Path")[0]}); restore it.");
        }
    }

    /// <summary>SeqLab's config for BertConfig's keys; what SeqLab cannot run is refused by name.</summary>
    static ModelConfig Config(JsonObject hf, string path)
    {
        string? Text(string key) => hf[key]?.GetValueKind() == JsonValueKind.String ? (string?)hf[key] : null;
        int Int(string key, int? fallback = null)
        {
            var node = hf[key];
            if (node?.GetValueKind() == JsonValueKind.Number && node.GetValue<double>() is var v && v == Math.Floor(v))
                return (int)v;
            return fallback ?? throw new SeqLabInputException($"{path}: \"{key}\" is missing or not a whole number.");
        }
        if (Text("model_type") is { } type && type != "bert")
            throw new SeqLabInputException(
                $"{path}: model_type is '{type}'; --format hf-bert reads BERT models (model_type \"bert\")."
            );
        if (hf["is_decoder"]?.GetValueKind() == JsonValueKind.True)
            throw new SeqLabInputException($"{path}: is_decoder is true; SeqLab imports BERT as a two-sided encoder.");
        if (Text("position_embedding_type") is { } positions && positions != "absolute")
            throw new SeqLabInputException(
                $"{path}: position_embedding_type is '{positions}'; SeqLab runs \"absolute\" positions only."
            );
        var activation = Text("hidden_act") switch
        {
            null or "gelu" => Activation.Gelu,
            "relu" => Activation.Relu,
            var other => throw new SeqLabInputException(
                $"{path}: hidden_act '{other}' is not one SeqLab runs; it runs \"gelu\" (exact, erf) and \"relu\"."
            ),
        };
        if (Int("type_vocab_size", 2) < 1)
            throw new SeqLabInputException($"{path}: type_vocab_size must be at least 1.");
        double eps =
            hf["layer_norm_eps"]?.GetValueKind() == JsonValueKind.Number
                ? hf["layer_norm_eps"]!.GetValue<double>()
                : 1e-12;
        double dropout =
            hf["hidden_dropout_prob"]?.GetValueKind() == JsonValueKind.Number
                ? hf["hidden_dropout_prob"]!.GetValue<double>()
                : 0.1;
        int hidden = Int("hidden_size");
        var config = new ModelConfig
        {
            Family = ModelFamily.Transformer,
            Task = TaskKind.Mlm,
            Tokenizer = TokenizerKind.WordPiece,
            MinCount = 1,
            VocabSize = Int("vocab_size"),
            MaxVocab = Math.Max(5, Int("vocab_size")),
            EmbedDim = hidden,
            HiddenSize = hidden,
            NumLayers = Int("num_hidden_layers"),
            Heads = Int("num_attention_heads"),
            FfDim = Int("intermediate_size"),
            MaxLength = Int("max_position_embeddings"),
            Dropout = dropout,
            LearnedPositions = true,
            NormFirst = false,
            Activation = activation,
            LayerNormEps = eps,
            ScaleEmbeddings = false,
            EmbeddingNorm = true,
            HeadTransform = true,
            ClsSepFraming = true,
            TieWeights = hf["tie_word_embeddings"]?.GetValueKind() != JsonValueKind.False,
        };
        try
        {
            config.Validate();
        }
        catch (SeqLabInputException e)
        {
            throw new SeqLabInputException($"{path}: {e.Message}");
        }
        return config;
    }

    /// <summary>The WordPiece tokenizer of vocab.txt, with tokenizer_config.json's casing and the special tokens'
    /// names (special_tokens_map.json, else tokenizer_config.json, else BERT's [UNK] [CLS] [SEP] [PAD]
    /// [MASK]).</summary>
    static WordPieceTokenizer Tokenizer(string dir, string vocabPath)
    {
        // vocab.txt: line i is token i (Hugging Face strips only the line break).
        var tokens = File.ReadAllText(vocabPath).Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (tokens.Count > 0 && tokens[^1].Length == 0)
            tokens.RemoveAt(tokens.Count - 1);
        if (tokens.GroupBy(t => t, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new SeqLabInputException($"{vocabPath}: '{twice.Key}' is listed twice; each token needs one id.");
        var settings = File.Exists(Path.Combine(dir, "tokenizer_config.json"))
            ? ReadObject(Path.Combine(dir, "tokenizer_config.json"))
            : new JsonObject();
        var map = File.Exists(Path.Combine(dir, "special_tokens_map.json"))
            ? ReadObject(Path.Combine(dir, "special_tokens_map.json"))
            : new JsonObject();
        string Name(string key, string fallback)
        {
            foreach (var source in new[] { map, settings })
                switch (source[key])
                {
                    case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                        return (string)v!;
                    case JsonObject o when o["content"]?.GetValueKind() == JsonValueKind.String:
                        return (string)o["content"]!;
                }
            return fallback;
        }
        var bert = WordPieceTokenizer.SpecialNames.Bert;
        var names = new WordPieceTokenizer.SpecialNames(
            Name("unk_token", bert.Unk),
            Name("cls_token", bert.Cls),
            Name("sep_token", bert.Sep),
            Name("pad_token", bert.Pad),
            Name("mask_token", bert.Mask)
        );
        bool? Flag(string key) =>
            settings[key]?.GetValueKind() switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => null,
            };
        foreach (var clash in tokens.Intersect([.. Vocabulary.Specials, Vocabulary.Mask]))
            throw new SeqLabInputException(
                $"{vocabPath} has '{clash}' as an ordinary token, which is one of SeqLab's special names; SeqLab "
                    + "cannot import this vocabulary."
            );
        return new WordPieceTokenizer(
            tokens,
            names,
            Flag("do_lower_case") ?? true,
            Flag("strip_accents"),
            Flag("tokenize_chinese_chars") ?? true
        );
    }

    /// <summary>SeqLab's vocabulary (the four special roles first, then the file's tokens in their order, [MASK] as
    /// &lt;mask&gt;), and for each SeqLab id the file's id it came from.</summary>
    static (Vocabulary Vocabulary, long[] Order) Renumber(WordPieceTokenizer tokenizer, string vocabPath)
    {
        var file = tokenizer.Tokens;
        var names = tokenizer.Names;
        var ids = file.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i, StringComparer.Ordinal);
        int Id(string t) => ids[t];
        var front = new[] { names.Pad, names.Unk, names.Cls, names.Sep };
        if (front.Distinct().Count() < front.Length || front.Contains(names.Mask))
            throw new SeqLabInputException(
                $"{vocabPath}: the special tokens {string.Join(", ", front.Append(names.Mask))} must be five "
                    + "different tokens."
            );
        var order = front
            .Select(Id)
            .Concat(Enumerable.Range(0, file.Count).Where(i => !front.Contains(file[i])))
            .Select(i => (long)i)
            .ToArray();
        var rest = order.Skip(front.Length).Select(i => tokenizer.SeqLabName(file[(int)i]));
        return (Vocabulary.FromTokens(rest, []), order);
    }

    /// <summary>
    /// The checkpoint's tensors under SeqLab's names, from Hugging Face's ("bert." and "cls." prefixes; old
    /// checkpoints' LayerNorm gamma/beta read as weight/bias). Tensors SeqLab has no use for are listed in
    /// <paramref name="ignored"/>.
    /// </summary>
    static Dictionary<string, Tensor> Weights(string path, ModelConfig c, long[] order, List<string> ignored)
    {
        var raw = SafeTensors.Read(File.ReadAllBytes(path), path);
        var hf = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, t) in raw)
        {
            var key = name.StartsWith("bert.", StringComparison.Ordinal) ? name[5..] : name;
            key = key.Replace("LayerNorm.gamma", "LayerNorm.weight").Replace("LayerNorm.beta", "LayerNorm.bias");
            hf[key] = t.to(ScalarType.Float32);
        }
        var used = new HashSet<string>(StringComparer.Ordinal);
        Tensor Take(string key)
        {
            if (!hf.TryGetValue(key, out var t))
                throw new SeqLabInputException(
                    key.StartsWith("cls.", StringComparison.Ordinal)
                        ? $"{path} has no {key}: it is a BERT without the masked-LM head (BertModel); SeqLab needs "
                            + "BertForMaskedLM (or BertForPreTraining) weights."
                        : $"{path} has no tensor {key}, which config.json's sizes ask for; the weights and the config "
                            + "are from different models."
                );
            used.Add(key);
            return t;
        }
        var rows = tensor(order);
        var s = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        void Linear(string to, string from)
        {
            s[$"{to}.weight"] = Take($"{from}.weight");
            s[$"{to}.bias"] = Take($"{from}.bias");
        }

        // A tied checkpoint keeps the word embeddings; one saved the other way round keeps only the decoder's copy.
        var words =
            !hf.ContainsKey("embeddings.word_embeddings.weight") && c.TieWeights
                ? Take("cls.predictions.decoder.weight")
                : Take("embeddings.word_embeddings.weight");
        if (words.shape[0] != order.Length)
            throw new SeqLabInputException(
                $"{path}: word_embeddings has {words.shape[0]} rows but the vocabulary has {order.Length} tokens."
            );
        var embedding = words.index_select(0, rows);
        s.Add("embedding.weight", embedding);
        // Every single-sentence input is token type 0: its embedding is a constant added to each position.
        s.Add(
            "encoder.positions.learned.weight",
            Take("embeddings.position_embeddings.weight") + Take("embeddings.token_type_embeddings.weight")[0]
        );
        Linear("encoder.embedding_norm", "embeddings.LayerNorm");
        for (int i = 0; i < c.NumLayers; i++)
        {
            string from = $"encoder.layer.{i}",
                to = $"encoder.layers.{i}";
            s[$"{to}.self_attn.in_proj_weight"] = cat([
                .. new[] { "query", "key", "value" }.Select(p => Take($"{from}.attention.self.{p}.weight")),
            ]);
            s[$"{to}.self_attn.in_proj_bias"] = cat([
                .. new[] { "query", "key", "value" }.Select(p => Take($"{from}.attention.self.{p}.bias")),
            ]);
            Linear($"{to}.self_attn.out_proj", $"{from}.attention.output.dense");
            Linear($"{to}.norm1", $"{from}.attention.output.LayerNorm");
            Linear($"{to}.linear1", $"{from}.intermediate.dense");
            Linear($"{to}.linear2", $"{from}.output.dense");
            Linear($"{to}.norm2", $"{from}.output.LayerNorm");
        }
        if (hf.ContainsKey($"encoder.layer.{c.NumLayers}.attention.self.query.weight"))
            throw new SeqLabInputException(
                $"{path} has more than the {c.NumLayers} layers config.json's num_hidden_layers says; the weights and "
                    + "the config are from different models."
            );
        Linear("transform", "cls.predictions.transform.dense");
        Linear("transform_norm", "cls.predictions.transform.LayerNorm");
        var bias = hf.ContainsKey("cls.predictions.bias")
            ? Take("cls.predictions.bias")
            : Take("cls.predictions.decoder.bias");
        s.Add("decoder.bias", bias.index_select(0, rows));
        if (c.TieWeights)
            s.Add("decoder.weight", embedding);
        else
            s.Add("decoder.weight", Take("cls.predictions.decoder.weight").index_select(0, rows));
        foreach (var name in hf.Keys.Where(k => !used.Contains(k)))
            if (!name.StartsWith("cls.predictions.decoder.", StringComparison.Ordinal)) // the tied copies
                ignored.Add(name);
        return s;
    }
}
