package io.ringstack.bench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The golden JMH result file of the report tests, {@code jmh-results.json}: results of the suite's benchmarks with
 * round figures, one without an error, one with the allocation metric's older name, and one sampled-time result.
 */
final class ReportFixture
{
    /** A run of the suite on a made-up machine. */
    static final RunInfo RUN = new RunInfo(
        Instant.parse("2026-11-24T11:20:00Z"),
        Duration.ofSeconds(134),
        "ringstack bench --quick --out bench",
        "java -jar bench/target/benchmarks.jar -f 1 -wi 1 -w 1 -i 5 -r 1 -prof gc -rf json -rff bench/results.json",
        "`0123456789ab`",
        new Machine("Test CPU", 2, 8L << 30, "Linux 6.1 (amd64)", "/opt/jdk-17", "Test Vendor", "0.50 0.40 0.30"));

    private ReportFixture()
    {
    }

    static Path file()
    {
        try
        {
            return Path.of(ReportFixture.class.getResource("jmh-results.json").toURI());
        }
        catch (final URISyntaxException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    static List<JmhResult> results()
    {
        try
        {
            return JmhResult.read(file());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * @return a throughput benchmark of the suite by its short name, at the given parameters (name, value, ...).
     */
    static BenchmarkId id(final String shortName, final String... params)
    {
        final SortedMap<String, String> values = new TreeMap<>();
        for (int i = 0; i < params.length; i += 2)
        {
            values.put(params[i], params[i + 1]);
        }
        return new BenchmarkId(
            "io.ringstack.bench." + shortName, JmhResult.THROUGHPUT, Collections.unmodifiableSortedMap(values));
    }
}
