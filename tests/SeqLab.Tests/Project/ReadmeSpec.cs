using System.Text;
using System.Text.RegularExpressions;

namespace SeqLab.Tests;

/// <summary>
/// The README's examples run as written, in the order shown, on an empty folder: every ```sh block's
/// commands, with tiny budgets so that the whole README takes a minute. Synopses and long runs
/// (`demo`, `serve`, `bench`) live in ```text blocks, which their own tests cover.
/// </summary>
[Collection("cli")]
[Trait("Category", "Slow")]
public class ReadmeSpec
{
    static readonly HashSet<string> LongRunning = ["demo", "serve", "bench"];

    [Fact]
    public void EveryShellExampleRunsInOrderOnAFreshFolder()
    {
        var commands = ShellCommands(File.ReadAllText(Path.Combine(Repo.Root, "README.md"))).ToList();
        Assert.Contains(commands, c => c[0] == "scripts/get-spanish-corpus.sh");
        Assert.True(commands.Count(c => c[0] == "./seqlab") >= 20, $"only {commands.Count} commands found");

        using var dir = new TempDir();
        int ran = 0;
        foreach (var words in commands)
        {
            string shown = string.Join(' ', words);
            if (words[0] == "scripts/get-spanish-corpus.sh")
            {
                // A developer's checkout may hold the corpus already: start from it (the script then only checks it).
                var cached = Path.Combine(Repo.Root, "data", "es");
                if (File.Exists(Path.Combine(cached, "topics-test.tsv")))
                    foreach (var f in Directory.GetFiles(cached))
                    {
                        Directory.CreateDirectory(dir.Sub("data/es"));
                        File.Copy(f, Path.Combine(dir.Sub("data/es"), Path.GetFileName(f)));
                    }
                var script = Repo.Run(
                    "bash",
                    [Path.Combine(Repo.Root, words[0]), .. words[1..]],
                    dir.Path,
                    TimeSpan.FromMinutes(3)
                );
                Assert.True(script.ExitCode == 0, $"{shown}: {script.Text}");
                Assert.True(File.Exists(dir.Sub("data/es/train.txt")), $"{shown} wrote no data/es/train.txt");
                continue;
            }
            Assert.True(
                words[0] == "./seqlab",
                $"a ```sh block of the README runs `{shown}`; only ./seqlab and the corpus script are examples (use "
                    + $"```text for the rest)"
            );
            if (LongRunning.Contains(words[1]))
                continue;
            var args = Tiny(words[1..])
                .Select(a =>
                    Regex.IsMatch(a, "^(data|runs)/") ? Path.Combine(dir.Path, a)
                    : a.StartsWith("tests/fixtures/", StringComparison.Ordinal) ? Path.Combine(Repo.Root, a) // committed
                    : a
                )
                .ToArray();
            var r = CliRunner.Run(args);
            Assert.True(r.ExitCode == 0, $"README example `{shown}` exited {r.ExitCode}: {r.Stderr}");
            ran++;
        }
        Assert.True(ran >= 20, $"ran {ran} examples");
    }

    /// <summary>The same command with a budget of seconds: 2 training steps (4 for a resumed run), 1 epoch, 200
    /// examples.</summary>
    static IEnumerable<string> Tiny(string[] args)
    {
        bool resume = args.Contains("--resume"),
            hasSteps = args.Contains("--steps");
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--time-budget":
                    i++;
                    if (!hasSteps)
                    {
                        yield return "--steps";
                        yield return resume ? "4" : "2";
                    }
                    break;
                case "--steps":
                    yield return "--steps";
                    yield return resume ? "4" : "2";
                    i++;
                    break;
                case "--epochs":
                    yield return "--epochs";
                    yield return "1";
                    i++;
                    break;
                case "--examples":
                    yield return "--examples";
                    yield return Math.Min(200, int.Parse(args[++i])).ToString();
                    break;
                default:
                    yield return args[i];
                    break;
            }
        }
    }

    /// <summary>The commands of every ```sh block, split into words as a POSIX shell would (quotes, \ continuations, #
    /// comments).</summary>
    public static IEnumerable<string[]> ShellCommands(string markdown)
    {
        var blocks = Regex.Matches(markdown, @"(?m)^```sh\n(.*?)^```", RegexOptions.Singleline);
        foreach (Match block in blocks)
        {
            var text = block.Groups[1].Value.Replace("\\\n", " ");
            foreach (var line in text.Split('\n'))
                if (Words(line) is { Count: > 0 } words)
                    yield return words.ToArray();
        }
    }

    static List<string> Words(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (c == '#' && !inWord)
                break; // a comment
            if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
                continue;
            }
            inWord = true;
            if (c is '"' or '\'')
            {
                int end = line.IndexOf(c, i + 1);
                Assert.True(end > i, $"unclosed quote in README line: {line}");
                word.Append(line, i + 1, end - i - 1);
                i = end;
            }
            else
                word.Append(c);
        }
        if (inWord)
            words.Add(word.ToString());
        return words;
    }
}
