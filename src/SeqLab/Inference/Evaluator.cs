using SeqLab.Data;
using SeqLab.Models;
using SeqLab.Text;
using SeqLab.Training;
using static TorchSharp.torch;

namespace SeqLab.Inference;

/// <summary>Loss, perplexity and accuracy of a model over a data set (no gradients, eval mode).</summary>
public static class Evaluator
{
    public sealed record Result(double Loss, long Count, double Accuracy)
    {
        public double Perplexity => Math.Exp(Loss);
    }

    public static Result Evaluate(SequenceModel model, IEnumerable<Batch> batches)
    {
        bool wasTraining = model.training;
        model.eval();
        double sum = 0;
        long count = 0, correct = 0;
        using (no_grad())
            foreach (var batch in batches)
            {
                using var scope = NewDisposeScope();
                var (s, n, c) = model.Score(batch);
                sum += s;
                count += n;
                correct += c;
            }
        model.train(wasTraining);
        return count == 0 ? new Result(double.NaN, 0, double.NaN) : new Result(sum / count, count, (double)correct / count);
    }

    /// <summary>
    /// A classifier's loss and accuracy on labelled texts (file order, batches of <paramref name="batchSize"/>);
    /// a label the model does not know is refused with its file and line.
    /// </summary>
    public static Result Classification(LoadedModel m, IEnumerable<PairedText.Pair> pairs, int batchSize = 64)
    {
        var labels = m.Config.Labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => (long)p.i);
        var examples = pairs.Select(p => labels.TryGetValue(p.First, out var y)
            ? (Ids: m.Vocabulary.Encode(m.Tokenizer.Tokenize(p.Second)) is { Length: > 0 } ids ? ids : [Vocabulary.UnkId], Label: y)
            : throw new SeqLabInputException($"{p.File}:{p.Line}: label '{p.First}' is not one the model knows ({string.Join(", ", m.Config.Labels)}).")).ToList();
        return Evaluate(m.Model, examples.Chunk(batchSize).Select(c => Batch.Pad(c.Select(e => e.Ids).ToList(), c.Select(e => e.Label).ToArray(), m.Config.MaxLength)));
    }

    /// <summary>
    /// The unigram baseline under the model's vocabulary: each target token scored by its training
    /// frequency (add-one smoothed), ignoring context. A model must beat it to have learned anything
    /// about order.
    /// </summary>
    public static double UnigramPerplexity(Vocabulary vocab, IEnumerable<Batch> batches)
    {
        double total = vocab.Counts.Sum() + vocab.Count;
        double nll = 0;
        long n = 0;
        foreach (var batch in batches)
            foreach (var t in batch.Targets)
            {
                if (t == Vocabulary.PadId) continue;
                nll -= Math.Log((vocab.Counts[(int)t] + 1) / total);
                n++;
            }
        return Math.Exp(nll / Math.Max(1, n));
    }
}
