package io.ringstack.cli;

import io.ringstack.counters.CountersFile;
import io.ringstack.counters.CountersFileReader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code ringstack stat [DIR]}: the live counters of every engine whose counters file is in a directory, read from
 * another process as AeronStat reads Aeron's. Per engine: its name, owner pid and whether it still runs, its uptime,
 * then one {@code label  value} line per counter.
 */
@Command(
    name = "stat",
    mixinStandardHelpOptions = true,
    versionProvider = RingstackCommand.VersionProvider.class,
    description = "Live counters of running engines, read from their counters files.")
public final class StatCommand implements Callable<Integer>
{
    private static final DateTimeFormatter START_TIME_FORMAT =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @Spec
    CommandSpec spec;

    @Parameters(
        arity = "0..1",
        paramLabel = "DIR",
        description = "Directory of counters files, or one counters file (default: -D" + CountersFile.DIR_PROP_NAME +
            ", else $" + CountersFile.DIR_ENV_NAME + ", else ringstack-<user> in the temporary directory).")
    Path dir;

    @Option(names = { "-a", "--all" }, description = "Show counters that are zero too.")
    boolean showZeroCounters;

    @Option(
        names = { "-w", "--watch" },
        paramLabel = "SECONDS",
        description = "Report again every SECONDS seconds until interrupted.")
    Integer watchSeconds;

    @Option(
        names = { "-n", "--count" },
        paramLabel = "N",
        description = "With --watch: stop after N reports.")
    Integer count;

    /**
     * Print one report, or with {@code --watch} one report per interval until the output fails ({@code | head}).
     *
     * @return {@link RingstackCommand#EXIT_OK} if the last report read every counters file it found, otherwise
     * {@link RingstackCommand#EXIT_FAILURE}.
     */
    public Integer call()
    {
        validateOptions();

        final PrintWriter out = spec.commandLine().getOut();
        int reports = 0;
        while (true)
        {
            if (null != watchSeconds)
            {
                out.println("-- " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS));
            }

            final int exitCode = report(out);
            final boolean outputFailed = out.checkError();
            reports++;

            if (null == watchSeconds || (null != count && reports >= count) || outputFailed || !sleep(watchSeconds))
            {
                return exitCode;
            }
            out.println();
        }
    }

    private void validateOptions()
    {
        if (null != watchSeconds && watchSeconds < 1)
        {
            throw new ParameterException(spec.commandLine(), "--watch needs at least 1 second: " + watchSeconds);
        }

        if (null != count && null == watchSeconds)
        {
            throw new ParameterException(spec.commandLine(), "--count needs --watch");
        }

        if (null != count && count < 1)
        {
            throw new ParameterException(spec.commandLine(), "--count needs at least 1 report: " + count);
        }
    }

    private int report(final PrintWriter out)
    {
        final Path location = null == dir ? CountersFile.defaultDirectory() : dir;
        final List<Path> files = countersFiles(location);
        if (files.isEmpty())
        {
            RingstackCommand.printError(
                spec.commandLine(), "no counters files in " + location + " (no engine running)");
            return RingstackCommand.EXIT_FAILURE;
        }

        int exitCode = RingstackCommand.EXIT_OK;
        int printed = 0;
        for (final Path file : files)
        {
            try (CountersFileReader reader = CountersFileReader.open(file))
            {
                if (0 != printed)
                {
                    out.println();
                }
                printEngine(out, reader);
                printed++;
            }
            catch (final IllegalStateException ex)
            {
                out.flush();
                RingstackCommand.printError(spec.commandLine(), ex.getMessage());
                exitCode = RingstackCommand.EXIT_FAILURE;
            }
        }

        return exitCode;
    }

    private List<Path> countersFiles(final Path location)
    {
        if (Files.isRegularFile(location))
        {
            return List.of(location);
        }

        if (!Files.isDirectory(location))
        {
            if (null == dir)
            {
                return List.of(); // the default directory appears with the first engine
            }
            throw new IllegalStateException("no such directory: " + location);
        }

        try
        {
            return CountersFile.listFiles(location);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(
                "cannot list directory: " + location + " (" + ex.getClass().getSimpleName() + ")", ex);
        }
    }

    private void printEngine(final PrintWriter out, final CountersFileReader reader)
    {
        final StringBuilder title = new StringBuilder()
            .append(reader.engineName())
            .append("  pid ").append(reader.ownerPid());
        if (reader.isOwnerAlive())
        {
            final long uptimeMs = Math.max(0, System.currentTimeMillis() - reader.startTimestampMs());
            title.append(" running  uptime ").append(formatUptime(uptimeMs));
        }
        else
        {
            title.append(" not running  started ")
                .append(START_TIME_FORMAT.format(Instant.ofEpochMilli(reader.startTimestampMs())));
        }
        out.println(title);

        final List<CounterRow> rows = new ArrayList<>();
        reader.countersReader().forEach((value, counterId, label) -> rows.add(new CounterRow(label, value)));
        final List<CounterRow> shown = showZeroCounters ? rows : rows.stream().filter(CounterRow::isNonZero).toList();
        if (shown.isEmpty())
        {
            out.println(rows.isEmpty() ?
                "  (no counters)" : "  (" + rows.size() + " counters, all zero: --all lists them)");
            return;
        }

        final int labelWidth = shown.stream().mapToInt((row) -> row.label().length()).max().orElse(0);
        final int valueWidth = shown.stream().mapToInt((row) -> Long.toString(row.value()).length()).max().orElse(0);
        final String format = "  %-" + labelWidth + "s  %" + valueWidth + "d%n";
        for (final CounterRow row : shown)
        {
            out.printf(Locale.ROOT, format, row.label(), row.value());
        }
    }

    private static String formatUptime(final long uptimeMs)
    {
        final long seconds = TimeUnit.MILLISECONDS.toSeconds(uptimeMs);
        final long days = seconds / 86_400;
        final String time = String.format(
            Locale.ROOT, "%02d:%02d:%02d", (seconds / 3600) % 24, (seconds / 60) % 60, seconds % 60);

        return 0 == days ? time : days + "d " + time;
    }

    private static boolean sleep(final int seconds)
    {
        try
        {
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            return true;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private record CounterRow(String label, long value)
    {
        boolean isNonZero()
        {
            return 0 != value;
        }
    }
}
