using System.Text;

namespace SeqLab.IO;

/// <summary>Writes a file so that readers see either the old content or the new, never half: temp file, fsync,
/// rename.</summary>
internal static class AtomicFile
{
    public static void WriteAllText(string path, string text) =>
        Write(path, s => s.Write(Encoding.UTF8.GetBytes(text)));

    /// <summary>Writes lines as they come (nothing is held in memory), each followed by \n; returns how many.</summary>
    public static long WriteLines(string path, IEnumerable<string> lines)
    {
        long count = 0;
        Write(
            path,
            s =>
            {
                using var writer = new StreamWriter(s, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
                foreach (var line in lines)
                {
                    writer.Write(line);
                    writer.Write('\n');
                    count++;
                }
            }
        );
        return count;
    }

    public static void Write(string path, Action<Stream> write)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var tmp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            Directory.CreateDirectory(dir);
            using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(tmp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The reason names our temporary file; the user knows the path they asked for.
            throw new SeqLabInputException(
                $"cannot write {path} ({e.GetType().Name.Replace("Exception", "")}: "
                    + $"{e.Message.Replace(tmp, path).TrimEnd('.')}); "
                    + "check that its folder exists and is writable, and the free space."
            );
        }
        finally
        {
            if (File.Exists(tmp))
                File.Delete(tmp);
        }
    }
}
