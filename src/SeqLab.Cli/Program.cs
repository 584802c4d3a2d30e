using System.CommandLine;
using SeqLab.Cli.Commands;
using SeqLab.Native;
using SeqLab.Training;

namespace SeqLab.Cli
{
    /// <summary>
    /// `seqlab`: a thin layer over the library. Exit codes: 0 success, 2 bad usage or bad input (one
    /// line on stderr), 1 anything unexpected (set SEQLAB_DEBUG=1 for the stack trace).
    /// </summary>
    public static class Cli
    {
        /// <param name="Positionals">whether the command takes words after its name (a sub-task such as `data
        /// reverse`).</param>
        record Command(
            string Name,
            string Usage,
            string Summary,
            Option[] Options,
            Func<Args, int> Run,
            bool Positionals = false
        );

        static readonly Command[] Commands =
        [
            new(
                "train",
                TrainCommand.Usage,
                "Train a model and save it as a checkpoint directory.",
                TrainCommand.Options,
                TrainCommand.Run
            ),
            new(
                "eval",
                EvalCommand.Usage,
                "Perplexity (lm, with the unigram baseline), accuracy (classify), or exact match and BLEU (seq2seq).",
                EvalCommand.Options,
                EvalCommand.Run
            ),
            new(
                "predict",
                PredictCommand.Usage,
                "Next-word candidates, the word for a [???] blank, a label, or a seq2seq output.",
                PredictCommand.Options,
                PredictCommand.Run
            ),
            new(
                "generate",
                GenerateCommand.Usage,
                "Continue a prompt (lm) or transform a source (seq2seq): sampling, greedy or beam search.",
                GenerateCommand.Options,
                GenerateCommand.Run
            ),
            new(
                "embed",
                EmbedCommand.Usage,
                "Static word vectors: train Word2Vec, nearest neighbours, analogies, similarity; word2vec text/binary "
                    + "and GloVe files.",
                EmbedCommand.Options,
                EmbedCommand.Run,
                Positionals: true
            ),
            new(
                "demo",
                DemoCommand.Usage,
                "The whole lecture in minutes: every lab experiment, report.html and a summary.",
                DemoCommand.Options,
                DemoCommand.Run
            ),
            new(
                "lab",
                LabCommand.Usage,
                "Measure one of the lecture's claims (parallelism, long-range, gradients, context, attention, "
                    + "effective-context).",
                LabCommand.Options,
                LabCommand.Run,
                Positionals: true
            ),
            new(
                "bench",
                BenchCommand.Usage,
                "Measure speed and memory: tokens/s, GFLOP/s, MFU, peak RSS; memory over a long run; predict latency.",
                BenchCommand.Options,
                BenchCommand.Run
            ),
            new(
                "plot",
                PlotCommand.Usage,
                "Training curves of one or several runs on the same axes (loss, validation score, learning rate).",
                PlotCommand.Options,
                PlotCommand.Run,
                Positionals: true
            ),
            new(
                "export",
                InteropCommands.ExportUsage,
                "Write a checkpoint's weights as safetensors with PyTorch's parameter names.",
                InteropCommands.ExportOptions,
                InteropCommands.Export
            ),
            new(
                "import",
                InteropCommands.ImportUsage,
                "Make a checkpoint from safetensors weights (e.g. trained in PyTorch), a config and a vocabulary, or "
                    + "from a Hugging Face BERT folder.",
                InteropCommands.ImportOptions,
                InteropCommands.Import,
                Positionals: true
            ),
            new(
                "serve",
                SeqLab.Cli.Serve.ServeCommand.Usage,
                "Web playground on 127.0.0.1: models side by side, attention heatmaps.",
                SeqLab.Cli.Serve.ServeCommand.Options,
                SeqLab.Cli.Serve.ServeCommand.Run
            ),
            new(
                "tokenizer",
                TokenizerCommand.Usage,
                "Learn a byte-level BPE tokenizer from a text and write it as Hugging Face's tokenizer.json.",
                TokenizerCommand.Options,
                TokenizerCommand.Run,
                Positionals: true
            ),
            new(
                "data",
                DataCommand.Usage,
                "Write a generated data set (reverse, copy, long-range).",
                DataCommand.Options,
                DataCommand.Run,
                Positionals: true
            ),
        ];

        /// <summary>The whole command line's grammar, for System.CommandLine: one subcommand per SeqLab
        /// command.</summary>
        static readonly RootCommand Root = BuildRoot();

        /// <summary>"@file" is a file name to SeqLab, never a response file to expand.</summary>
        static readonly ParserConfiguration Parsing = new() { ResponseFileTokenReplacer = null };

        static RootCommand BuildRoot()
        {
            var root = new RootCommand("seqlab — sequence models for NLP");
            foreach (var c in Commands)
                root.Subcommands.Add(Args.Build(c.Name, c.Summary, c.Options, c.Positionals));
            return root;
        }

        public static int Main(string[] argv)
        {
            // Numbers on the console and in files are written one way whatever the host's locale (es_ES would give
            // "0,97" in English text); the report's language chooses its own conventions (Lab/Report/Texts).
            System.Globalization.CultureInfo.DefaultThreadCurrentCulture = System
                .Globalization
                .CultureInfo
                .InvariantCulture;
            System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
            return Run(argv);
        }

        public static int Run(string[] argv)
        {
            try
            {
                return Dispatch(argv);
            }
            catch (Exception e)
            {
                return Fail(e);
            }
        }

        static int Dispatch(string[] argv)
        {
            if (argv.Length == 0)
            {
                Console.Error.WriteLine(Overview()); // no command is a usage error: usage on stderr, exit 2
                return 2;
            }
            if (argv[0] is "--help" or "-h" or "help")
            {
                Console.WriteLine(Overview());
                return 0;
            }
            if (argv[0] is "--version" or "-V" or "version")
            {
                Console.WriteLine(VersionText());
                return 0;
            }
            // Shell completion: `seqlab "[suggest:N]" "seqlab tr"` lists what may follow (dotnet-suggest uses it).
            if (argv[0].StartsWith("[suggest", StringComparison.Ordinal))
                return Root.Parse(argv, Parsing).Invoke();
            var command =
                Commands.FirstOrDefault(c => c.Name == argv[0])
                ?? throw new SeqLabInputException(
                    $"unknown command '{argv[0]}'; commands: {string.Join(", ", Commands.Select(c => c.Name))} "
                        + "(see `seqlab --help`)."
                );
            if (argv.Skip(1).Any(a => a is "--help" or "-h"))
            {
                Console.WriteLine(Args.Help(command.Usage, command.Summary, command.Options));
                return 0;
            }
            var args = Args.From(
                Root.Parse(argv, Parsing),
                Root.Subcommands.Single(c => c.Name == command.Name),
                command.Options
            );
            if (args.Positionals.Count > 0 && !command.Positionals)
                throw new SeqLabInputException(
                    $"unexpected argument '{args.Positionals[0]}' for `seqlab {command.Name}` (options start with --); "
                        + $"see `seqlab {command.Name} --help`."
                );
            return command.Run(args);
        }

        /// <summary>The exit-code contract: bad input 2 with its one line; anything else 1, with the trace only under
        /// SEQLAB_DEBUG=1.</summary>
        static int Fail(Exception e)
        {
            var (code, line) = e switch
            {
                SeqLabInputException => (2, e.Message),
                // A path the user named that cannot be written or read (read-only, /proc, no space, a folder for a
                // file).
                UnauthorizedAccessException or IOException => (
                    2,
                    $"{e.Message.TrimEnd('.')}; check the path, its permissions and the free space."
                ),
                NativeLoadException or TrainingDivergedException => (1, e.Message),
                TypeInitializationException { TypeName: "TorchSharp.torch" } => (1, TorchRuntime.Diagnose()),
                _ => (
                    1,
                    $"unexpected error: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}"
                        + (
                            Environment.GetEnvironmentVariable("SEQLAB_DEBUG") == "1"
                                ? Environment.NewLine + e
                                : " (set SEQLAB_DEBUG=1 for details)"
                        )
                ),
            };
            Console.Error.WriteLine($"seqlab: {line}");
            return code;
        }

        static string VersionText()
        {
            TorchRuntime.EnsureLoaded();
            return string.Join(
                Environment.NewLine,
                $"seqlab {Versions.SeqLab}",
                $"TorchSharp {Versions.TorchSharp}, libtorch {Versions.LibTorch} (CPU)",
                $"CPU threads: {TorchSharp.torch.get_num_threads()} in use, {Environment.ProcessorCount} available",
                $".NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}"
            );
        }

        static string Overview() =>
            string.Join(
                Environment.NewLine,
                new[]
                {
                    "seqlab — sequence models for NLP: train, use and measure RNNs, LSTMs, GRUs and Transformers.",
                    "",
                    "commands:",
                }
                    .Concat(Commands.Select(c => $"  {c.Name, -10} {c.Summary}"))
                    .Append("")
                    .Append(
                        "`seqlab <command> --help` lists a command's options; `seqlab --version` the versions and "
                            + "threads."
                    )
            );
    }
}
