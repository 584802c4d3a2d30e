namespace SeqLab.Lab.Report;

/// <summary>The languages the report, the demo's summary and the playground are written in.</summary>
public enum Language
{
    En,
    Es,
}
