package io.ringstack.bench.report;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the report knows of one benchmark result: where it belongs, what it measures, what it is compared with and
 * what it must reach. Declared in {@link Catalogue}.
 *
 * @param area      the table it is a row of.
 * @param id        the JMH result it reads: benchmark, mode and parameters.
 * @param name      what it measures, in a few words.
 * @param frameSize the frame size in bytes, for the chart of throughput by frame size; 0 if it has none.
 * @param unit      the unit its figure is shown in.
 * @param isPeer    whether it is a yardstick for other rows rather than a path of the engine's own.
 * @param peer      the entry its figure is compared with, or {@code null}.
 * @param ratio     how the comparison with the peer reads, or {@code null} without a peer.
 * @param target    what it must reach, or {@code null}.
 */
public record CatalogueEntry(
    Area area,
    BenchmarkId id,
    String name,
    int frameSize,
    FigureUnit unit,
    boolean isPeer,
    CatalogueEntry peer,
    Ratio ratio,
    Target target)
{
    /**
     * A path of the engine's own: its figure is subject to the targets and to 0 B/op.
     *
     * @param area      the table it is a row of.
     * @param benchmark the benchmark class.
     * @param method    the benchmark method.
     * @param name      what it measures, in a few words.
     * @param unit      the unit of its figure; one operation of the benchmark is one of the unit's things.
     * @return the entry, without parameters, frame size, peer or target.
     */
    public static CatalogueEntry path(
        final Area area, final Class<?> benchmark, final String method, final String name, final FigureUnit unit)
    {
        return new CatalogueEntry(area, id(benchmark, method), name, 0, unit, false, null, null, null);
    }

    /**
     * A yardstick: measured in the same run so that other rows can be read against it.
     *
     * @param area      the table it is a row of.
     * @param benchmark the benchmark class.
     * @param method    the benchmark method.
     * @param name      what it measures, in a few words.
     * @param unit      the unit of its figure.
     * @return the entry, without parameters, frame size, peer or target.
     */
    public static CatalogueEntry peer(
        final Area area, final Class<?> benchmark, final String method, final String name, final FigureUnit unit)
    {
        return new CatalogueEntry(area, id(benchmark, method), name, 0, unit, true, null, null, null);
    }

    /**
     * @param name  a {@code @Param} of the benchmark.
     * @param value the value this entry reads.
     * @return this entry at that parameter value too.
     */
    public CatalogueEntry param(final String name, final String value)
    {
        final SortedMap<String, String> params = new TreeMap<>(id.params());
        params.put(name, value);
        return new CatalogueEntry(
            area, new BenchmarkId(id.benchmark(), id.mode(), Collections.unmodifiableSortedMap(params)), this.name,
            frameSize, unit, isPeer, peer, ratio, target);
    }

    /**
     * @param name what this entry measures, in a few words.
     * @return this entry under another name, for a second row of the same benchmark at other parameter values.
     */
    public CatalogueEntry named(final String name)
    {
        return new CatalogueEntry(area, id, name, frameSize, unit, isPeer, peer, ratio, target);
    }

    /**
     * @return this entry reading a result of JMH's sample mode, or of a harness that writes its results so.
     */
    public CatalogueEntry sampled()
    {
        return new CatalogueEntry(area, new BenchmarkId(id.benchmark(), JmhResult.SAMPLE_TIME, id.params()), name,
            frameSize, unit, isPeer, peer, ratio, target);
    }

    /**
     * @param bytes the size of the frames the benchmark moves.
     * @return this entry with a frame size, so that it is drawn in its area's throughput chart.
     */
    public CatalogueEntry frameSize(final int bytes)
    {
        return new CatalogueEntry(area, id, name, bytes, unit, isPeer, peer, ratio, target);
    }

    /**
     * @param peer  the entry to compare with, in the same unit.
     * @param ratio how the comparison reads.
     * @return this entry compared with the peer.
     */
    public CatalogueEntry against(final CatalogueEntry peer, final Ratio ratio)
    {
        return new CatalogueEntry(area, id, name, frameSize, unit, isPeer, peer, ratio, target);
    }

    /**
     * @param target what the figure or its ratio must reach.
     * @return this entry with the target.
     */
    public CatalogueEntry target(final Target target)
    {
        return new CatalogueEntry(area, id, name, frameSize, unit, isPeer, peer, ratio, target);
    }

    /**
     * @return the target as the report writes it: {@code ≥ 30 M frames/s}, {@code ≥ 1.5×}, {@code ≤ 10 %}.
     */
    public String describeTarget()
    {
        final String bound = target.comparison() + " ";
        if (Target.Measure.FIGURE == target.measure())
        {
            return bound + Figures.significant(target.bound()) + " " + unit.label();
        }
        return bound + ratio.format(target.bound()) + (Ratio.COST == ratio ? " cost" : " the peer");
    }

    private static BenchmarkId id(final Class<?> benchmark, final String method)
    {
        return new BenchmarkId(
            benchmark.getCanonicalName() + "." + method, JmhResult.THROUGHPUT, Collections.emptySortedMap());
    }
}
