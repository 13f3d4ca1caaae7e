package io.ringstack.bench.report;

import io.ringstack.bench.AllocationFloorBenchmark;
import io.ringstack.bench.UdpLatency;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The benchmark report of one run: {@code REPORT.md}, with the machine, the JDK, the date, the commit and the
 * commands, then one table per {@link Area} of every {@link Catalogue} entry (figure and error, peer figure and
 * ratio, target and verdict, B/op), a row saying "not run" or "failed" for an entry without a result; and PNG charts
 * beside it in {@value #CHARTS_DIRECTORY}: throughput by frame size, and latency percentiles where a result has them.
 */
public final class BenchReport
{
    /** The report's file name. */
    public static final String REPORT_FILE = "REPORT.md";
    /** The directory beside the report that holds its charts. */
    public static final String CHARTS_DIRECTORY = "charts";
    /**
     * Below this, {@code gc.alloc.rate.norm} is JMH's own bookkeeping (a few kilobytes per iteration) spread over
     * millions of operations: the path allocates nothing.
     */
    public static final double ZERO_BYTES_PER_OP = 0.01;
    /**
     * The benchmark that allocates nothing: its {@code gc.alloc.rate} is the fork's own background allocation.
     */
    public static final String ALLOCATION_FLOOR = AllocationFloorBenchmark.class.getName() + ".idle";
    /**
     * A path whose {@code gc.alloc.rate} is at most this many times the floor's allocates nothing of its own: forks
     * differ in their background by less than this (measured 0.003–0.005 MB/s on the project's machine).
     */
    public static final double FLOOR_TOLERANCE = 2;
    private static final String ALLOCATION_RATE = "gc.alloc.rate";

    /** The percentiles of the latency tables: p50 to max. */
    private static final double[] LATENCY_COLUMNS = { 50, 90, 99, 99.9, 99.99, 100 };
    private static final double MICROSECONDS_PER_SECOND = 1e6;

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
        .withZone(ZoneOffset.UTC);

    private final Map<Area, List<Row>> rows = new EnumMap<>(Area.class);
    private final List<JmhResult> others = new ArrayList<>();
    private final List<JmhResult> results;
    private final JmhResult allocationFloor;
    private final RunInfo run;

    /**
     * Read a run's results against a catalogue.
     *
     * @param catalogue the entries the tables show, in order.
     * @param results   the run's results.
     * @param selected  what the run was asked to measure: a selected entry without a result "failed", an entry that
     *                  was not selected was "not run".
     * @param run       how the run came about.
     */
    public BenchReport(
        final List<CatalogueEntry> catalogue,
        final List<JmhResult> results,
        final Set<BenchmarkId> selected,
        final RunInfo run)
    {
        this.results = List.copyOf(results);
        this.run = run;

        final Map<BenchmarkId, JmhResult> byId = new HashMap<>();
        results.forEach((result) -> byId.put(result.id(), result));
        final Set<BenchmarkId> known = new HashSet<>();
        for (final CatalogueEntry entry : catalogue)
        {
            final JmhResult result = byId.get(entry.id());
            final Row.Status status = null != result ? Row.Status.MEASURED :
                selected.contains(entry.id()) ? Row.Status.FAILED : Row.Status.NOT_RUN;
            final JmhResult peerResult = null == entry.peer() ? null : byId.get(entry.peer().id());
            rows.computeIfAbsent(entry.area(), (area) -> new ArrayList<>())
                .add(new Row(entry, status, result, peerResult));
            known.add(entry.id());
        }
        allocationFloor = results.stream()
            .filter((result) -> ALLOCATION_FLOOR.equals(result.benchmark()))
            .findFirst()
            .orElse(null);
        results.stream()
            .filter((result) -> !known.contains(result.id()) && result != allocationFloor)
            .forEach(others::add);
    }

    /**
     * Write the charts and the report into a directory, replacing the charts of an earlier report there.
     *
     * @param directory where {@value #REPORT_FILE} goes; created if missing.
     * @return the charts written.
     * @throws IOException if a file cannot be written.
     */
    public List<Path> write(final Path directory) throws IOException
    {
        final Path chartDirectory = directory.resolve(CHARTS_DIRECTORY);
        removeCharts(chartDirectory);

        final Map<Area, List<Path>> charts = new EnumMap<>(Area.class);
        final List<Path> written = new ArrayList<>();
        for (final Area area : Area.values())
        {
            final List<Path> areaCharts = new ArrayList<>();
            addIfWritten(areaCharts, Charts.throughput(area, rows(area), chartDirectory));
            addIfWritten(areaCharts, Charts.latency(area, latencySeries(area), chartDirectory));
            charts.put(area, areaCharts);
            written.addAll(areaCharts);
        }

        Files.createDirectories(directory);
        Files.writeString(directory.resolve(REPORT_FILE), markdown(directory, charts), StandardCharsets.UTF_8);
        return written;
    }

    private String markdown(final Path directory, final Map<Area, List<Path>> charts)
    {
        final StringBuilder text = new StringBuilder();
        header(text);
        for (final Area area : Area.values())
        {
            if (Area.OTHER == area ? others.isEmpty() : rows(area).isEmpty())
            {
                continue;
            }
            text.append("\n## ").append(area.title()).append("\n\n");
            if (Area.OTHER == area)
            {
                otherTable(text);
            }
            else
            {
                areaTable(text, rows(area));
                percentileTable(text, rows(area));
            }
            for (final Path chart : charts.get(area))
            {
                text.append("\n![").append(chart.getFileName()).append("](")
                    .append(directory.relativize(chart).toString().replace('\\', '/')).append(")\n");
            }
        }
        allocation(text);
        return text.toString();
    }

    private void header(final StringBuilder text)
    {
        final Machine machine = run.machine();
        text.append("# ringstack benchmarks\n\n")
            .append("Measured on ").append(DATE.format(run.started())).append(", in ").append(format(run.took()))
            .append(".\n\n")
            .append("* **machine:** ").append(machine.describe());
        if (!machine.loadAverage().isEmpty())
        {
            text.append("; load average ").append(machine.loadAverage()).append(" before the run");
        }
        text.append("\n")
            .append("* **JDK:** ").append(jdk(machine)).append("\n")
            .append("* **JMH:** ").append(jmh()).append("\n")
            .append("* **commit:** ").append(run.commit()).append("\n")
            .append("* **command:** `").append(run.command()).append("`\n")
            .append("* **JMH command:** `").append(run.jmhCommand()).append("`\n\n")
            .append("A figure is JMH's score, the mean of the measurement iterations, ± the half-width of its 99.9 % ")
            .append("confidence interval (`?` with too few iterations for one). A ratio is of the means: ")
            .append("`×` is the figure over its peer's, a cost is what the figure loses against its peer's. ")
            .append("B/op is `gc.alloc.rate.norm` of `-prof gc`. *not run*: the benchmark was not selected; ")
            .append("*failed*: it was selected but gave no result, because it failed its own checks or did not start ")
            .append("(the run's output says which).\n");
    }

    private String jdk(final Machine machine)
    {
        if (results.isEmpty())
        {
            return "no result";
        }
        return results.stream()
            .map(JmhResult::jvm)
            .map((jvm) -> jvm.jdkVersion() + " (" + jvm.vmName() + " " + jvm.vmVersion() +
                (Path.of(jvm.path()).startsWith(machine.javaHome()) ? ", " + machine.javaVendor() : "") + ")")
            .distinct()
            .collect(Collectors.joining("; "));
    }

    private String jmh()
    {
        if (results.isEmpty())
        {
            return "no result";
        }
        final Map<String, Integer> settings = new TreeMap<>();
        results.forEach((result) -> settings.merge(result.settings().describe(), 1, Integer::sum));
        final String version = results.stream().map((result) -> result.jvm().jmhVersion()).distinct()
            .collect(Collectors.joining(", "));
        if (1 == settings.size())
        {
            return version + "; " + settings.keySet().iterator().next();
        }
        return version + "; " + settings.entrySet().stream()
            .map((setting) -> setting.getKey() + " (" + count(setting.getValue(), "result") + ")")
            .collect(Collectors.joining("; "));
    }

    private static void areaTable(final StringBuilder text, final List<Row> rows)
    {
        text.append("| what | benchmark | figure | peer | ratio | target | verdict | B/op |\n")
            .append("|---|---|---:|---|---:|---|---|---:|\n");
        for (final Row row : rows)
        {
            final CatalogueEntry entry = row.entry();
            final boolean measured = Row.Status.MEASURED == row.status();
            text.append("| ").append(entry.name()).append(entry.frameSize() > 0 ? ", " + entry.frameSize() + " B" : "")
                .append(entry.isPeer() ? " (peer)" : "")
                .append(" | `").append(entry.id().describe()).append('`')
                .append(" | ").append(measured ? figure(row) : "*" + row.status().text() + "*")
                .append(" | ").append(peer(row))
                .append(" | ").append(measured && row.hasPeerFigure() ? entry.ratio().format(row.ratio()) : "")
                .append(" | ").append(null == entry.target() ? "" : entry.describeTarget())
                .append(" | ").append(verdict(row))
                .append(" | ").append(measured ? bytesPerOp(row.result()) : "")
                .append(" |\n");
        }
    }

    /**
     * The latency percentiles of an area's rows that have them, with the load offered and the rate reached.
     */
    private static void percentileTable(final StringBuilder text, final List<Row> rows)
    {
        final List<Row> sampled = rows.stream()
            .filter((row) -> Row.Status.MEASURED == row.status() && row.result().hasLatencyPercentiles())
            .toList();
        if (sampled.isEmpty())
        {
            return;
        }
        text.append("\nLatency percentiles, µs, from the intended send time of each request (coordinated omission ")
            .append("corrected). A load the path did not reach to ")
            .append(Figures.significant(100 * UdpLatency.REACHED))
            .append(" % is *not reached*: its percentiles are those of a path running behind its schedule.\n\n")
            .append("| what | p50 | p90 | p99 | p99.9 | p99.99 | max | offered | reached |\n")
            .append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (final Row row : sampled)
        {
            text.append("| ").append(row.entry().name()).append(row.entry().isPeer() ? " (peer)" : "");
            for (final double percentile : LATENCY_COLUMNS)
            {
                final Double value = row.result().percentiles().get(percentile);
                text.append(" | ").append(null == value ? "" :
                    Figures.significant(row.result().secondsPerOp(value) * MICROSECONDS_PER_SECOND));
            }
            text.append(" | ").append(rate(row.offeredRate()))
                .append(" | ").append(rate(row.achievedRate()))
                .append(row.reachedOfferedRate() ? "" : " *not reached*")
                .append(" |\n");
        }
    }

    private static String rate(final double perSecond)
    {
        return Double.isNaN(perSecond) ? "" : Figures.significant(perSecond / 1e6) + " M/s";
    }

    private void otherTable(final StringBuilder text)
    {
        text.append("Results the catalogue does not know, as JMH gave them.\n\n")
            .append("| benchmark | mode | score | B/op |\n")
            .append("|---|---|---:|---:|\n");
        for (final JmhResult result : others)
        {
            text.append("| `").append(result.id().describe()).append("` | ").append(result.mode())
                .append(" | ").append(Figures.significant(result.score())).append(" ± ")
                .append(Figures.significant(result.scoreError())).append(' ').append(result.scoreUnit())
                .append(" | ").append(bytesPerOp(result))
                .append(" |\n");
        }
    }

    private void allocation(final StringBuilder text)
    {
        final List<Row> paths = rows.values().stream()
            .flatMap(List::stream)
            .filter((row) -> Row.Status.MEASURED == row.status() && !row.entry().isPeer())
            .filter((row) -> !Double.isNaN(row.result().bytesPerOp()))
            .toList();
        text.append("\n## Allocation\n\n")
            .append("Target: 0 B/op on every path of the engine's own (the rows that are not peers). Below ")
            .append(Figures.significant(ZERO_BYTES_PER_OP))
            .append(" B/op, `gc.alloc.rate.norm` is JMH's own bookkeeping spread over the operations, and counts ")
            .append("as 0; the allocation tests of the build prove the exact 0.\n\n");
        allocationFloor(text);
        if (paths.isEmpty())
        {
            text.append("*not run*: no path of the engine's own was measured with `-prof gc`.\n");
            return;
        }
        final List<Row> overZero = paths.stream()
            .filter((row) -> row.result().bytesPerOp() >= ZERO_BYTES_PER_OP)
            .toList();
        final List<Row> background = overZero.stream().filter(this::withinFloor).toList();
        final List<Row> allocating = overZero.stream().filter((row) -> !withinFloor(row)).toList();
        final Row most = paths.stream()
            .filter((row) -> !background.contains(row))
            .max((a, b) -> Double.compare(a.result().bytesPerOp(), b.result().bytesPerOp()))
            .orElse(null);
        if (allocating.isEmpty())
        {
            text.append("**met** on ").append(1 == paths.size() ? "the" : "all").append(' ')
                .append(count(paths.size(), "path")).append(" measured");
            if (null != most)
            {
                text.append("; the most");
                if (!background.isEmpty())
                {
                    text.append(" outside the background");
                }
                text.append(" is ").append(bytesPerOp(most.result())).append(" B/op (`")
                    .append(most.entry().id().describe()).append("`)");
            }
            text.append(".\n");
        }
        else
        {
            text.append("**missed** on ").append(allocating.size()).append(" of ").append(paths.size())
                .append(" paths measured: ").append(listed(allocating)).append(".\n");
        }
        if (!background.isEmpty())
        {
            text.append("\nWithin the background (").append(count(background.size(), "path"))
                .append(", their `gc.alloc.rate` at most ").append(Figures.significant(FLOOR_TOLERANCE))
                .append("× the floor's, so 0 of their own): ").append(listed(background)).append(".\n");
        }
    }

    /**
     * What the fork's own threads allocate, from the benchmark that allocates nothing, when the run measured it.
     */
    private void allocationFloor(final StringBuilder text)
    {
        if (null == allocationFloor)
        {
            return;
        }
        text.append("Background: `").append(allocationFloor.id().describe()).append("`, which allocates nothing, ")
            .append("shows ").append(Figures.significant(allocationFloor.secondary(ALLOCATION_RATE)))
            .append(" MB/s at ").append(Figures.significant(allocationFloor.score())).append(' ')
            .append(allocationFloor.scoreUnit()).append(" (").append(bytesPerOp(allocationFloor))
            .append(" B/op): the fork's own threads. A path that runs few operations per second shows that rate ")
            .append("as a fraction of a byte per operation; one whose `gc.alloc.rate` stays within ")
            .append(Figures.significant(FLOOR_TOLERANCE)).append("× of it counts as 0.\n\n");
    }

    private boolean withinFloor(final Row row)
    {
        if (null == allocationFloor)
        {
            return false;
        }
        final double rate = row.result().secondary(ALLOCATION_RATE);
        return !Double.isNaN(rate) && rate <= FLOOR_TOLERANCE * allocationFloor.secondary(ALLOCATION_RATE);
    }

    private static String listed(final List<Row> rows)
    {
        return rows.stream()
            .map((row) -> "`" + row.entry().id().describe() + "` " + bytesPerOp(row.result()) + " B/op")
            .collect(Collectors.joining(", "));
    }

    /**
     * @return the rows of an area, in catalogue order; none for {@link Area#OTHER}.
     */
    private List<Row> rows(final Area area)
    {
        return rows.getOrDefault(area, List.of());
    }

    private static String figure(final Row row)
    {
        final String error = Double.isNaN(row.error()) && row.entry().unit().isLatency() ? "" :
            " ± " + Figures.significant(row.error());
        return Figures.significant(row.figure()) + error + " " + row.entry().unit().label();
    }

    private static String peer(final Row row)
    {
        final CatalogueEntry peer = row.entry().peer();
        if (null == peer)
        {
            return "";
        }
        final String figure = row.hasPeerFigure() ?
            Figures.significant(row.peerFigure()) + " " + row.entry().unit().label() : "*not measured*";
        return figure + ": " + peer.name();
    }

    /**
     * Met or missed, by how much in the target's own terms; "within the error" when the figure's error reaches
     * across the bound.
     */
    private static String verdict(final Row row)
    {
        final CatalogueEntry entry = row.entry();
        final Target target = entry.target();
        if (null == target)
        {
            return "";
        }
        if (Row.Status.MEASURED != row.status())
        {
            return "*" + row.status().text() + "*";
        }
        if (!row.reachedOfferedRate())
        {
            return "**missed**: the load was not reached, " + rate(row.achievedRate()) + " of " +
                rate(row.offeredRate());
        }
        final boolean onFigure = Target.Measure.FIGURE == target.measure();
        if (!onFigure && !row.hasPeerFigure())
        {
            return "*no peer figure*";
        }
        final double value = onFigure ? row.figure() : row.ratio();
        final double distance = Math.abs(value - target.bound());
        final String by;
        if (onFigure)
        {
            by = Figures.significant(distance) + " " + entry.unit().label() +
                (distance <= row.error() ? " (within the error)" : "");
        }
        else
        {
            by = Ratio.COST == entry.ratio() ?
                String.format(Locale.ROOT, "%.0f points", distance) : Figures.significant(distance) + "×";
        }
        return (target.isMetBy(value) ? "met by " : "**missed** by ") + by;
    }

    private static String bytesPerOp(final JmhResult result)
    {
        return Double.isNaN(result.bytesPerOp()) ? "" : Figures.significant(result.bytesPerOp());
    }

    /**
     * The results of an area that have latency percentiles, by the label of their line.
     */
    private Map<String, JmhResult> latencySeries(final Area area)
    {
        final Map<String, JmhResult> series = new LinkedHashMap<>();
        if (Area.OTHER == area)
        {
            others.forEach((result) -> series.put(result.id().describe(), result));
        }
        else
        {
            rows(area).stream()
                .filter((row) -> Row.Status.MEASURED == row.status())
                .forEach((row) -> series.put(row.entry().name(), row.result()));
        }
        series.values().removeIf((result) -> !result.hasLatencyPercentiles());
        return series;
    }

    private static void addIfWritten(final List<Path> charts, final Path chart)
    {
        if (null != chart)
        {
            charts.add(chart);
        }
    }

    /**
     * Remove the charts an earlier report left in a directory, and the directory if nothing else is in it.
     */
    private static void removeCharts(final Path directory) throws IOException
    {
        if (!Files.isDirectory(directory))
        {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "{throughput,latency}-*.png"))
        {
            for (final Path file : files)
            {
                Files.delete(file);
            }
        }
        try (Stream<Path> left = Files.list(directory))
        {
            if (left.findAny().isEmpty())
            {
                Files.delete(directory);
            }
        }
    }

    private static String count(final int count, final String thing)
    {
        return count + " " + thing + (1 == count ? "" : "s");
    }

    private static String format(final Duration duration)
    {
        final long seconds = duration.toSeconds();
        return seconds < 60 ? seconds + " s" : seconds / 60 + " min " + seconds % 60 + " s";
    }
}
