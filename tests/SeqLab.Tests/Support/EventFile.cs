using System.Buffers.Binary;
using System.Text;

namespace SeqLab.Tests;

/// <summary>
/// Reads a TensorBoard event file without TensorBoard (Debian has no package): the TFRecord framing (length, masked
/// CRC-32C of the length, data, masked CRC-32C of the data), each CRC checked, then the Event protobuf's scalars
/// decoded from the wire format by hand (Event: 1 wall_time, 2 step, 3 file_version, 5 summary; Summary: 1 value;
/// Value: 1 tag, 2 simple_value).
/// </summary>
public static class EventFile
{
    public sealed record Scalar(string Tag, long Step, float Value);

    public sealed record Contents(string? FileVersion, List<Scalar> Scalars);

    public static Contents Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        string? version = null;
        var scalars = new List<Scalar>();
        for (int i = 0; i < bytes.Length; )
        {
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(i));
            if (Masked(Crc32C(bytes.AsSpan(i, 8))) != BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i + 8)))
                throw new InvalidDataException($"{path}: bad length CRC at byte {i}");
            var data = bytes.AsSpan(i + 12, (int)length);
            if (Masked(Crc32C(data)) != BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i + 12 + (int)length)))
                throw new InvalidDataException($"{path}: bad data CRC at byte {i}");
            long step = 0;
            var values = new List<(string Tag, float Value)>();
            foreach (var (field, _, payload, number) in Fields(data.ToArray()))
                switch (field)
                {
                    case 2:
                        step = (long)number;
                        break;
                    case 3:
                        version = Encoding.UTF8.GetString(payload);
                        break;
                    case 5: // Summary
                        foreach (var (f, _, value, _) in Fields(payload))
                            if (f == 1)
                                values.Add(ScalarOf(value));
                        break;
                }
            scalars.AddRange(values.Select(v => new Scalar(v.Tag, step, v.Value)));
            i += 12 + (int)length + 4;
        }
        return new Contents(version, scalars);
    }

    static (string Tag, float Value) ScalarOf(byte[] value)
    {
        string tag = "";
        float x = float.NaN;
        foreach (var (f, _, payload, number) in Fields(value))
            if (f == 1)
                tag = Encoding.UTF8.GetString(payload);
            else if (f == 2)
                x = BitConverter.Int32BitsToSingle((int)number);
        return (tag, x);
    }

    /// <summary>A message's fields: number, wire type, the bytes of a length-delimited field, the value of the
    /// others.</summary>
    static IEnumerable<(int Field, int Wire, byte[] Payload, ulong Number)> Fields(byte[] m)
    {
        int i = 0;
        ulong Varint()
        {
            ulong v = 0;
            for (int shift = 0; ; shift += 7)
            {
                byte b = m[i++];
                v |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                    return v;
            }
        }
        while (i < m.Length)
        {
            ulong key = Varint();
            int field = (int)(key >> 3),
                wire = (int)(key & 7);
            switch (wire)
            {
                case 0:
                    yield return (field, wire, [], Varint());
                    break;
                case 1:
                    yield return (field, wire, [], BinaryPrimitives.ReadUInt64LittleEndian(m.AsSpan((i += 8) - 8)));
                    break;
                case 2:
                    int n = (int)Varint();
                    yield return (field, wire, m[i..(i += n)], 0);
                    break;
                case 5:
                    yield return (field, wire, [], BinaryPrimitives.ReadUInt32LittleEndian(m.AsSpan((i += 4) - 4)));
                    break;
                default:
                    throw new InvalidDataException($"wire type {wire}");
            }
        }
    }

    static uint Masked(uint crc) => ((crc >> 15) | (crc << 17)) + 0xa282ead8u;

    static readonly uint[] Table = Enumerable
        .Range(0, 256)
        .Select(n =>
        {
            uint c = (uint)n;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0x82F63B78u ^ (c >> 1) : c >> 1; // Castagnoli, reflected
            return c;
        })
        .ToArray();

    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (var b in data)
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFFu;
    }
}
