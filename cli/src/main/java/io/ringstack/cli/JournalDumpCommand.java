package io.ringstack.cli;

import io.ringstack.iface.DropReason;
import io.ringstack.journal.Follow;
import io.ringstack.journal.JournalDump;
import io.ringstack.journal.JournalReader;
import io.ringstack.journal.ReadResult;
import io.ringstack.journal.RecordFilter;
import io.ringstack.journal.TextOutput;
import io.ringstack.wire.Ipv4Text;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code ringstack journal dump DIR}: one line per record, received frames with their verdicts, optionally only
 * the frames of a direction, protocol, address, port or drop reason, with each frame's bytes in hex. {@code --from}
 * a record or a time begins where a binary search over the journal's documents finds it; {@code --until} and
 * {@code --records} end it. {@code -f} follows a journal still being written, as {@code tail -f} does.
 */
@Command(
    name = "dump",
    mixinStandardHelpOptions = true,
    versionProvider = RingstackCommand.VersionProvider.class,
    description = "Print a journal, one line per record.")
public final class JournalDumpCommand implements Callable<Integer>
{
    /** How long a Ctrl-C waits for the records read to be printed. */
    private static final long STOP_WAIT_MS = 2_000;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "The journal directory.")
    Path directory;

    @Option(names = "--from", paramLabel = "RECORD|TIME",
        description = "Begin at this record (a sequence number, as dump prints it) or this time since the session "
            + "began (with a unit: 1.5s, 250ms, 40us, 10ns), found by a binary search over the journal's documents.")
    String from;

    @Option(names = { "--until", "--to" }, paramLabel = "RECORD|TIME",
        description = "End with this record or at this time since the session began, as --from takes them.")
    String until;

    @Option(names = "--records", paramLabel = "N", description = "Print at most N records.")
    Long records;

    @Option(names = "--direction", paramLabel = "rx|tx", description = "Only received (rx) or transmitted (tx) frames.")
    String direction;

    @Option(names = { "-f", "--follow" }, description = "At the end of the journal, wait for more records as tail -f "
        + "does, until the journal is closed (its END record), --timeout passes or Ctrl-C.")
    boolean follow;

    @Option(names = "--timeout", paramLabel = "TIME", converter = DurationConverter.class,
        description = "With --follow: stop following after this long (1.5, 250ms, 40us, 10ns) even if the journal is "
            + "still open.")
    Long timeoutNs;

    @Option(names = { "-x", "--hex" }, description = "Print each frame's bytes in hex after its line.")
    boolean hex;

    @Option(names = "--proto", paramLabel = "PROTO", description = "Only frames of arp, ipv4 (any), icmp, udp or tcp.")
    String protocol;

    @Option(names = "--address", paramLabel = "IPV4", description = "Only frames from or to this address.")
    String address;

    @Option(names = "--port", paramLabel = "PORT", description = "Only UDP or TCP frames from or to this port.")
    Integer port;

    @Option(names = "--drop-reason", paramLabel = "REASON",
        description = "Only received frames with this verdict: a drop reason (e.g. udp_no_socket) or delivered.")
    String dropReason;

    public Integer call()
    {
        final RecordFilter filter = filter();
        if (timeoutNs != null && (!follow || timeoutNs <= 0))
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--timeout " + (follow ?
                "must be positive" : "needs --follow"));
        }
        try (JournalReader reader = JournalCli.open(directory))
        {
            final JournalProgress progress = new JournalProgress(spec.commandLine().getErr(), "dump");
            final FileChannel bytes = follow || !(spec.commandLine().getOut() instanceof StandardOutput standard) ?
                null : standard.utf8Channel();
            final ReadResult result = bytes != null ? dump(reader.progress(progress), filter, bytes) :
                dump(reader.progress(progress), filter, spec.commandLine().getOut());
            progress.done();
            return JournalCli.exitCode(spec.commandLine(), directory, result);
        }
    }

    /**
     * Dump to standard output as bytes, through a thread that writes them ({@link TextOutput}); a pipe closed early
     * ends the dump quietly, as it does on a writer, but any other failed write (a full disk) is the command's error.
     */
    private ReadResult dump(final JournalReader reader, final RecordFilter filter, final FileChannel out)
    {
        final TextOutput text = new TextOutput(out, "dump");
        final ReadResult result;
        try
        {
            result = JournalDump.write(reader, filter, hex, text);
        }
        finally
        {
            text.close();
        }
        text.throwIfFailed();
        return result;
    }

    private ReadResult dump(final JournalReader reader, final RecordFilter filter, final PrintWriter out)
    {
        return follow ? follow(reader, filter, out) : JournalDump.write(reader, filter, hex, out);
    }

    /**
     * Dump and follow: Ctrl-C (or SIGTERM) stops the read at its next wait, and the shutdown waits for what was read
     * to be printed, so the output ends with whole lines. An output that has failed ({@code dump -f | head}) ends
     * the read at its next wait too.
     */
    private ReadResult follow(final JournalReader reader, final RecordFilter filter, final PrintWriter out)
    {
        final Follow following = new Follow(timeoutNs == null ? Follow.NO_DEADLINE : timeoutNs,
            () -> !out.checkError());
        final CountDownLatch printed = new CountDownLatch(1);
        final Thread stop = new Thread(() ->
        {
            following.stop();
            try
            {
                printed.await(STOP_WAIT_MS, TimeUnit.MILLISECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, "dump-follow-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        try
        {
            return JournalDump.write(reader, filter, hex, out, following);
        }
        finally
        {
            out.flush();
            printed.countDown();
            try
            {
                Runtime.getRuntime().removeShutdownHook(stop);
            }
            catch (final IllegalStateException ex)
            {
                // The JVM is shutting down: the hook is running, and has just been let go.
            }
        }
    }

    private RecordFilter filter()
    {
        final RecordFilter filter = new RecordFilter();
        range(filter);
        if (direction != null)
        {
            final String name = direction.toLowerCase(Locale.ROOT);
            if (!name.matches("rx|tx"))
            {
                throw new CommandLine.ParameterException(spec.commandLine(),
                    "--direction must be rx or tx: '" + direction + "'");
            }
            filter.received("rx".equals(name));
        }
        if (protocol != null)
        {
            final String name = protocol.toLowerCase(Locale.ROOT);
            if (!name.matches("arp|ipv4|icmp|udp|tcp"))
            {
                throw new CommandLine.ParameterException(spec.commandLine(),
                    "--proto must be arp, ipv4, icmp, udp or tcp: '" + protocol + "'");
            }
            filter.protocol(name);
        }
        if (address != null)
        {
            try
            {
                filter.address(Ipv4Text.parse(address));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new CommandLine.ParameterException(spec.commandLine(), "--address: " + ex.getMessage());
            }
        }
        if (port != null)
        {
            if (port < 0 || port > 0xFFFF)
            {
                throw new CommandLine.ParameterException(spec.commandLine(), "--port must be 0-65535: " + port);
            }
            filter.port(port);
        }
        if (dropReason != null)
        {
            filter.verdict(verdictName(dropReason));
        }
        return filter;
    }

    /**
     * Where the dump begins and ends: {@code --from} and {@code --until}, each a record or a time, and
     * {@code --records}.
     */
    private void range(final RecordFilter filter)
    {
        final RecordOrTime first = from == null ? null : RecordOrTime.parse(spec.commandLine(), "--from", from);
        final RecordOrTime last = until == null ? null : RecordOrTime.parse(spec.commandLine(), "--until", until);
        if (first != null && last != null && first.isRecord() == last.isRecord() && first.value() > last.value())
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--from comes after --until: " + from + " > " + until);
        }
        filter.records(first != null && first.isRecord() ? first.value() : 0,
            last != null && last.isRecord() ? last.value() : Long.MAX_VALUE);
        if (first != null && !first.isRecord())
        {
            filter.fromNs(first.value());
        }
        if (last != null && !last.isRecord())
        {
            filter.toNs(last.value());
        }
        if (records != null)
        {
            if (records <= 0)
            {
                throw new CommandLine.ParameterException(spec.commandLine(), "--records must be 1 or more: " + records);
            }
            filter.limit(records);
        }
    }

    /**
     * @return the verdict {@code --drop-reason} names: {@code delivered} or a drop reason of this build, with or
     * without its {@code drop_} prefix, in any case.
     * @throws CommandLine.ParameterException naming the value and where the valid ones are listed.
     */
    private String verdictName(final String value)
    {
        final String name = value.toUpperCase(Locale.ROOT).replaceFirst("^DROP_", "");
        if (!"DELIVERED".equals(name) && Arrays.stream(DropReason.values()).noneMatch(r -> r.name().equals(name)))
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--drop-reason: unknown verdict '" + value +
                "': 'delivered' or a drop reason as 'ringstack stat' names it, e.g. udp_no_socket");
        }
        return name;
    }

    /**
     * A time since the session began: plain seconds, or a number with {@code s}, {@code ms}, {@code us} or
     * {@code ns}.
     */
    static final class DurationConverter implements CommandLine.ITypeConverter<Long>
    {
        public Long convert(final String value)
        {
            final String text = value.trim().toLowerCase(Locale.ROOT);
            final String[][] units = { { "ns", "1" }, { "us", "1000" }, { "ms", "1000000" }, { "s", "1000000000" } };
            for (final String[] unit : units)
            {
                if (text.endsWith(unit[0]))
                {
                    return nanoseconds(text.substring(0, text.length() - unit[0].length()), unit[1], value);
                }
            }
            return nanoseconds(text, "1000000000", value);
        }

        private static long nanoseconds(final String number, final String nanosPerUnit, final String value)
        {
            try
            {
                return new BigDecimal(number).multiply(new BigDecimal(nanosPerUnit)).longValueExact();
            }
            catch (final NumberFormatException | ArithmeticException ex)
            {
                throw new CommandLine.TypeConversionException(
                    "expected a time such as 1.5, 250ms, 40us or 10ns: '" + value + "'");
            }
        }
    }
}
