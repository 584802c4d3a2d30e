using SeqLab.Data;
using SeqLab.Models;

namespace SeqLab.Training;

/// <summary>Loss, perplexity and accuracy of a model over batches (no gradients, eval mode): the trainer's
/// validation.</summary>
public static class Validation
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
        long count = 0,
            correct = 0;
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
        return count == 0
            ? new Result(double.NaN, 0, double.NaN)
            : new Result(sum / count, count, (double)correct / count);
    }
}
