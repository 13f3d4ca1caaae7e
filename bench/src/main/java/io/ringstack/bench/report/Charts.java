package io.ringstack.bench.report;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's charts, drawn by JFreeChart into PNG files: throughput by frame size, with error bars and the
 * targets, and latency percentiles. A chart with nothing to draw is not written.
 */
final class Charts
{
    /** Width of every chart, in pixels. */
    static final int WIDTH = 900;
    /** Height of every chart, in pixels. */
    static final int HEIGHT = 500;

    private static final double[] LATENCY_PERCENTILES = { 50, 90, 99, 99.9, 99.99, 99.999, 100 };
    private static final double MICROSECONDS_PER_SECOND = 1e6;
    private static final String LATENCY_AXIS = "µs per operation (log scale)";
    /** Room above the highest bar or target line, so that neither touches the top. */
    private static final double HEADROOM = 1.1;

    private Charts()
    {
    }

    /**
     * Draw the measured rows of an area that have a frame size: one bar per row and frame size, with the row's
     * error as its error bar, and a line at each figure target.
     *
     * @param area      the area the rows belong to.
     * @param rows      the area's rows.
     * @param directory where to write the chart.
     * @return the file written, or {@code null} when no row had a figure to draw.
     * @throws IOException if the file cannot be written.
     */
    static Path throughput(final Area area, final List<Row> rows, final Path directory) throws IOException
    {
        final List<Row> drawn = rows.stream()
            .filter((row) -> Row.Status.MEASURED == row.status() && row.entry().frameSize() > 0)
            .toList();
        if (drawn.isEmpty())
        {
            return null;
        }

        final DefaultStatisticalCategoryDataset dataset = new DefaultStatisticalCategoryDataset();
        final Map<String, ValueMarker> targets = new LinkedHashMap<>();
        double top = 0;
        for (final Row row : drawn)
        {
            final CatalogueEntry entry = row.entry();
            final double error = Double.isFinite(row.error()) ? row.error() : 0;
            dataset.add(row.figure(), error, entry.name(), entry.frameSize() + " B");
            top = Math.max(top, row.figure() + error);
            if (null != entry.target() && Target.Measure.FIGURE == entry.target().measure())
            {
                final ValueMarker marker = targets.get(entry.describeTarget());
                if (null == marker)
                {
                    targets.put(entry.describeTarget(), marker(entry));
                }
                else
                {
                    marker.setLabel(marker.getLabel() + ", " + entry.name());
                }
                top = Math.max(top, entry.target().bound());
            }
        }

        final JFreeChart chart = ChartFactory.createBarChart(
            area.title() + ": throughput by frame size", "frame size", drawn.get(0).entry().unit().label(), dataset);
        final CategoryPlot plot = plainPlot(chart);
        final StatisticalBarRenderer renderer = new StatisticalBarRenderer();
        renderer.setErrorIndicatorPaint(Color.BLACK);
        plot.setRenderer(renderer);
        plot.getRangeAxis().setRange(0, top * HEADROOM);
        targets.values().forEach(plot::addRangeMarker);

        return save(chart, directory.resolve("throughput-" + area.slug() + ".png"));
    }

    /**
     * Draw the latency percentiles of results that sampled times, one line per result.
     *
     * @param area      the area the results belong to.
     * @param results   the results by the label of their line.
     * @param directory where to write the chart.
     * @return the file written, or {@code null} when no result had latency percentiles.
     * @throws IOException if the file cannot be written.
     */
    static Path latency(final Area area, final Map<String, JmhResult> results, final Path directory)
        throws IOException
    {
        final DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        results.forEach((label, result) ->
        {
            if (result.hasLatencyPercentiles())
            {
                for (final double percentile : LATENCY_PERCENTILES)
                {
                    final Double value = result.percentiles().get(percentile);
                    if (null != value && value > 0)
                    {
                        dataset.addValue(
                            result.secondsPerOp(value) * MICROSECONDS_PER_SECOND, label, percentileLabel(percentile));
                    }
                }
            }
        });
        if (0 == dataset.getRowCount())
        {
            return null;
        }

        final JFreeChart chart = ChartFactory.createLineChart(
            area.title() + ": latency percentiles", "percentile", LATENCY_AXIS, dataset);
        final LogAxis axis = new LogAxis(LATENCY_AXIS);
        axis.setSmallestValue(1e-3);
        axis.setTickUnit(new NumberTickUnit(1)); // one decade
        axis.setNumberFormatOverride(new DecimalFormat("0.###", DecimalFormatSymbols.getInstance(Locale.ROOT)));
        final CategoryPlot plot = plainPlot(chart);
        plot.setRangeAxis(axis);
        final LineAndShapeRenderer renderer = (LineAndShapeRenderer)plot.getRenderer();
        renderer.setDefaultShapesVisible(true);
        renderer.setDefaultStroke(new BasicStroke(2f));
        renderer.setAutoPopulateSeriesStroke(false);

        return save(chart, directory.resolve("latency-" + area.slug() + ".png"));
    }

    /**
     * @return a dashed line at the entry's target, labelled with the target and the entry's name.
     */
    private static ValueMarker marker(final CatalogueEntry entry)
    {
        final ValueMarker marker = new ValueMarker(entry.target().bound());
        marker.setPaint(Color.RED);
        marker.setStroke(new BasicStroke(
            1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] { 6f, 4f }, 0f));
        marker.setLabel("target " + entry.describeTarget() + ": " + entry.name());
        marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        marker.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
        return marker;
    }

    /**
     * @return the chart's plot, on white with grey grid lines, as it reads best on a page.
     */
    private static CategoryPlot plainPlot(final JFreeChart chart)
    {
        final CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }

    private static String percentileLabel(final double percentile)
    {
        return 100 == percentile ? "max" : "p" + BigDecimal.valueOf(percentile).stripTrailingZeros().toPlainString();
    }

    private static Path save(final JFreeChart chart, final Path file) throws IOException
    {
        Files.createDirectories(file.getParent());
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
        return file;
    }
}
