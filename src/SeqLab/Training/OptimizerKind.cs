using System.Text.Json.Serialization;

namespace SeqLab.Training;

/// <summary>AdamW (decoupled weight decay, the default) or the paper's Adam.</summary>
public enum OptimizerKind
{
    [JsonStringEnumMemberName("adamw")]
    AdamW,
    Adam,
}
