using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace SeqLab.IO;

/// <summary>
/// The safetensors format: an 8-byte little-endian header length, a JSON header mapping each name to
/// {dtype, shape, data_offsets}, then the raw little-endian tensor bytes. Weights saved here load in
/// PyTorch with safetensors.torch.load_file and back.
/// </summary>
public static class SafeTensors
{
    static readonly Dictionary<ScalarType, string> Names = new()
    {
        [ScalarType.Float32] = "F32",
        [ScalarType.Float64] = "F64",
        [ScalarType.Int64] = "I64",
        [ScalarType.Int32] = "I32",
    };

    public static void Write(Stream stream, IEnumerable<(string Name, Tensor Tensor)> tensors)
    {
        var blobs = new List<byte[]>();
        var header = new Dictionary<string, object>();
        long offset = 0;
        foreach (var (name, t) in tensors.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (!Names.TryGetValue(t.dtype, out var dtype))
                throw new NotSupportedException($"safetensors: {name} has unsupported dtype {t.dtype}");
            var bytes = Bytes(t);
            header[name] = new
            {
                dtype,
                shape = t.shape,
                data_offsets = new[] { offset, offset + bytes.Length },
            };
            blobs.Add(bytes);
            offset += bytes.Length;
        }
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        int pad = (8 - json.Length % 8) % 8; // align the data to 8 bytes, as the reference writer does
        var padded = json.Concat(Enumerable.Repeat((byte)' ', pad)).ToArray();
        stream.Write(BitConverter.GetBytes((ulong)padded.Length));
        stream.Write(padded);
        foreach (var b in blobs)
            stream.Write(b);
    }

    static byte[] Bytes(Tensor t)
    {
        using var c = t.detach().cpu().contiguous();
        return c.dtype switch
        {
            ScalarType.Float32 => MemoryMarshal.AsBytes(c.data<float>().ToArray().AsSpan()).ToArray(),
            ScalarType.Float64 => MemoryMarshal.AsBytes(c.data<double>().ToArray().AsSpan()).ToArray(),
            ScalarType.Int64 => MemoryMarshal.AsBytes(c.data<long>().ToArray().AsSpan()).ToArray(),
            _ => MemoryMarshal.AsBytes(c.data<int>().ToArray().AsSpan()).ToArray(),
        };
    }

    /// <summary>Reads every tensor of a safetensors file; <paramref name="source"/> names the file in errors.</summary>
    public static Dictionary<string, Tensor> Read(byte[] data, string source)
    {
        SeqLabInputException Bad(string why) =>
            new($"{source} is not a valid safetensors file ({why}); the checkpoint is damaged, retrain or restore it.");
        if (data.Length < 8)
            throw Bad("too short");
        ulong headerLength = BitConverter.ToUInt64(data, 0);
        if (headerLength > (ulong)(data.Length - 8))
            throw Bad("header length past the end");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(Encoding.UTF8.GetString(data, 8, (int)headerLength));
        }
        catch (JsonException)
        {
            throw Bad("unreadable header");
        }
        long dataStart = 8 + (long)headerLength;
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        using (doc)
            foreach (var entry in doc.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__")
                    continue;
                var dtype = entry.Value.GetProperty("dtype").GetString();
                var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                var offsets = entry
                    .Value.GetProperty("data_offsets")
                    .EnumerateArray()
                    .Select(e => e.GetInt64())
                    .ToArray();
                long begin = dataStart + offsets[0],
                    end = dataStart + offsets[1];
                if (offsets.Length != 2 || begin > end || end > data.Length)
                    throw Bad($"tensor {entry.Name} lies outside the file");
                var span = data.AsSpan((int)begin, (int)(end - begin));
                long count = shape.Aggregate(1L, (a, b) => a * b);
                Tensor t = dtype switch
                {
                    "F32" when span.Length == count * 4 => tensor(
                        MemoryMarshal.Cast<byte, float>(span).ToArray(),
                        shape
                    ),
                    "F64" when span.Length == count * 8 => tensor(
                        MemoryMarshal.Cast<byte, double>(span).ToArray(),
                        shape
                    ),
                    "I64" when span.Length == count * 8 => tensor(
                        MemoryMarshal.Cast<byte, long>(span).ToArray(),
                        shape
                    ),
                    "I32" when span.Length == count * 4 => tensor(MemoryMarshal.Cast<byte, int>(span).ToArray(), shape),
                    _ => throw Bad($"tensor {entry.Name} has dtype {dtype} or a size that does not match its shape"),
                };
                result[entry.Name] = t;
            }
        return result;
    }
}
