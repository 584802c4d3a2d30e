namespace SeqLab.Inference;

/// <summary>A model that writes text: a language model continues a prompt, a seq2seq model transforms a
/// source.</summary>
public interface IGenerator
{
    string Generate(string prompt, GenerationOptions options);
}
