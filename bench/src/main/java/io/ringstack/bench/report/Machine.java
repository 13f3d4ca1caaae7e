package io.ringstack.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The machine a run measured on, as far as it tells: CPU, memory, operating system and the JDK of the report.
 *
 * @param cpuModel    the CPU's model name, {@code unknown CPU} where {@code /proc/cpuinfo} does not say.
 * @param cpus        logical CPUs the JVM sees.
 * @param memoryBytes physical memory, 0 where {@code /proc/meminfo} does not say.
 * @param os          operating system, version and architecture.
 * @param javaHome    the home of the JDK the report runs on.
 * @param javaVendor  its vendor.
 * @param loadAverage the load averages over 1, 5 and 15 minutes, empty where {@code /proc/loadavg} is missing.
 */
public record Machine(
    String cpuModel, int cpus, long memoryBytes, String os, String javaHome, String javaVendor, String loadAverage)
{
    private static final Path CPU_INFO = Path.of("/proc/cpuinfo");
    private static final Path MEMORY_INFO = Path.of("/proc/meminfo");
    private static final Path LOAD_AVERAGE = Path.of("/proc/loadavg");
    private static final int LOAD_AVERAGE_FIELDS = 3;

    /**
     * @return this machine, now.
     */
    public static Machine probe()
    {
        final String model = field(lines(CPU_INFO), "model name");
        final String memory = field(lines(MEMORY_INFO), "MemTotal");
        final List<String> load = lines(LOAD_AVERAGE);

        return new Machine(
            null == model ? "unknown CPU" : model,
            Runtime.getRuntime().availableProcessors(),
            null == memory ? 0 : kilobytes(memory) * 1024,
            System.getProperty("os.name") + " " + System.getProperty("os.version") + " (" +
                System.getProperty("os.arch") + ")",
            System.getProperty("java.home"),
            System.getProperty("java.vendor"),
            load.isEmpty() ? "" : String.join(" ", List.of(load.get(0).split(" ")).subList(0, LOAD_AVERAGE_FIELDS)));
    }

    /**
     * @return CPU, memory and operating system in one line.
     */
    public String describe()
    {
        final StringBuilder text = new StringBuilder()
            .append(cpuModel).append(", ").append(cpus).append(" logical CPUs");
        if (memoryBytes > 0)
        {
            text.append(", ").append(String.format(Locale.ROOT, "%.1f GiB", memoryBytes / (double)(1L << 30)));
        }
        return text.append(", ").append(os).toString();
    }

    private static List<String> lines(final Path file)
    {
        try
        {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        catch (final IOException | SecurityException ex)
        {
            return List.of();
        }
    }

    /**
     * @return the value of the first {@code name : value} line of that name, or {@code null}.
     */
    private static String field(final List<String> lines, final String name)
    {
        for (final String line : lines)
        {
            final int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(name))
            {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static long kilobytes(final String value)
    {
        return Long.parseLong(value.replace("kB", "").trim());
    }
}
