package io.ringstack.cli;

import io.ringstack.engine.EngineTap;
import io.ringstack.journal.JournalFormat;
import io.ringstack.journal.JournalReader;
import io.ringstack.journal.JournalStats;
import io.ringstack.journal.RecordFormatter;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code ringstack journal stats DIR}: the versions and settings the journal recorded, counts (records, frames,
 * verdicts, drops by reason, commands) and throughput over time, as text or with {@code --json} as one JSON object.
 */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    versionProvider = RingstackCommand.VersionProvider.class,
    description = "Count what a journal holds: frames, drops by reason, commands, throughput over time.")
public final class JournalStatsCommand implements Callable<Integer>
{
    private static final double NANOS_PER_SECOND = 1e9;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "The journal directory.")
    Path directory;

    @Option(names = "--interval", paramLabel = "TIME", converter = JournalDumpCommand.DurationConverter.class,
        description = "Width of each throughput interval (default: 1s).")
    long intervalNs = 1_000_000_000L;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    public Integer call()
    {
        if (intervalNs <= 0)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--interval must be positive");
        }
        try (JournalReader reader = JournalCli.open(directory))
        {
            final JournalProgress progress = new JournalProgress(spec.commandLine().getErr(), "stats");
            final JournalStats stats = JournalStats.of(reader.progress(progress), intervalNs);
            progress.done();
            final PrintWriter out = spec.commandLine().getOut();
            if (json)
            {
                out.println(toJson(stats));
            }
            else
            {
                printText(out, stats);
            }
            out.flush();
            return JournalCli.exitCode(spec.commandLine(), directory, stats.result());
        }
    }

    private void printText(final PrintWriter out, final JournalStats stats)
    {
        final RecordFormatter formatter = new RecordFormatter(stats.header());
        out.println("journal    " + directory);
        out.println("session    " + stats.header().describe());
        out.println("versions   " + stats.header().versions());
        out.println("settings   " + stats.header().settings().size() + " recorded");
        stats.header().settingLines().forEach((setting) -> out.println("  " + setting));
        out.println("records    " + stats.result().records() + " in " + stats.result().batches() + " batches" +
            (stats.result().closed() ? ", closed" : ", not closed (tail cut)") +
            (stats.result().lostRecords() > 0 ? ", " + stats.result().lostRecords() + " lost" : ""));
        out.printf(Locale.ROOT, "duration   %.6f s, %d duty cycles (%d with records)%n",
            stats.durationNs() / NANOS_PER_SECOND, stats.cycles(), stats.records(JournalFormat.CYCLE));
        out.printf(Locale.ROOT, "received   %d frames (%d device, %d loopback), %d bytes: %d delivered, %d dropped%n",
            stats.rxFrames(EngineTap.INTERFACE_DEVICE) + stats.rxFrames(EngineTap.INTERFACE_LOOPBACK),
            stats.rxFrames(EngineTap.INTERFACE_DEVICE), stats.rxFrames(EngineTap.INTERFACE_LOOPBACK),
            stats.rxBytes(), stats.delivered(), stats.drops().values().stream().mapToLong(Long::longValue).sum());
        printCounts(out, "  drop ", stats.drops());
        out.printf(Locale.ROOT, "sent       %d frames (%d device, %d loopback), %d bytes%n",
            stats.txFrames(EngineTap.INTERFACE_DEVICE) + stats.txFrames(EngineTap.INTERFACE_LOOPBACK),
            stats.txFrames(EngineTap.INTERFACE_DEVICE), stats.txFrames(EngineTap.INTERFACE_LOOPBACK), stats.txBytes());
        printCounts(out, "  failed ", stats.txFailures());
        out.println("commands   " + stats.records(JournalFormat.COMMAND) + ", answers " +
            stats.records(JournalFormat.RESPONSE));
        printCounts(out, "  ", stats.commands());
        out.printf(Locale.ROOT, "throughput per %s interval (intervals with frames):%n",
            seconds(stats.intervalNs()));
        out.printf(Locale.ROOT, "  %-16s %10s %10s %12s %12s%n", "from", "rx frames", "tx frames", "rx frames/s",
            "tx frames/s");
        for (final JournalStats.Interval interval : stats.intervals())
        {
            out.printf(Locale.ROOT, "  %-16s %10d %10d %12.0f %12.0f%n",
                formatter.relativeTime(stats.header().clockOriginNs() + interval.startNs()),
                interval.rxFrames(), interval.txFrames(), perSecond(interval.rxFrames(), stats.intervalNs()),
                perSecond(interval.txFrames(), stats.intervalNs()));
        }
    }

    private static void printCounts(final PrintWriter out, final String prefix, final Map<String, Long> counts)
    {
        final int width = counts.keySet().stream().mapToInt(String::length).max().orElse(0);
        counts.forEach((name, count) -> out.printf(Locale.ROOT, "%s%-" + width + "s %d%n", prefix, name, count));
    }

    private static String toJson(final JournalStats stats)
    {
        final StringJoiner intervals = new StringJoiner(", ", "[", "]");
        for (final JournalStats.Interval interval : stats.intervals())
        {
            intervals.add(new JournalJson()
                .field("start_ns", interval.startNs())
                .field("rx_frames", interval.rxFrames())
                .field("tx_frames", interval.txFrames())
                .field("rx_bytes", interval.rxBytes())
                .field("tx_bytes", interval.txBytes())
                .toString());
        }
        return new JournalJson()
            .field("engine", stats.header().engineName())
            .field("profile", stats.header().profile())
            .field("format_version", stats.header().formatVersion())
            .field("ringstack_version", stats.header().ringstackVersion())
            .field("jvm_version", stats.header().jvmVersion())
            .counts("settings", stats.header().settings())
            .field("records", stats.result().records())
            .field("batches", stats.result().batches())
            .field("closed", stats.result().closed())
            .field("lost_records", stats.result().lostRecords())
            .field("problem", stats.result().problem())
            .field("duration_ns", stats.durationNs())
            .field("cycles", stats.cycles())
            .field("rx_frames_device", stats.rxFrames(EngineTap.INTERFACE_DEVICE))
            .field("rx_frames_loopback", stats.rxFrames(EngineTap.INTERFACE_LOOPBACK))
            .field("rx_bytes", stats.rxBytes())
            .field("delivered", stats.delivered())
            .counts("drops", stats.drops())
            .field("tx_frames_device", stats.txFrames(EngineTap.INTERFACE_DEVICE))
            .field("tx_frames_loopback", stats.txFrames(EngineTap.INTERFACE_LOOPBACK))
            .field("tx_bytes", stats.txBytes())
            .counts("tx_failures", stats.txFailures())
            .counts("commands", stats.commands())
            .field("responses", stats.records(JournalFormat.RESPONSE))
            .field("interval_ns", stats.intervalNs())
            .raw("intervals", intervals.toString())
            .toString();
    }

    private static double perSecond(final long count, final long intervalNs)
    {
        return count * NANOS_PER_SECOND / intervalNs;
    }

    private static String seconds(final long nanoseconds)
    {
        return new BigDecimal(nanoseconds).movePointLeft(9).stripTrailingZeros().toPlainString() + " s";
    }
}
