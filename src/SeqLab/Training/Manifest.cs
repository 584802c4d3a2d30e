using SeqLab.Data;
using SeqLab.Models;

namespace SeqLab.Training;

/// <summary>The checkpoint's table of contents, written last: it names the current files and their SHA-256.</summary>
public sealed class Manifest
{
    public int FormatVersion { get; set; } = 1;

    /// <summary>The SeqLab and TorchSharp versions that wrote this checkpoint (absent before 0.2.0).</summary>
    [System.Text.Json.Serialization.JsonPropertyName("seqlab_version")]
    public string? SeqLabVersion { get; set; }

    [System.Text.Json.Serialization.JsonPropertyName("torchsharp_version")]
    public string? TorchSharpVersion { get; set; }
    public ModelFamily Family { get; set; }
    public TaskKind Task { get; set; }
    public string Weights { get; set; } = "";
    public string? BestWeights { get; set; }
    public string? Optimizer { get; set; }
    public TrainingState State { get; set; } = new();
    public Dictionary<string, string> Sha256 { get; set; } = [];

    /// <summary>
    /// A sentence saying which other SeqLab/TorchSharp wrote this checkpoint, or null when it is
    /// this very pair: numbers from another version may differ in the last digits.
    /// </summary>
    public string? VersionNote()
    {
        string here = $"SeqLab {Native.Versions.SeqLab} with TorchSharp {Native.Versions.TorchSharp}";
        if (SeqLabVersion is null || TorchSharpVersion is null)
            return $"this checkpoint records no versions (written before SeqLab 0.2.0); it is read by {here}";
        if (SeqLabVersion == Native.Versions.SeqLab && TorchSharpVersion == Native.Versions.TorchSharp)
            return null;
        return $"this checkpoint was written by SeqLab {SeqLabVersion} with TorchSharp {TorchSharpVersion}; it is "
            + $"read by {here}";
    }
}
