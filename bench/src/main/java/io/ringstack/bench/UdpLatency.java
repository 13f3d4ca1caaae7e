package io.ringstack.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.util.Version;

/**
 * UDP request/response latency at a fixed offered load, corrected for coordinated omission, as a harness of its own:
 * JMH's sample mode times each call from when it starts, so a stalled reply would delay the next request and hide
 * the stall. Here the client's thread sends request {@code i} at the intended time {@code start + i / rate},
 * whatever the replies do, polls for replies between sends, and records each reply's latency from its request's
 * intended send time into an HdrHistogram (3 significant digits).
 * <p>
 * Paths ({@code path}): the engine's loopback ring ({@code loopback}: client and echo server on one engine on its
 * own thread); a cable between two NIC models, E1000 ({@code e1000}, the x86_64 profile) or VirtIO-net
 * ({@code virtio}, aarch64), the client's engine on its own thread and the server's embedded in its echo thread;
 * and the kernel's 127.0.0.1 with {@code java.nio} {@code DatagramChannel}s ({@code kernel}, the peer). Offered
 * loads ({@code rate}): 10 k, 0.1, 1 and 5 M requests/s of {@value #PAYLOAD} bytes. A load the path cannot keep
 * up with is said so: the run of a load stops once the client falls {@value #MAX_BEHIND_MS} ms behind its schedule,
 * and its result records the rate of requests answered ({@code rate.achieved}) below the load offered
 * ({@code rate.offered}); a reply lost to an overflowing ring or socket buffer lowers that rate too.
 * <p>
 * Each result is written in the shape of JMH's JSON results, so that the report reads them as it reads JMH's: mode
 * {@code sample}, the score the 99.99th percentile in µs, the percentiles 50 to 100 (max), and as secondary metrics
 * {@code gc.alloc.rate.norm} (bytes allocated by every thread of the JVM during the measurement, per request),
 * {@code gc.alloc.rate} (the same bytes per second of measurement, in MB/s as JMH gives it), and the two rates. A path whose server fails, or that answers no request, gives no result and the exit code is 1.
 * <p>
 * {@code UdpLatency --out FILE [--quick] [--filter REGEX]}: the filter selects by the name
 * {@code io.ringstack.bench.UdpLatency.roundTrip}, as JMH selects benchmarks; {@code --quick} measures 1 s after 0.5 s
 * of warm-up instead of 5 s after 2 s.
 */
public final class UdpLatency
{
    /** The name results carry, as a JMH benchmark's. */
    public static final String BENCHMARK = UdpLatency.class.getName() + ".roundTrip";
    /** The result's parameters, as JMH names a benchmark's: the path and the offered load in requests/s. */
    public static final String PATH_PARAM = "path";
    public static final String RATE_PARAM = "rate";
    /** The paths, in the order they run. */
    public static final List<String> PATHS = List.of("loopback", "e1000", "virtio", "kernel");
    /**
     * The offered loads, requests per second: those the issue asks for, 0.1, 1 and 5 M, and 10 k, a load every path
     * reaches on this project's machine, so that each has a latency to show.
     */
    public static final List<Long> RATES = List.of(10_000L, 100_000L, 1_000_000L, 5_000_000L);
    /** The request's length: a sequence number and padding. */
    public static final int PAYLOAD = 64;
    /** What a run of a load that falls this far behind its schedule stops at. */
    public static final long MAX_BEHIND_MS = 1000;
    /** The share of the offered load a path must reach for its latency to count. */
    public static final double REACHED = 0.95;

    /** The secondary metric of a result that is its offered load, requests/s. */
    public static final String RATE_OFFERED = "rate.offered";
    /** The secondary metric of a result that is the rate the client sent at, requests/s. */
    public static final String RATE_ACHIEVED = "rate.achieved";

    private static final double[] PERCENTILES = { 50, 90, 99, 99.9, 99.99, 100 };
    private static final long HIGHEST_NS = TimeUnit.SECONDS.toNanos(60);
    private static final long DRAIN_NS = TimeUnit.SECONDS.toNanos(1);
    private static final double NANOS_PER_MICRO = 1e3;

    private final long warmUpNs;
    private final long measureNs;
    private final Histogram histogram = new Histogram(HIGHEST_NS, 3);
    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private UdpLatency(final boolean quick)
    {
        warmUpNs = TimeUnit.MILLISECONDS.toNanos(quick ? 500 : 2_000);
        measureNs = TimeUnit.SECONDS.toNanos(quick ? 1 : 5);
    }

    /**
     * Run the selected paths and loads and write their results.
     *
     * @param args {@code --out FILE [--quick] [--filter REGEX]}.
     */
    public static void main(final String[] args) throws Exception
    {
        Path out = null;
        boolean quick = false;
        Pattern filter = null;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--out" -> out = Path.of(args[++i]);
                case "--quick" -> quick = true;
                case "--filter" -> filter = Pattern.compile(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        if (null == out)
        {
            throw new IllegalArgumentException("--out is missing");
        }
        if (null != filter && !filter.matcher(BENCHMARK).find())
        {
            return;
        }
        final UdpLatency harness = new UdpLatency(quick);
        final JsonArray results = new JsonArray();
        boolean failed = false;
        for (final String path : PATHS)
        {
            for (final long rate : RATES)
            {
                try
                {
                    results.add(harness.run(path, rate));
                }
                catch (final Exception ex)
                {
                    failed = true;
                    System.err.println("UdpLatency " + path + " at " + rate + "/s failed: " + ex.getMessage());
                }
            }
        }
        Files.writeString(out, new GsonBuilder().setPrettyPrinting().create().toJson(results),
            StandardCharsets.UTF_8);
        if (failed)
        {
            System.exit(1);
        }
    }

    /**
     * Warm up, then measure one path at one offered load.
     *
     * @return the result, in the shape of a JMH result.
     */
    private JsonObject run(final String path, final long rate) throws Exception
    {
        try (LatencyEndpoint endpoint = LatencyEndpoints.open(path, PAYLOAD))
        {
            final Schedule warmUp = schedule(endpoint, rate, warmUpNs, 0);
            final long allocatedBefore = allocatedBytes();
            final long measureStartNs = System.nanoTime();
            final Schedule measured = schedule(endpoint, rate, measureNs, warmUp.sent);
            final long measuredNs = System.nanoTime() - measureStartNs;
            final long allocated = allocatedBytes() - allocatedBefore;
            final double bytesPerRequest = (double)allocated / Math.max(1, measured.sent);
            final double megabytesPerSecond = allocated / (measuredNs / 1e9) / (1 << 20);
            final boolean reached = measured.achievedRate >= REACHED * rate;
            if (0 == measured.answered)
            {
                throw new IllegalStateException("no reply came back\n" + endpoint.diagnostics());
            }
            final JsonObject result = result(path, rate, bytesPerRequest, megabytesPerSecond, measured.achievedRate);
            System.out.printf("UdpLatency %-8s %,9d/s offered, %,12.0f/s reached%s: p50 %.1f µs, p99.99 %.1f µs, " +
                "max %.1f µs, %.3f B/request, %d replies lost%n", path, rate, measured.achievedRate,
                reached ? "" : " (not reached)",
                histogram.getValueAtPercentile(50) / NANOS_PER_MICRO,
                histogram.getValueAtPercentile(99.99) / NANOS_PER_MICRO, histogram.getMaxValue() / NANOS_PER_MICRO,
                bytesPerRequest, measured.sent - measured.answered);
            final long echoed = endpoint.echoed();
            if (echoed < measured.answered + warmUp.answered)
            {
                throw new IllegalStateException("the server echoed " + echoed + " but the client got " +
                    (measured.answered + warmUp.answered));
            }
            return result;
        }
    }

    /**
     * What one run of the schedule did.
     *
     * @param achievedRate requests answered per second of sending: below the offered load when the client could not
     *                     send on time, or when replies were lost because a ring or socket buffer overflowed.
     */
    private record Schedule(long sent, long answered, double achievedRate)
    {
    }

    /**
     * Send at {@code rate} for {@code durationNs}, record each reply's latency from its intended send time, then wait
     * up to a second for the replies still due.
     *
     * @param firstSequence the sequence number of the first request: requests of an earlier run that come back late
     *                      are not counted or recorded.
     */
    private Schedule schedule(final LatencyEndpoint endpoint, final long rate, final long durationNs,
        final long firstSequence)
    {
        histogram.reset();
        final double periodNs = 1e9 / rate;
        final long maxBehindNs = TimeUnit.MILLISECONDS.toNanos(MAX_BEHIND_MS);
        final long startNs = System.nanoTime();
        long sent = 0;
        long answered = 0;
        long nowNs = startNs;
        long lastSendNs = startNs;
        while (nowNs - startNs < durationNs)
        {
            final long intendedNs = startNs + (long)(sent * periodNs);
            while ((nowNs = System.nanoTime()) - intendedNs < 0)
            {
                answered += receive(endpoint, startNs, periodNs, firstSequence, nowNs);
            }
            if (nowNs - intendedNs > maxBehindNs)
            {
                break;
            }
            if (endpoint.send(firstSequence + sent))
            {
                sent++;
                lastSendNs = nowNs;
            }
            answered += receive(endpoint, startNs, periodNs, firstSequence, nowNs);
        }
        final long drainEndNs = System.nanoTime() + DRAIN_NS;
        while (answered < sent && (nowNs = System.nanoTime()) - drainEndNs < 0)
        {
            answered += receive(endpoint, startNs, periodNs, firstSequence, nowNs);
        }
        return new Schedule(sent, answered, answered * 1e9 / Math.max(1, lastSendNs - startNs));
    }

    /**
     * Take one reply, if one came, and record its latency from its request's intended send time.
     *
     * @return 1 for a reply of this run, else 0.
     */
    private int receive(final LatencyEndpoint endpoint, final long startNs, final double periodNs,
        final long firstSequence, final long nowNs)
    {
        final long sequence = endpoint.poll();
        if (sequence < firstSequence)
        {
            return 0;
        }
        final long intendedNs = startNs + (long)((sequence - firstSequence) * periodNs);
        histogram.recordValue(Math.min(HIGHEST_NS, Math.max(0, System.nanoTime() - intendedNs)));
        return 1;
    }

    private long allocatedBytes()
    {
        long total = 0;
        for (final long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds()))
        {
            total += Math.max(0, bytes);
        }
        return total;
    }

    /**
     * @return the histogram as a JMH result of mode {@code sample} in µs/op, its score the 99.99th percentile.
     */
    private JsonObject result(
        final String path,
        final long rate,
        final double bytesPerRequest,
        final double megabytesPerSecond,
        final double achievedRate)
    {
        final JsonObject percentiles = new JsonObject();
        for (final double percentile : PERCENTILES)
        {
            percentiles.addProperty(Double.toString(percentile), micros(percentile));
        }
        final JsonObject primary = new JsonObject();
        primary.addProperty("score", micros(99.99));
        primary.addProperty("scoreError", "NaN");
        primary.addProperty("scoreUnit", "us/op");
        primary.add("scorePercentiles", percentiles);

        final JsonObject secondary = new JsonObject();
        secondary.add("gc.alloc.rate.norm", metric(bytesPerRequest, "B/op"));
        secondary.add("gc.alloc.rate", metric(megabytesPerSecond, "MB/sec"));
        secondary.add(RATE_OFFERED, metric(rate, "ops/s"));
        secondary.add(RATE_ACHIEVED, metric(achievedRate, "ops/s"));

        final JsonObject params = new JsonObject();
        params.addProperty(PATH_PARAM, path);
        params.addProperty(RATE_PARAM, Long.toString(rate));

        final JsonObject result = new JsonObject();
        result.addProperty("jmhVersion", Version.getPlainVersion());
        result.addProperty("benchmark", BENCHMARK);
        result.addProperty("mode", Mode.SampleTime.shortLabel());
        result.addProperty("threads", 1);
        result.addProperty("forks", 1);
        result.addProperty("jvm", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        result.addProperty("jdkVersion", System.getProperty("java.version"));
        result.addProperty("vmName", System.getProperty("java.vm.name"));
        result.addProperty("vmVersion", System.getProperty("java.vm.version"));
        result.addProperty("warmupIterations", 1);
        result.addProperty("warmupTime", TimeUnit.NANOSECONDS.toSeconds(warmUpNs) + " s");
        result.addProperty("measurementIterations", 1);
        result.addProperty("measurementTime", TimeUnit.NANOSECONDS.toSeconds(measureNs) + " s");
        result.add("params", params);
        result.add("primaryMetric", primary);
        result.add("secondaryMetrics", secondary);
        return result;
    }

    private double micros(final double percentile)
    {
        return (100 == percentile ? histogram.getMaxValue() : histogram.getValueAtPercentile(percentile)) /
            NANOS_PER_MICRO;
    }

    private static JsonObject metric(final double score, final String unit)
    {
        final JsonObject metric = new JsonObject();
        metric.addProperty("score", score);
        metric.addProperty("scoreUnit", unit);
        return metric;
    }
}
