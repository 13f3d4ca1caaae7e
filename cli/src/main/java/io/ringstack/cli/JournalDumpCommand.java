package io.ringstack.cli;

import io.ringstack.iface.DropReason;
import io.ringstack.journal.JournalDump;
import io.ringstack.journal.JournalReader;
import io.ringstack.journal.ReadResult;
import io.ringstack.journal.RecordFilter;
import io.ringstack.wire.Ipv4Text;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code ringstack journal dump DIR}: one line per record, received frames with their verdicts, optionally only
 * the frames of a direction, protocol, address, port or drop reason, or the records of a range or a time window,
 * with each frame's bytes in hex.
 */
@Command(
    name = "dump",
    mixinStandardHelpOptions = true,
    versionProvider = RingstackCommand.VersionProvider.class,
    description = "Print a journal, one line per record.")
public final class JournalDumpCommand implements Callable<Integer>
{
    private static final int OUTPUT_BUFFER_BYTES = 64 * 1024;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "The journal directory.")
    Path directory;

    @Option(names = "--records", paramLabel = "FIRST-LAST",
        description = "Only records FIRST to LAST, sequence numbers as dump prints them; either end may be left out "
            + "(100-, -200), or give one record (42).")
    String records;

    @Option(names = "--direction", paramLabel = "rx|tx", description = "Only received (rx) or transmitted (tx) frames.")
    String direction;

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

    @Option(names = "--from", paramLabel = "TIME", converter = DurationConverter.class,
        description = "Only records at or after TIME since the session began: seconds (1.5) or 250ms, 40us, 10ns.")
    Long fromNs;

    @Option(names = "--to", paramLabel = "TIME", converter = DurationConverter.class,
        description = "Only records at or before TIME since the session began.")
    Long toNs;

    public Integer call()
    {
        final RecordFilter filter = filter();
        try (JournalReader reader = JournalCli.open(directory))
        {
            final JournalProgress progress = new JournalProgress(spec.commandLine().getErr(), "dump");
            final PrintWriter out =
                new PrintWriter(new BufferedWriter(spec.commandLine().getOut(), OUTPUT_BUFFER_BYTES));
            final ReadResult result = JournalDump.write(reader.progress(progress), filter, hex, out);
            progress.done();
            return JournalCli.exitCode(spec.commandLine(), directory, result);
        }
    }

    private RecordFilter filter()
    {
        final RecordFilter filter = new RecordFilter();
        if (records != null)
        {
            recordRange(filter);
        }
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
        if (fromNs != null)
        {
            filter.fromNs(fromNs);
        }
        if (toNs != null)
        {
            filter.toNs(toNs);
        }
        return filter;
    }

    private void recordRange(final RecordFilter filter)
    {
        final Matcher range = Pattern.compile("(\\d{0,18})(-?)(\\d{0,18})")
            .matcher(records.trim());
        final boolean single = range.matches() && range.group(2).isEmpty();
        if (!range.matches() || (range.group(1).isEmpty() && range.group(3).isEmpty()) ||
            (single && !range.group(3).isEmpty()))
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--records must be FIRST-LAST, FIRST-, -LAST or one record number: '" + records + "'");
        }
        final long first = range.group(1).isEmpty() ? 0 : Long.parseLong(range.group(1));
        final long last = single ? first : range.group(3).isEmpty() ? Long.MAX_VALUE : Long.parseLong(range.group(3));
        if (first > last)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--records: the first record comes after the last: '" + records + "'");
        }
        filter.records(first, last);
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
