namespace SeqLab.Tests;

/// <summary>Small generated corpora with known structure.</summary>
public static class Corpora
{
    /// <summary>A highly repetitive Spanish text: a handful of sentences in random order.</summary>
    public static string Repetitive(int lines = 400, int seed = 1)
    {
        string[] sentences =
        [
            "me senté en el banco del parque .",
            "fui al banco a sacar dinero .",
            "el perro come su comida en la cocina .",
            "la niña lee un libro en el jardín .",
            "crecí en un pueblo de los alpes suizos .",
            "todavía puedo hablar fluidamente alemán .",
        ];
        var rng = new Random(seed);
        return string.Join("\n", Enumerable.Range(0, lines).Select(_ => sentences[rng.Next(sentences.Length)])) + "\n";
    }

    /// <summary>
    /// Classification TSV whose label is fixed by one word near the end of the text; the other words
    /// are random filler shared by all labels.
    /// </summary>
    public static string KeywordNearEnd(int examples, int seed)
    {
        string[] filler =
        [
            "casa",
            "perro",
            "árbol",
            "cielo",
            "libro",
            "mesa",
            "camino",
            "río",
            "nube",
            "piedra",
            "campo",
            "puerta",
        ];
        (string Label, string Word)[] classes = [("norte", "frío"), ("sur", "calor"), ("este", "sol")];
        var rng = new Random(seed);
        var lines = new List<string>();
        for (int i = 0; i < examples; i++)
        {
            var c = classes[rng.Next(classes.Length)];
            var words = Enumerable.Range(0, rng.Next(6, 12)).Select(_ => filler[rng.Next(filler.Length)]).ToList();
            words.Add(c.Word);
            words.Add(filler[rng.Next(filler.Length)]);
            lines.Add($"{c.Label}\t{string.Join(' ', words)}");
        }
        return string.Join("\n", lines) + "\n";
    }
}
