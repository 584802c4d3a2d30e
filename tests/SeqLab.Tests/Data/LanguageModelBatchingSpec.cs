using SeqLab.Data;
using SeqLab.Text;

namespace SeqLab.Tests;

public class LanguageModelBatchingSpec
{
    static readonly long[] Stream = Enumerable.Range(10, 103).Select(i => (long)i).ToArray();

    [Fact]
    public void BatchesAreBatchFirstWithSeqLenColumns()
    {
        Torch.Init();
        var first = LanguageModelData.Batches(Stream, seqLen: 8, batchSize: 4).First();
        Assert.Equal(4, first.Rows);
        Assert.Equal(8, first.Columns);
        Assert.Equal(new long[] { 4, 8 }, first.InputTensor().shape);
    }

    [Fact]
    public void TargetsAreInputsShiftedByOne()
    {
        var b = LanguageModelData.Batches(Stream, 8, 4).First();
        for (int r = 0; r < b.Rows; r++)
        for (int c = 0; c + 1 < b.Columns; c++)
            Assert.Equal(b.Inputs[r * b.Columns + c + 1], b.Targets[r * b.Columns + c]);
    }

    [Fact]
    public void EvaluationOrderScoresEveryTokenAfterTheFirstExactlyOnce()
    {
        var targets = LanguageModelData
            .Batches(Stream, 8, 4)
            .SelectMany(b => b.Targets.Where(t => t != Vocabulary.PadId))
            .ToList();
        Assert.Equal(Stream.Skip(1), targets);
    }

    [Fact]
    public void ShuffledOrderStillCoversEveryTargetOnce()
    {
        var targets = LanguageModelData
            .Batches(Stream, 8, 4, new Random(3))
            .SelectMany(b => b.Targets.Where(t => t != Vocabulary.PadId))
            .Order()
            .ToList();
        Assert.Equal(Stream.Skip(1), targets);
    }
}
