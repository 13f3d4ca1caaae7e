package io.ringstack.drivers.soak;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/**
 * What the process holds at one moment of a soak: heap in use after a full collection, direct and mapped buffers
 * (the off-heap memory of the engines' rings, guest memory and counters), live threads, open file descriptors
 * ({@code /proc/self/fd}), and the one-minute load average.
 *
 * @param seconds seconds since the soak began.
 */
record ResourceSample(
    long seconds, long heapBytes, long directBytes, long mappedBytes, int threads, long descriptors, String load)
{
    private static final long MIB = 1 << 20;

    static ResourceSample take(final long seconds)
    {
        System.gc();
        final long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new ResourceSample(seconds, heap, pool("direct"), pool("mapped"),
            ManagementFactory.getThreadMXBean().getThreadCount(), openDescriptors(), loadAverage());
    }

    static String header()
    {
        return String.format("%8s %10s %11s %11s %8s %6s %6s", "t (s)", "heap MiB", "direct MiB", "mapped MiB",
            "threads", "fds", "load");
    }

    String row()
    {
        return String.format("%8d %10.1f %11.1f %11.1f %8d %6d %6s", seconds, (double)heapBytes / MIB,
            (double)directBytes / MIB, (double)mappedBytes / MIB, threads, descriptors, load);
    }

    /**
     * Flat: the largest value of the last third of {@code samples} is at most the largest of the first third plus
     * {@code slack}.
     *
     * @return {@code null} when flat, else what grew, with both maxima and the slack.
     */
    static String growth(
        final List<ResourceSample> samples, final String what, final ToLongFunction<ResourceSample> value,
        final long slack)
    {
        final int third = Math.max(1, samples.size() / 3);
        final long firstMax = samples.subList(0, third).stream().mapToLong(value).max().orElseThrow();
        final long lastMax = samples.subList(samples.size() - third, samples.size()).stream().mapToLong(value).max()
            .orElseThrow();
        return lastMax <= firstMax + slack ? null :
            what + " grew: last third's max " + lastMax + " > first third's max " + firstMax + " + " + slack;
    }

    /**
     * @return first, last, min and max of one column, for the report.
     */
    static String summary(
        final List<ResourceSample> samples, final String what, final ToLongFunction<ResourceSample> value)
    {
        return String.format("%-10s first %d, last %d, min %d, max %d", what, value.applyAsLong(samples.get(0)),
            value.applyAsLong(samples.get(samples.size() - 1)), samples.stream().mapToLong(value).min().orElseThrow(),
            samples.stream().mapToLong(value).max().orElseThrow());
    }

    private static long pool(final String name)
    {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
            .filter((pool) -> pool.getName().equals(name)).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
    }

    private static long openDescriptors()
    {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd")))
        {
            return fds.count();
        }
        catch (final IOException ex)
        {
            return -1;
        }
    }

    private static String loadAverage()
    {
        try
        {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        }
        catch (final IOException ex)
        {
            return "?";
        }
    }
}
