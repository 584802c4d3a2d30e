using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using SeqLab.Figures;

namespace SeqLab.Lab.Report;

/// <summary>
/// The lab's report as one self-contained HTML file: plots embedded as data URIs, each experiment's
/// table, the lecture's claim beside what was measured, and the machine and settings used.
/// </summary>
internal static class HtmlReport
{
    public static string Machine()
    {
        string cpu = "unknown CPU";
        try
        {
            cpu =
                File.ReadLines("/proc/cpuinfo")
                    .FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))
                    ?.Split(':', 2)[1]
                    .Trim()
                ?? cpu;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return $"{cpu}, {Environment.ProcessorCount} cores; {RuntimeInformation.OSDescription}; .NET "
            + $"{Environment.Version}; TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version} (libtorch CPU)";
    }

    /// <summary>The first sentence of a finding, for summary tables.</summary>
    public static string Headline(LabResult r, Texts? t = null) =>
        r.Skipped is not null ? (t ?? Texts.English)["report.skipped-short", r.Skipped]
        : r.Finding.IndexOf(". ", StringComparison.Ordinal) is var i && i > 0 ? r.Finding[..(i + 1)]
        : r.Finding;

    /// <summary>The verdict in words, for summary tables ("inconclusive" for a skipped experiment).</summary>
    public static string VerdictWords(LabResult r, Texts? t = null) =>
        r.Skipped is not null || r.Assessment is null
            ? (t ?? Texts.English)["verdict.did-not-run"]
            : r.Assessment.Words(t);

    /// <summary>Writes the report in the language of <paramref name="t"/> (English by default).</summary>
    public static void Write(
        string path,
        IReadOnlyList<LabResult> results,
        string settings,
        double seconds,
        Texts? t = null
    )
    {
        t ??= Texts.English;
        using var numbers = t.Numbers();
        static string E(string s) => WebUtility.HtmlEncode(s);
        var html = new StringBuilder();
        html.Append(
            """
            <!DOCTYPE html><html lang="{{lang}}"><head><meta charset="utf-8"><title>{{title}}</title>
            <style>
            body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;
                line-height:1.45}
            h1{margin-bottom:.2em} h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}
            table{border-collapse:collapse;margin:1em 0;font-size:.92em}
            th,td{border:1px solid #ccc;padding:.3em .6em;text-align:right}
            th:first-child,td:first-child{text-align:left}
            th{background:#f3f3f3}
            .claim{background:#fff8e6;border-left:4px solid #f0b429;padding:.6em 1em}
            .finding{background:#eef6ff;border-left:4px solid #3b82f6;padding:.6em 1em}
            .verdict{border-left:4px solid #888;padding:.6em 1em;background:#f6f6f6}
            .verdict.supported{border-color:#16a34a;background:#effaf2}
            .verdict.not_supported{border-color:#e11d48;background:#fdecec}
            .skipped{background:#fdecec;border-left:4px solid #e11d48;padding:.6em 1em}
            img{max-width:100%;border:1px solid #eee;margin:.5em 0}
            .meta{color:#666;font-size:.9em}
            </style></head><body>
            """.Replace("{{lang}}", t.Language.Code()).Replace("{{title}}", E(t["report.title"]))
        );
        html.Append(
            $"<h1>{E(t["report.heading"])}</h1><p class=\"meta\">{E(Machine())}<br>{E(settings)}; "
                + $"{E(t["report.total-seconds", seconds])}; {DateTime.Now:yyyy-MM-dd HH:mm}</p>"
        );
        html.Append($"<p>{E(t["report.intro"])}</p>");
        html.Append(
            $"<table><tr><th>{E(t["report.experiment"])}</th><th>{E(t["report.verdict"])}</th><th "
                + $"style=\"text-align:left\">{E(t["report.measured"])}</th><th>{E(t["report.seconds"])}</th></tr>"
        );
        foreach (var r in results)
            html.Append(
                $"<tr><td><a href=\"#{r.Name}\">{E(r.Title)}</a></td><td>{E(VerdictWords(r, t))}</td><td "
                    + $"style=\"text-align:left\">{E(Headline(r, t))}</td><td>{r.Seconds:F0}</td></tr>"
            );
        html.Append("</table>");
        foreach (var r in results)
        {
            html.Append(
                $"<h2 id=\"{r.Name}\">{E(r.Title)}</h2><p class=\"claim\"><b>{E(t["report.lecture"])}</b> "
                    + $"{E(r.Claim)}</p>"
            );
            if (r.Skipped is not null)
            {
                html.Append($"<p class=\"skipped\"><b>{E(t["report.skipped"])}</b> {E(r.Skipped)}</p>");
                continue;
            }
            html.Append($"<p class=\"finding\"><b>{E(t["report.measured-label"])}</b> {E(r.Finding)}</p>");
            if (r.Assessment is { } v)
                html.Append(
                    $"<p class=\"verdict {v.Json}\"><b>{E(t["verdict.sentence", v.Words(t)])}</b> {E(v.Reason)}."
                        + $"<br><span class=\"meta\">{E(t["report.rule", v.Rule])}</span></p>"
                );
            if (r.Table.Count > 0)
            {
                html.Append("<table><tr>")
                    .Append(string.Concat(r.Table[0].Select(h => $"<th>{E(h)}</th>")))
                    .Append("</tr>");
                foreach (var row in r.Table.Skip(1))
                    html.Append("<tr>").Append(string.Concat(row.Select(c => $"<td>{E(c)}</td>"))).Append("</tr>");
                html.Append("</table>");
            }
            foreach (var plot in r.Plots.Where(File.Exists))
                html.Append(
                    $"<img alt=\"{E(Path.GetFileNameWithoutExtension(plot))}\" "
                        + $"src=\"data:image/png;base64,{Convert.ToBase64String(File.ReadAllBytes(plot))}\">"
                );
            html.Append($"<p class=\"meta\">{E(t["report.section-meta", r.Seconds])}</p>");
        }
        html.Append("</body></html>\n");
        IO.AtomicFile.WriteAllText(path, html.ToString());
    }
}
