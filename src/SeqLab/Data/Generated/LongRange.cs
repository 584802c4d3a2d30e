using SeqLab.IO;
using SeqLab.Text;

namespace SeqLab.Data.Generated;

/// <summary>
/// The lecture's example, generalised: "Crecí en un pequeño pueblo en los Alpes suizos … [filler] …
/// todavía puedo hablar fluidamente [???]". An early cue (a region; several per language, so the cue
/// word itself varies) fixes the late answer (the language); between them, filler drawn from a varied
/// generator, independent of the answer. Only the cue tells the answer: a bag-of-words model that
/// never sees the cue sentence stays at chance (the lab checks it). Switzerland speaks three of the six
/// languages, so "los Alpes suizos" is a cue of alemán, francés and italiano alike (its examples are labelled
/// with any of the three, uniformly): any of them is right there, and only "suizos", not "Alpes" (the
/// bávaros, franceses, italianos and japoneses have Alps too), tells the place.
/// </summary>
public static class LongRange
{
    public static readonly (string Language, string[] Cues)[] Languages =
    [
        (
            "alemán",
            [
                SwissAlps,
                "en Baviera",
                "en la Selva Negra",
                "en los Alpes bávaros",
                "en Sajonia",
                "cerca de Múnich",
                "en el Tirol",
            ]
        ),
        (
            "francés",
            [
                "en la Provenza",
                "en Normandía",
                "en los Alpes franceses",
                "en Bretaña",
                "cerca de Lyon",
                "en la Borgoña",
                SwissAlps,
            ]
        ),
        (
            "italiano",
            [
                "en la Toscana",
                "en Sicilia",
                "en los Alpes italianos",
                "en Cerdeña",
                "cerca de Florencia",
                "en la Umbría",
                SwissAlps,
            ]
        ),
        (
            "portugués",
            ["en el Algarve", "cerca de Oporto", "en las Azores", "en el Alentejo", "cerca de Lisboa", "en Madeira"]
        ),
        ("griego", ["en Creta", "en el Peloponeso", "cerca de Atenas", "en las Cícladas", "en Tesalia", "en Rodas"]),
        (
            "japonés",
            ["en Hokkaido", "cerca de Kioto", "en Okinawa", "en los Alpes japoneses", "cerca de Osaka", "en Kyushu"]
        ),
    ];

    /// <summary>The lecture's cue place, shared by the three languages of Switzerland.</summary>
    public const string SwissAlps = "en los Alpes suizos";

    /// <summary>The languages a cue place tells: one, or Switzerland's three.</summary>
    public static IReadOnlyList<string> LanguagesOf(string place) =>
        [.. Languages.Where(l => l.Cues.Contains(place)).Select(l => l.Language)];

    /// <summary>
    /// The accuracy of the best answer given without reading the text: the most often right constant language
    /// (one of Switzerland's, which is right for its own cues and for the Swiss cues of the other two).
    /// </summary>
    public static double Chance =>
        Languages.Max(answer =>
            Languages.Sum(l => l.Cues.Count(c => LanguagesOf(c).Contains(answer.Language)) / (double)l.Cues.Length)
            / Languages.Length
        );

    /// <summary>The lecture's own sentence, with its blank.</summary>
    public const string LectureSentence =
        "Crecí en un pequeño pueblo en los Alpes suizos, rodeado de montañas y lagos. Disfruté de la naturaleza y "
        + "aprendí mucho de mis abuelos, quienes me enseñaron sobre la flora y fauna local. Después de muchos años "
        + "viajando por el mundo y viviendo en diferentes países, todavía puedo hablar fluidamente [???].";

    static readonly string[] CueTemplates =
    [
        "Crecí en un pequeño pueblo {0}.",
        "Nací {0} y allí pasé mi infancia.",
        "De niño vivía en una aldea {0}.",
        "Mis primeros años transcurrieron {0}.",
    ];
    static readonly string[] Subjects =
    [
        "Mi abuelo",
        "Mi abuela",
        "Mi hermano mayor",
        "Mi madre",
        "El vecino de enfrente",
        "La maestra del pueblo",
        "Mi mejor amigo",
        "Un viejo pescador",
        "La panadera",
        "Mi tío",
        "El cartero",
        "Una vecina anciana",
    ];
    static readonly string[] Actions =
    [
        "me enseñó a pescar en el río",
        "cuidaba un huerto enorme",
        "contaba historias por la noche",
        "reparaba bicicletas viejas",
        "cocinaba sopa de verduras",
        "tocaba la guitarra en la plaza",
        "leía novelas de aventuras",
        "pintaba paisajes de montaña",
        "criaba gallinas y cabras",
        "vendía pan en el mercado",
        "recogía setas en el bosque",
        "construía barcos de madera",
        "me regaló un perro pequeño",
        "arreglaba los tejados de las casas",
    ];
    static readonly string[] When =
    [
        "",
        " cada verano",
        " durante el invierno",
        " con mucha paciencia",
        " cuando yo era pequeño",
        " todas las tardes",
        " sin descanso",
        " junto al lago",
        " los domingos",
        " después de la escuela",
    ];
    static readonly string[] Scenes =
    [
        "El pueblo estaba rodeado de montañas y lagos.",
        "Disfruté mucho de la naturaleza.",
        "Aprendí mucho sobre la flora y la fauna local.",
        "En invierno la nieve cubría todos los caminos.",
        "Los veranos eran largos y tranquilos.",
        "Íbamos al colegio caminando por el bosque.",
        "Por las noches se veían miles de estrellas.",
        "La casa de mis padres tenía un jardín con manzanos.",
        "Había una fiesta enorme al final de cada cosecha.",
        "Más tarde estudié en una universidad lejana.",
        "Trabajé muchos años como ingeniero y como profesor.",
        "Viví en diferentes ciudades y conocí a mucha gente.",
        "Viajé por el mundo durante mucho tiempo.",
        "Aprendí a cocinar, a nadar y a tocar el piano.",
    ];
    static readonly string[] Finals =
    [
        "Después de muchos años, todavía puedo hablar fluidamente",
        "Hoy, tantos años después, aún puedo hablar fluidamente",
        "A pesar del tiempo, todavía puedo hablar fluidamente",
        "Después de viajar tanto, sigo hablando fluidamente",
    ];

    public sealed record Example(string Language, string Place, string Cue, string Filler, string Final, int Distance)
    {
        /// <summary>Every answer that is right: the languages of the cue's place (the label is one of them).</summary>
        public IReadOnlyList<string> Answers => LanguagesOf(Place);

        /// <summary>The whole text up to the blank (what a classifier reads).</summary>
        public string Text => $"{Cue} {Filler} {Final}".Replace("  ", " ");

        /// <summary>The text without its cue sentence (what the no-shortcut baseline reads).</summary>
        public string TextWithoutCue => $"{Filler} {Final}".Trim();

        /// <summary>The text with its answer (one line of a language-model corpus).</summary>
        public string Completed => $"{Text} {Language}.";
    }

    /// <summary>
    /// Examples whose filler is at least <paramref name="distance"/> tokens (whole sentences, so a few
    /// more); the label is uniform over the languages.
    /// </summary>
    public static List<Example> Generate(int examples, int distance, int seed) =>
        Generate(examples, distance, distance, seed);

    /// <summary>
    /// Examples whose distances are drawn uniformly from <paramref name="minDistance"/>…<paramref name="maxDistance"/>
    /// tokens (each rounded up to whole sentences): one model learns every distance, evaluated per bucket.
    /// </summary>
    public static List<Example> Generate(int examples, int minDistance, int maxDistance, int seed) =>
        [.. Stream(examples, minDistance, maxDistance, seed)];

    /// <summary>The same examples as <see cref="Generate(int, int, int, int)"/>, made one at a time.</summary>
    public static IEnumerable<Example> Stream(int examples, int minDistance, int maxDistance, int seed)
    {
        if (examples < 1)
            throw new SeqLabInputException($"--examples must be at least 1 (got {examples}).");
        if (minDistance < 0)
            throw new SeqLabInputException($"--distance must be at least 0 (got {minDistance}).");
        if (maxDistance < minDistance)
            throw new SeqLabInputException(
                $"--max-distance ({maxDistance}) must be at least --distance ({minDistance})."
            );
        return Examples(examples, minDistance, maxDistance, seed);
    }

    static IEnumerable<Example> Examples(int examples, int minDistance, int maxDistance, int seed)
    {
        var rng = new Random(seed);
        var tokenizer = new WordTokenizer();
        for (int i = 0; i < examples; i++)
        {
            var (language, cues) = Languages[rng.Next(Languages.Length)];
            var place = cues[rng.Next(cues.Length)];
            var cue = string.Format(CueTemplates[rng.Next(CueTemplates.Length)], place);
            var final = Finals[rng.Next(Finals.Length)];
            int distance = minDistance == maxDistance ? minDistance : rng.Next(minDistance, maxDistance + 1);
            var filler = new List<string>();
            int tokens = tokenizer.Tokenize(final).Count;
            while (tokens < distance)
            {
                var sentence =
                    rng.Next(3) == 0
                        ? Scenes[rng.Next(Scenes.Length)]
                        : $"{Subjects[rng.Next(Subjects.Length)]} "
                            + $"{Actions[rng.Next(Actions.Length)]}{When[rng.Next(When.Length)]}.";
                filler.Add(sentence);
                tokens += tokenizer.Tokenize(sentence).Count;
            }
            yield return new Example(language, place, cue, string.Join(' ', filler), final, tokens);
        }
    }

    /// <summary>
    /// Writes examples as they are made, in a task's format: TSV language&lt;TAB&gt;text up to the blank for a
    /// classifier, or each completed text on its own line for a language model. Returns how many were written and
    /// their mean cue-to-blank distance.
    /// </summary>
    public static (long Count, double MeanDistance) Write(string path, IEnumerable<Example> examples, TaskKind format)
    {
        if (format == TaskKind.Seq2Seq)
            throw new SeqLabInputException("the long-range task has no seq2seq layout; use classify or lm.");
        double distances = 0;
        long count = AtomicFile.WriteLines(
            path,
            examples.Select(e =>
            {
                distances += e.Distance;
                return format == TaskKind.Lm ? e.Completed : $"{e.Language}\t{e.Text}";
            })
        );
        return (count, count == 0 ? 0 : distances / count);
    }

    /// <summary>About how many bytes <see cref="Write"/> produces: six per token of cue, filler and end.</summary>
    public static double EstimatedBytes(long examples, int minDistance, int maxDistance) =>
        examples * ((minDistance + maxDistance) / 2.0 + 40) * 6;
}
