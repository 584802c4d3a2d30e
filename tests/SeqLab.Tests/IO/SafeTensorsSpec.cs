using System.Text;
using SeqLab.IO;

namespace SeqLab.Tests;

/// <summary>The safetensors reader refuses every malformed file with one line naming the file and the fault.</summary>
public class SafeTensorsSpec
{
    /// <summary>A file from a header and a data section of <paramref name="dataBytes"/> zero bytes.</summary>
    static byte[] File(string header, int dataBytes)
    {
        var json = Encoding.UTF8.GetBytes(header);
        return [.. BitConverter.GetBytes((ulong)json.Length), .. json, .. new byte[dataBytes]];
    }

    public static IEnumerable<object[]> Malformed() =>
        [
            ["missing dtype", """{"w": {"shape": [2], "data_offsets": [0, 8]}}""", 8, "no dtype"],
            ["missing shape", """{"w": {"dtype": "F32", "data_offsets": [0, 8]}}""", 8, "no shape"],
            ["missing offsets", """{"w": {"dtype": "F32", "shape": [2]}}""", 8, "no data_offsets"],
            ["dtype not a string", """{"w": {"dtype": 3, "shape": [2], "data_offsets": [0, 8]}}""", 8, "no dtype"],
            ["unknown dtype", """{"w": {"dtype": "Q7", "shape": [2], "data_offsets": [0, 8]}}""", 8, "dtype Q7"],
            ["entry not an object", """{"w": [1, 2]}""", 8, "not an object"],
            ["header not an object", """[1, 2]""", 8, "not a JSON object"],
            [
                "short offsets",
                """{"w": {"dtype": "F32", "shape": [2], "data_offsets": [8]}}""",
                8,
                "data_offsets must be two",
            ],
            [
                "float shape",
                """{"w": {"dtype": "F32", "shape": [2.5], "data_offsets": [0, 8]}}""",
                8,
                "shape holds 2.5",
            ],
            [
                "negative dimension",
                """{"w": {"dtype": "F32", "shape": [-2], "data_offsets": [0, 8]}}""",
                8,
                "shape holds -2",
            ],
            [
                "shape overflow",
                """{"w": {"dtype": "F32", "shape": [4294967296, 4294967296], "data_offsets": [0, 8]}}""",
                8,
                "too large",
            ],
            [
                "negative offset",
                """{"w": {"dtype": "F32", "shape": [2], "data_offsets": [-8, 0]}}""",
                8,
                "data_offsets holds -8",
            ],
            ["size mismatch", """{"w": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}}""", 8, "needs 12"],
            [
                "overlapping tensors",
                """{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}""",
                12,
                "overlaps",
            ],
            [
                "a gap",
                """{"w": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}""",
                12,
                "a gap before tensor w",
            ],
            [
                "bytes past the tensors",
                """{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}""",
                16,
                "cover 8 bytes of a 16-byte",
            ],
            [
                "duplicate names",
                """{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "w": {"dtype": "F32", "shape": [2], "data_offsets": [8, 16]}}""",
                16,
                "appears twice",
            ],
            [
                "offsets past the end",
                """{"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}""",
                8,
                "cover 16 bytes of a 8-byte",
            ],
        ];

    [Theory]
    [MemberData(nameof(Malformed))]
    public void AMalformedFileIsRefusedByName(string name, string header, int dataBytes, string mentions)
    {
        Torch.Init();
        var e = Assert.Throws<SeqLabInputException>(() => SafeTensors.Read(File(header, dataBytes), "w.safetensors"));
        Assert.Contains("w.safetensors is not a valid safetensors file", e.Message);
        Assert.True(e.Message.Contains(mentions), $"{name}: {e.Message}");
    }

    [Fact]
    public void AWellFormedFileReadsBack()
    {
        Torch.Init();
        var t = SafeTensors.Read(
            File("""{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "__metadata__": {}}""", 8),
            "w"
        );
        Assert.Equal([2L], t["w"].shape);
    }
}
