using SeqLab.Data;
using SeqLab.Training;

namespace SeqLab.Tests;

/// <summary>Length buckets: the same examples, each once per epoch, in batches that pad far less.</summary>
public class LengthBucketSpec
{
    static (SeqLab.Data.TaskData Data, int Examples) Prepare(TempDir dir, bool buckets)
    {
        var rng = new Random(3);
        var lines = Enumerable
            .Range(0, 400)
            .Select(i =>
                $"{(i % 2 == 0 ? "a" : "b")}\t{string.Join(' ', Enumerable.Repeat("palabra", 1 + rng.Next(60)))}"
            );
        var path = dir.File($"c{buckets}.tsv", string.Join('\n', lines) + "\n");
        var config = new SeqLab.Models.ModelConfig { Task = TaskKind.Classify, MinCount = 1 };
        var options = new SeqLab.Training.TrainingOptions
        {
            BatchSize = 16,
            LengthBuckets = buckets,
            ValidFraction = 0.1,
        };
        return (TrainingRun.PrepareData(config, options, path, null), 360);
    }

    [Fact]
    public void EveryExampleStillComesOncePerEpochAndBatchesPadLess()
    {
        using var dir = new TempDir();
        var (plain, n) = Prepare(dir, false);
        var (bucketed, _) = Prepare(dir, true);
        var plainBatches = plain.Epoch(0).ToList();
        var bucketBatches = bucketed.Epoch(0).ToList();
        Assert.Equal(n, bucketBatches.Sum(b => b.Rows));
        Assert.Equal(plainBatches.SelectMany(b => b.Lengths).Order(), bucketBatches.SelectMany(b => b.Lengths).Order());
        long Padded(List<SeqLab.Data.Batch> batches) => batches.Sum(b => (long)b.Rows * b.Columns);
        Assert.True(
            Padded(bucketBatches) < Padded(plainBatches) * 0.7,
            $"{Padded(bucketBatches)} vs {Padded(plainBatches)} padded tokens"
        );
        Assert.Equal(bucketed.Epoch(0).Select(b => b.Lengths.Sum()), bucketBatches.Select(b => b.Lengths.Sum())); // reproducible from (seed, epoch)
    }
}
