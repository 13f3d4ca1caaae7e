package io.ringstack.bench.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One result of a JMH run as JMH writes it with {@code -rf json}: a benchmark at one set of parameters, its primary
 * metric (score, error, unit and percentiles) and what {@code -prof gc} measured.
 *
 * @param benchmark   the benchmark's full name, {@code package.Class.method}.
 * @param mode        JMH's short name of the benchmark mode: {@code thrpt}, {@code avgt}, {@code sample}, {@code ss}.
 * @param params      the {@code @Param} values of this result, by name.
 * @param score       the primary metric's score, in {@code scoreUnit}.
 * @param scoreError  the half-width of its 99.9 % confidence interval, NaN when JMH had too few iterations.
 * @param scoreUnit   JMH's unit of the score, such as {@code ops/s} or {@code us/op}.
 * @param percentiles the score's percentiles by percent (0 to 100); latencies when the mode samples times.
 * @param bytesPerOp  {@code gc.alloc.rate.norm} from {@code -prof gc}, NaN without it.
 * @param secondary   the score of every secondary metric, by its name ({@code ·} removed).
 * @param settings    how JMH ran it.
 * @param jvm         the JVM the fork ran on.
 */
public record JmhResult(
    String benchmark,
    String mode,
    SortedMap<String, String> params,
    double score,
    double scoreError,
    String scoreUnit,
    SortedMap<Double, Double> percentiles,
    double bytesPerOp,
    SortedMap<String, Double> secondary,
    Settings settings,
    Jvm jvm)
{
    /** The mode JMH writes for throughput. */
    public static final String THROUGHPUT = "thrpt";
    /** The mode JMH writes for sampled times, whose percentiles are latencies. */
    public static final String SAMPLE_TIME = "sample";

    private static final String ALLOCATION_METRIC = "gc.alloc.rate.norm";
    private static final String OPS_PER = "ops/";
    private static final String PER_OP = "/op";

    /**
     * How JMH ran a benchmark: forks, warm-up and measurement.
     *
     * @param forks                 forks measured.
     * @param warmupIterations      warm-up iterations per fork.
     * @param warmupTime            time of each, as JMH wrote it ({@code "1 s"}).
     * @param measurementIterations measurement iterations per fork.
     * @param measurementTime       time of each.
     */
    public record Settings(
        int forks, int warmupIterations, String warmupTime, int measurementIterations, String measurementTime)
    {
        /**
         * @return the settings as a reader wants them: {@code "1 fork, 3 × 2 s warm-up, 5 × 2 s measurement"}.
         */
        public String describe()
        {
            return forks + (1 == forks ? " fork, " : " forks, ") + warmupIterations + " × " + warmupTime +
                " warm-up, " + measurementIterations + " × " + measurementTime + " measurement";
        }
    }

    /**
     * The JVM a fork ran on, as JMH reports it.
     *
     * @param jmhVersion the JMH version.
     * @param jdkVersion the JDK's version ({@code 17.0.15}).
     * @param vmName     the VM's name ({@code OpenJDK 64-Bit Server VM}).
     * @param vmVersion  the VM's full version.
     * @param path       the java executable.
     */
    public record Jvm(String jmhVersion, String jdkVersion, String vmName, String vmVersion, String path)
    {
    }

    /**
     * Read every result of a JMH JSON result file.
     *
     * @param file written by JMH with {@code -rf json}.
     * @return its results, in the file's order.
     * @throws IOException           if the file cannot be read.
     * @throws IllegalStateException if the file is not a JMH JSON result file.
     */
    public static List<JmhResult> read(final Path file) throws IOException
    {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            final JsonElement root = JsonParser.parseReader(reader);
            if (!root.isJsonArray())
            {
                throw new IllegalStateException("no array of results");
            }
            final List<JmhResult> results = new ArrayList<>();
            for (final JsonElement element : root.getAsJsonArray())
            {
                results.add(parse(element.getAsJsonObject()));
            }
            return results;
        }
        catch (final RuntimeException ex) // Gson's parse errors, and elements of the wrong shape or missing
        {
            final String why = null == ex.getMessage() ? ex.getClass().getSimpleName() : ex.getMessage();
            throw new IllegalStateException("not a JMH JSON result file: " + file + " (" + why + ")", ex);
        }
    }

    /**
     * @return what this is a result of.
     */
    public BenchmarkId id()
    {
        return new BenchmarkId(benchmark, mode, params);
    }

    /**
     * @param metric the name of a secondary metric.
     * @return its score, NaN when the result has none.
     */
    public double secondary(final String metric)
    {
        return secondary.getOrDefault(metric, Double.NaN);
    }

    /**
     * @return whether the score is a rate, operations per unit of time.
     */
    public boolean isRate()
    {
        return scoreUnit.startsWith(OPS_PER);
    }

    /**
     * @return whether the percentiles are latencies: times per operation, sampled one by one.
     */
    public boolean hasLatencyPercentiles()
    {
        return SAMPLE_TIME.equals(mode) && scoreUnit.endsWith(PER_OP) && !percentiles.isEmpty();
    }

    /**
     * @param value a value in {@link #scoreUnit()}, which must be a rate.
     * @return the value in operations per second.
     */
    public double perSecond(final double value)
    {
        if (!isRate())
        {
            throw new IllegalStateException(benchmark + ": " + scoreUnit + " is not a rate");
        }
        return value / secondsIn(scoreUnit.substring(OPS_PER.length()));
    }

    /**
     * @param value a value in {@link #scoreUnit()}, which must be a time per operation.
     * @return the value in seconds per operation.
     */
    public double secondsPerOp(final double value)
    {
        if (!scoreUnit.endsWith(PER_OP))
        {
            throw new IllegalStateException(benchmark + ": " + scoreUnit + " is not a time per operation");
        }
        return value * secondsIn(scoreUnit.substring(0, scoreUnit.length() - PER_OP.length()));
    }

    private static double secondsIn(final String timeUnit)
    {
        return switch (timeUnit)
        {
            case "ns" -> 1e-9;
            case "us" -> 1e-6;
            case "ms" -> 1e-3;
            case "s" -> 1;
            case "min" -> 60;
            case "hr" -> 3600;
            case "day" -> 86_400;
            default -> throw new IllegalStateException("unknown JMH time unit: " + timeUnit);
        };
    }

    private static JmhResult parse(final JsonObject json)
    {
        final JsonObject primary = field(json, "primaryMetric").getAsJsonObject();

        return new JmhResult(
            field(json, "benchmark").getAsString(),
            field(json, "mode").getAsString(),
            params(json.getAsJsonObject("params")),
            field(primary, "score").getAsDouble(),
            field(primary, "scoreError").getAsDouble(),
            field(primary, "scoreUnit").getAsString(),
            percentiles(primary.getAsJsonObject("scorePercentiles")),
            bytesPerOp(json.getAsJsonObject("secondaryMetrics")),
            secondary(json.getAsJsonObject("secondaryMetrics")),
            new Settings(
                field(json, "forks").getAsInt(),
                field(json, "warmupIterations").getAsInt(),
                field(json, "warmupTime").getAsString(),
                field(json, "measurementIterations").getAsInt(),
                field(json, "measurementTime").getAsString()),
            new Jvm(
                field(json, "jmhVersion").getAsString(),
                field(json, "jdkVersion").getAsString(),
                field(json, "vmName").getAsString(),
                field(json, "vmVersion").getAsString(),
                field(json, "jvm").getAsString()));
    }

    private static JsonElement field(final JsonObject json, final String name)
    {
        final JsonElement element = json.get(name);
        if (null == element)
        {
            throw new IllegalStateException("no " + name);
        }
        return element;
    }

    private static SortedMap<String, String> params(final JsonObject json)
    {
        final SortedMap<String, String> params = new TreeMap<>();
        if (null != json)
        {
            json.entrySet().forEach((entry) -> params.put(entry.getKey(), entry.getValue().getAsString()));
        }
        return Collections.unmodifiableSortedMap(params);
    }

    private static SortedMap<Double, Double> percentiles(final JsonObject json)
    {
        final SortedMap<Double, Double> percentiles = new TreeMap<>();
        if (null != json)
        {
            json.entrySet().forEach(
                (entry) -> percentiles.put(Double.parseDouble(entry.getKey()), entry.getValue().getAsDouble()));
        }
        return Collections.unmodifiableSortedMap(percentiles);
    }

    private static SortedMap<String, Double> secondary(final JsonObject json)
    {
        final SortedMap<String, Double> scores = new TreeMap<>();
        if (null != json)
        {
            json.entrySet().forEach((metric) -> scores.put(metric.getKey().replace("\u00b7", ""),
                metric.getValue().getAsJsonObject().get("score").getAsDouble()));
        }
        return Collections.unmodifiableSortedMap(scores);
    }

    /**
     * JMH 1.37 names the metric {@code gc.alloc.rate.norm}; earlier versions put a {@code ·} in front of it.
     */
    private static double bytesPerOp(final JsonObject secondary)
    {
        if (null != secondary)
        {
            for (final Map.Entry<String, JsonElement> metric : secondary.entrySet())
            {
                if (metric.getKey().replace("\u00b7", "").equals(ALLOCATION_METRIC))
                {
                    return metric.getValue().getAsJsonObject().get("score").getAsDouble();
                }
            }
        }
        return Double.NaN;
    }
}
