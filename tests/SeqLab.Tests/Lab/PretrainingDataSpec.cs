using SeqLab.Lab;

namespace SeqLab.Tests;

/// <summary>The pretraining experiment's data: test quotations the encoders never read, balanced labelled sets,
/// nested across label counts.</summary>
public class PretrainingDataSpec
{
    /// <summary>A topics folder: three labels told apart by their words, 30 training and 10 test lines each.</summary>
    public static string TopicsFolder(TempDir dir)
    {
        var words = new Dictionary<string, string[]>
        {
            ["cocina"] = ["sal", "aceite", "horno", "sopa", "pan", "receta"],
            ["mar"] = ["barco", "ola", "puerto", "vela", "playa", "pez"],
            ["monte"] = ["roca", "cumbre", "nieve", "pino", "senda", "valle"],
        };
        var rng = new Random(3);
        string Line(string topic, int i) =>
            $"{topic}\t{string.Join(' ', Enumerable.Range(0, 8).Select(_ => words[topic][rng.Next(6)]))} {topic}{i}";
        var folder = dir.Sub("topics");
        Directory.CreateDirectory(folder);
        File.WriteAllLines(
            Path.Combine(folder, "topics-train.tsv"),
            words.Keys.SelectMany(t => Enumerable.Range(0, 30).Select(i => Line(t, i)))
        );
        File.WriteAllLines(
            Path.Combine(folder, "topics-test.tsv"),
            words.Keys.SelectMany(t => Enumerable.Range(100, 10).Select(i => Line(t, i)))
        );
        return folder;
    }

    [Fact]
    public void NoTestExampleIsInThePretrainingText()
    {
        using var dir = new TempDir();
        var folder = TopicsFolder(dir);
        var s = new LabSession(dir.Sub("lab"), LabScale.Tiny);
        var split = PretrainingExperiment.Data(s, folder);
        Assert.Equal(["cocina", "mar", "monte"], split.Topics);
        Assert.Equal(30, split.Test.Count); // ten per label at the tiny scale
        var text = File.ReadAllLines(split.TextPath).ToHashSet();
        Assert.DoesNotContain(split.Test, e => text.Contains(e.Text));
        Assert.DoesNotContain(split.Pool.Values.SelectMany(p => p), p => split.Test.Any(e => e.Text == p));
    }

    [Fact]
    public void ALabelWithTooFewExamplesIsRefusedByName()
    {
        using var dir = new TempDir();
        var folder = TopicsFolder(dir);
        File.AppendAllLines(Path.Combine(folder, "topics-train.tsv"), ["raro\tuna sola línea"]);
        var s = new LabSession(dir.Sub("lab"), LabScale.Tiny);
        var e = Assert.Throws<SeqLabInputException>(() => PretrainingExperiment.Data(s, folder));
        Assert.Contains("'raro'", e.Message);
    }

    [Fact]
    public void TheCorpusModelsTextHoldsNoLineOfATestQuotation()
    {
        using var dir = new TempDir();
        // fortunes-es' layout: a quotation over several lines, its author on a line of its own.
        var train = dir.File(
            "train.txt",
            "La amistad perfecta es la de los buenos\ny de aquellos que se asemejan.\n\t\t-- Aristóteles.\n"
                + "Donde hay concordia siempre hay victoria.\n\t\t-- Publio Siro.\n"
        );
        var s = new LabSession(dir.Sub("lab"), LabScale.Tiny);
        var kept = File.ReadAllLines(
            Corpus.WithoutQuotations(
                s,
                train,
                ["La amistad perfecta es la de los buenos y de aquellos que se asemejan."]
            )
        );
        Assert.Equal(["\t\t-- Aristóteles.", "Donde hay concordia siempre hay victoria.", "\t\t-- Publio Siro."], kept);
    }
}
