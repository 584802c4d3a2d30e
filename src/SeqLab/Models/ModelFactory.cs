namespace SeqLab.Models;

/// <summary>Builds the model a config describes.</summary>
public static class ModelFactory
{
    public static SequenceModel Create(ModelConfig config)
    {
        config.Validate();
        if (config.VocabSize < 5) throw new SeqLabInputException($"the vocabulary has {config.VocabSize} entries; the training text is too small.");
        return config.Task switch
        {
            "classify" => new SequenceClassifier(config),
            "seq2seq" => new Seq2SeqModel(config),
            _ => new LanguageModel(config),
        };
    }
}
