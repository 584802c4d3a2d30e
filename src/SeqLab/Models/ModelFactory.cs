using SeqLab.Data;

namespace SeqLab.Models;

/// <summary>Builds the model a config describes.</summary>
public static class ModelFactory
{
    public static SequenceModel Create(ModelConfig config)
    {
        config.Validate();
        if (config.VocabSize < 5)
            throw new SeqLabInputException(
                $"the vocabulary has {config.VocabSize} entries; the training text is too small."
            );
        config.CheckMemory();
        lock (Native.GlobalGenerator.Gate) // building draws the initial weights
            return config.Task switch
            {
                TaskKind.Classify => new SequenceClassifier(config),
                TaskKind.Seq2Seq => new Seq2SeqModel(config),
                _ => new LanguageModel(config),
            };
    }
}
