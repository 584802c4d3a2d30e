using SeqLab.Models;
using SeqLab.Text;

namespace SeqLab.Training;

/// <summary>A trained model ready to use, with its text pipeline.</summary>
public sealed record LoadedModel(
    string Directory,
    ModelConfig Config,
    TrainingOptions Training,
    Vocabulary Vocabulary,
    ITokenizer Tokenizer,
    SequenceModel Model,
    Manifest Manifest
);
