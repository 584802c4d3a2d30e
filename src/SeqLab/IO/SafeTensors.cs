using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace SeqLab.IO;

/// <summary>
/// The safetensors format: an 8-byte little-endian header length, a JSON header mapping each name to
/// {dtype, shape, data_offsets}, then the raw little-endian tensor bytes. Weights saved here load in
/// PyTorch with safetensors.torch.load_file and back. F16 and BF16 weights are read as float32 (exactly: every
/// half and bfloat16 value is a float32); float32 weights can be written as either, rounded to nearest even as
/// PyTorch's .half() and .bfloat16() round.
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

    public static void Write(
        Stream stream,
        IEnumerable<(string Name, Tensor Tensor)> tensors,
        FloatFormat floats = FloatFormat.F32
    )
    {
        var blobs = new List<byte[]>();
        var header = new Dictionary<string, object>();
        long offset = 0;
        foreach (var (name, t) in tensors.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (!Names.TryGetValue(t.dtype, out var dtype))
                throw new NotSupportedException($"safetensors: {name} has unsupported dtype {t.dtype}");
            var bytes = t.dtype == ScalarType.Float32 && floats != FloatFormat.F32 ? Halves(t, floats) : Bytes(t);
            if (t.dtype == ScalarType.Float32 && floats != FloatFormat.F32)
                dtype = floats == FloatFormat.F16 ? "F16" : "BF16";
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

    /// <summary>A float32 tensor as 16-bit floats, rounded to nearest even.</summary>
    static byte[] Halves(Tensor t, FloatFormat format)
    {
        using var c = t.detach().cpu().contiguous();
        var values = c.data<float>().ToArray();
        var bits = new ushort[values.Length];
        for (int i = 0; i < values.Length; i++)
            bits[i] = format == FloatFormat.F16 ? BitConverter.HalfToUInt16Bits((Half)values[i]) : Bf16(values[i]);
        return MemoryMarshal.AsBytes(bits.AsSpan()).ToArray();
    }

    /// <summary>float32 → bfloat16: the top 16 bits, rounded to nearest even (NaN stays a quiet NaN).</summary>
    static ushort Bf16(float f)
    {
        uint b = BitConverter.SingleToUInt32Bits(f);
        return float.IsNaN(f) ? (ushort)((b >> 16) | 0x40) : (ushort)((b + 0x7FFF + ((b >> 16) & 1)) >> 16);
    }

    static float[] Floats(ReadOnlySpan<byte> span, bool bf16)
    {
        var bits = MemoryMarshal.Cast<byte, ushort>(span);
        var values = new float[bits.Length];
        for (int i = 0; i < bits.Length; i++)
            values[i] = bf16
                ? BitConverter.UInt32BitsToSingle((uint)bits[i] << 16)
                : (float)BitConverter.UInt16BitsToHalf(bits[i]);
        return values;
    }

    static readonly Dictionary<string, int> Sizes = new()
    {
        ["F16"] = 2,
        ["BF16"] = 2,
        ["F32"] = 4,
        ["F64"] = 8,
        ["I64"] = 8,
        ["I32"] = 4,
    };

    /// <summary>One tensor's header entry, checked: dtype, shape and where its bytes lie in the data section.</summary>
    sealed record Entry(string Name, string Dtype, long[] Shape, long Begin, long End);

    /// <summary>
    /// Reads every tensor of a safetensors file; <paramref name="source"/> names the file in errors. The header is
    /// checked whole, as the format requires: each entry an object with a known dtype, a shape of non-negative
    /// whole numbers and two non-negative data offsets; the byte ranges in order, without overlaps or holes, covering
    /// the data exactly, each as long as its shape times its dtype's size; no name twice.
    /// </summary>
    public static Dictionary<string, Tensor> Read(byte[] data, string source)
    {
        SeqLabInputException Bad(string why) =>
            new($"{source} is not a valid safetensors file ({why}); the checkpoint is damaged, retrain or restore it.");
        if (data.Length < 8)
            throw Bad("too short");
        ulong headerLength = BitConverter.ToUInt64(data, 0);
        if (headerLength > (ulong)(data.Length - 8))
            throw Bad("header length past the end");
        long dataStart = 8 + (long)headerLength;
        var entries = Header(data, (int)headerLength, Bad);
        long expected = 0;
        foreach (var e in entries.OrderBy(e => e.Begin))
        {
            if (e.Begin != expected)
                throw Bad(e.Begin < expected ? $"tensor {e.Name} overlaps another" : $"a gap before tensor {e.Name}");
            expected = e.End;
        }
        if (dataStart + expected != data.Length)
            throw Bad($"the tensors cover {expected} bytes of a {data.Length - dataStart}-byte data section");

        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            var span = data.AsSpan((int)(dataStart + e.Begin), (int)(e.End - e.Begin));
            result[e.Name] = e.Dtype switch
            {
                "F32" => tensor(MemoryMarshal.Cast<byte, float>(span).ToArray(), e.Shape),
                "F64" => tensor(MemoryMarshal.Cast<byte, double>(span).ToArray(), e.Shape),
                "F16" or "BF16" => tensor(Floats(span, e.Dtype == "BF16"), e.Shape),
                "I64" => tensor(MemoryMarshal.Cast<byte, long>(span).ToArray(), e.Shape),
                _ => tensor(MemoryMarshal.Cast<byte, int>(span).ToArray(), e.Shape),
            };
        }
        return result;
    }

    static List<Entry> Header(byte[] data, int length, Func<string, SeqLabInputException> bad)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(Encoding.UTF8.GetString(data, 8, length));
        }
        catch (JsonException)
        {
            throw bad("unreadable header");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw bad("the header is not a JSON object");
            var entries = new List<Entry>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (!names.Add(p.Name))
                    throw bad($"tensor {p.Name} appears twice");
                if (p.Name != "__metadata__")
                    entries.Add(Parse(p, bad));
            }
            return entries;
        }
    }

    static Entry Parse(JsonProperty p, Func<string, SeqLabInputException> bad)
    {
        var v = p.Value;
        string Where(string what) => $"tensor {p.Name}: {what}";
        if (v.ValueKind != JsonValueKind.Object)
            throw bad(Where("not an object"));
        if (!v.TryGetProperty("dtype", out var d) || d.ValueKind != JsonValueKind.String)
            throw bad(Where("no dtype"));
        var dtype = d.GetString()!;
        if (!Sizes.TryGetValue(dtype, out int size))
            throw bad(Where($"dtype {dtype} is not one of {string.Join(", ", Sizes.Keys)}"));
        var shape = Integers(v, "shape", bad, Where);
        var offsets = Integers(v, "data_offsets", bad, Where);
        if (offsets.Length != 2 || offsets[0] > offsets[1])
            throw bad(Where("data_offsets must be two numbers [begin, end] with begin ≤ end"));
        long count;
        try
        {
            count = checked(shape.Aggregate(1L, (a, b) => a * b) * size);
        }
        catch (OverflowException)
        {
            throw bad(Where("its shape is too large"));
        }
        if (offsets[1] - offsets[0] != count)
            throw bad(
                Where(
                    $"{offsets[1] - offsets[0]} bytes, but shape [{string.Join(", ", shape)}] of {dtype} needs {count}"
                )
            );
        return new Entry(p.Name, dtype, shape, offsets[0], offsets[1]);
    }

    /// <summary>An array of non-negative whole numbers, or a one-line refusal.</summary>
    static long[] Integers(
        JsonElement v,
        string key,
        Func<string, SeqLabInputException> bad,
        Func<string, string> where
    )
    {
        if (!v.TryGetProperty(key, out var a) || a.ValueKind != JsonValueKind.Array)
            throw bad(where($"no {key} array"));
        var values = new List<long>();
        foreach (var e in a.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out long n) || n < 0)
                throw bad(where($"{key} holds {e.GetRawText()}, not a non-negative whole number"));
            values.Add(n);
        }
        return [.. values];
    }
}
