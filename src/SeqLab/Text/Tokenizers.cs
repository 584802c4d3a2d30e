namespace SeqLab.Text;

public static class Tokenizers
{
    public static readonly string[] Names = ["word", "char"];

    public static ITokenizer Create(string name, bool lowercase) => name switch
    {
        "word" => new WordTokenizer(lowercase),
        "char" => new CharTokenizer(lowercase),
        _ => throw new SeqLabInputException($"unknown tokenizer '{name}'; use one of: {string.Join(", ", Names)}."),
    };
}
