using ScottPlot;
using SeqLab.IO;

namespace SeqLab.Figures;

/// <summary>
/// SeqLab's figures (the lab's, and every training run's curves), each saved as PNG and SVG (ScottPlot 5):
/// lines with a legend (optionally
/// log-scaled), a horizontal reference line (e.g. chance), bar charts and heatmaps.
/// </summary>
internal static class Plots
{
    /// <summary>One line; <paramref name="Low"/> and <paramref name="High"/>, when given, are drawn as error bars (e.g.
    /// a 95% interval).</summary>
    public sealed record Series(string Name, double[] X, double[] Y, double[]? Low = null, double[]? High = null);

    public const int Width = 720,
        Height = 440;

    /// <summary>Line plot of several series; log axes plot log10 of the values with labelled ticks. Returns the PNG
    /// path.</summary>
    public static string Lines(
        string pathWithoutExtension,
        string title,
        string xLabel,
        string yLabel,
        IEnumerable<Series> series,
        bool logX = false,
        bool logY = false,
        (double Y, string Label)? reference = null
    ) => Save(LinePlot(title, xLabel, yLabel, series, logX, logY, reference), pathWithoutExtension, Width + 180);

    /// <summary>One panel of a <see cref="Stacked"/> figure.</summary>
    public sealed record Panel(string Title, string YLabel, IReadOnlyList<Series> Series, bool LogY = false);

    /// <summary>
    /// Panels stacked top to bottom over one x axis (a training run's loss, validation score and learning rate),
    /// as one PNG and one SVG. Returns the PNG path.
    /// </summary>
    public static string Stacked(string pathWithoutExtension, string xLabel, IReadOnlyList<Panel> panels)
    {
        const int height = 280;
        int legend = 40 + 7 * panels.SelectMany(p => p.Series).Max(s => s.Name.Length); // room for the longest name
        int width = Width + legend;
        var plots = panels
            .Select((p, i) => LinePlot(p.Title, i == panels.Count - 1 ? xLabel : "", p.YLabel, p.Series, logY: p.LogY))
            .ToList();
        // One x axis for all: the same range, and the same margins so the data areas line up whatever the legends.
        var xs = panels.SelectMany(p => p.Series).SelectMany(s => s.X).ToList();
        foreach (var plot in plots)
        {
            if (xs.Count > 0)
                plot.Axes.SetLimitsX(xs.Min() - 0.5, xs.Max() + 0.5);
            plot.Layout.Fixed(new PixelPadding(80, legend + 20, 50, 40));
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(pathWithoutExtension))!);
        var svg = new System.Text.StringBuilder(
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height * plots.Count}\">"
        );
        for (int i = 0; i < plots.Count; i++)
            svg.Append($"<g transform=\"translate(0,{i * height})\">{plots[i].GetSvgHtml(width, height)}</g>");
        AtomicFile.WriteAllText(pathWithoutExtension + ".svg", svg.Append("</svg>").ToString());
        using var surface = SkiaSharp.SKSurface.Create(new SkiaSharp.SKImageInfo(width, height * plots.Count));
        surface.Canvas.Clear(SkiaSharp.SKColors.White);
        for (int i = 0; i < plots.Count; i++)
        {
            using var panel = SkiaSharp.SKBitmap.Decode(plots[i].GetImageBytes(width, height, ImageFormat.Png));
            surface.Canvas.DrawBitmap(panel, 0, i * height);
        }
        using var image = surface.Snapshot();
        using var png = image.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        AtomicFile.Write(pathWithoutExtension + ".png", png.SaveTo);
        return pathWithoutExtension + ".png";
    }

    static Plot LinePlot(
        string title,
        string xLabel,
        string yLabel,
        IEnumerable<Series> series,
        bool logX = false,
        bool logY = false,
        (double Y, string Label)? reference = null
    )
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int i = 0;
        foreach (var s in series)
        {
            var points = s
                .X.Zip(s.Y)
                .Where(p => (!logX || p.First > 0) && (!logY || p.Second > 0) && double.IsFinite(p.Second))
                .ToArray();
            if (points.Length == 0)
                continue;
            var line = plot.Add.Scatter(
                points.Select(p => logX ? Math.Log10(p.First) : p.First).ToArray(),
                points.Select(p => logY ? Math.Log10(p.Second) : p.Second).ToArray(),
                palette.GetColor(i++)
            );
            line.LegendText = s.Name;
            line.LineWidth = 2;
            line.MarkerSize = points.Length <= 40 ? 6 : 0; // markers on a long curve only blur it
            if (s.Low is { } low && s.High is { } high && !logX && !logY)
            {
                var bars = plot.Add.ErrorBar(s.X, s.Y, s.Y.Select(_ => 0.0).ToArray());
                bars.YErrorNegative = s.Y.Zip(low, (y, l) => Math.Max(0, y - l)).ToArray();
                bars.YErrorPositive = s.Y.Zip(high, (y, h) => Math.Max(0, h - y)).ToArray();
                bars.Color = line.Color;
            }
        }
        if (reference is { } r)
        {
            var h = plot.Add.HorizontalLine(logY ? Math.Log10(r.Y) : r.Y, 1.5f, Colors.Gray, LinePattern.Dashed);
            h.LegendText = r.Label;
        }
        if (logX)
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                LabelFormatter = v => Pow10(v),
                MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            };
        if (logY)
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                LabelFormatter = v => Pow10(v),
                MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            };
        Decorate(plot, title, xLabel + (logX ? " (log)" : ""), yLabel + (logY ? " (log)" : ""));
        plot.ShowLegend(Edge.Right); // beside the axes, never over the data
        return plot;
    }

    /// <summary>One bar per label.</summary>
    public static string Bars(
        string pathWithoutExtension,
        string title,
        string yLabel,
        IReadOnlyList<string> labels,
        IReadOnlyList<double> values,
        int highlight = -1,
        string? valueFormat = null
    )
    {
        var plot = new Plot();
        var bars = labels
            .Select(
                (l, i) =>
                    new Bar
                    {
                        Position = i,
                        Value = values[i],
                        FillColor = i == highlight ? Colors.OrangeRed : Colors.SteelBlue,
                        // Each bar's value written on it (when asked): small differences stay readable.
                        Label = valueFormat is null ? "" : values[i].ToString(valueFormat),
                    }
            )
            .ToList();
        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, labels.Count).Select(i => (double)i).ToArray(), labels.ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = -60;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        plot.Axes.Bottom.MinimumSize = 30 + 7 * labels.Max(l => l.Length); // room for the rotated labels
        plot.Axes.Margins(bottom: 0);
        Decorate(plot, title, "", yLabel);
        return Save(plot, pathWithoutExtension, Math.Max(Width, 24 * labels.Count + 120), Height + 80);
    }

    /// <summary>A (rows × columns) heatmap with labelled axes (e.g. attention: query rows, key columns).</summary>
    public static string Heatmap(
        string pathWithoutExtension,
        string title,
        double[,] values,
        IReadOnlyList<string> rowLabels,
        IReadOnlyList<string> columnLabels,
        string xLabel = "attends to (key)"
    )
    {
        var plot = new Plot();
        var map = plot.Add.Heatmap(values);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        plot.Add.ColorBar(map);
        int rows = values.GetLength(0),
            cols = values.GetLength(1);
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, cols).Select(i => (double)i).ToArray(), columnLabels.ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = -70;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        plot.Axes.Bottom.MinimumSize = 30 + 7 * columnLabels.Max(l => l.Length);
        // ScottPlot draws row 0 of the array at the top; the labels follow it.
        plot.Axes.Left.SetTicks(
            Enumerable.Range(0, rows).Select(i => (double)(rows - 1 - i)).ToArray(),
            rowLabels.ToArray()
        );
        Decorate(plot, title, xLabel, "");
        int size = Math.Max(480, 18 * Math.Max(rows, cols) + 200);
        return Save(plot, pathWithoutExtension, size + 80, size);
    }

    static string Pow10(double v) =>
        Math.Abs(v - Math.Round(v)) < 1e-9
            ? (Math.Pow(10, Math.Round(v)) is var p && p >= 1e4 || p < 1e-3 ? $"1e{Math.Round(v)}" : p.ToString("G4"))
            : "";

    static void Decorate(Plot plot, string title, string xLabel, string yLabel)
    {
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
    }

    static string Save(Plot plot, string pathWithoutExtension, int width = Width, int height = Height)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(pathWithoutExtension))!);
        plot.SaveSvg(pathWithoutExtension + ".svg", width, height);
        plot.SavePng(pathWithoutExtension + ".png", width, height);
        return pathWithoutExtension + ".png";
    }
}
