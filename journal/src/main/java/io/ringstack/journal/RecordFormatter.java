package io.ringstack.journal;

import io.ringstack.engine.Command;
import io.ringstack.engine.EngineTap;
import io.ringstack.errno.Errno;
import io.ringstack.iface.TxResult;
import io.ringstack.wire.Ipv4Text;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * One line of text per journal record, for {@code ringstack journal dump}: sequence, time since the clock origin
 * in seconds, type, then what the record says, frames described by {@link FrameSummary}.
 * <pre>
 *   #15  +0.000412345  RX_FRAME  device   70 B  delivered             UDP 10.0.2.2:7777 &gt; 10.0.2.15:12345 len 28
 *   #16  +0.000412345  COMMAND   udp_send slot 0 call 3 to 10.0.2.2:7777, 23 bytes
 * </pre>
 */
public final class RecordFormatter
{
    private static final byte[] DEVICE = utf8(interfaceName(EngineTap.INTERFACE_DEVICE));

    private final SessionHeader header;
    private final FrameSummary frame = new FrameSummary();
    private final IdleCycles idleCycles = new IdleCycles();
    private final TextBuffer text = new TextBuffer(256);
    private final byte[][] typeNames = new byte[JournalFormat.LAST_TYPE + 1][];
    private final byte[][] verdictNames;
    private final TextBuffer relativeTime = new TextBuffer(32);
    private final TextBuffer lastTime = new TextBuffer(32);
    private long lastTimeNs;

    public RecordFormatter(final SessionHeader header)
    {
        this.header = header;
        for (int type = 0; type < typeNames.length; type++)
        {
            typeNames[type] = utf8(JournalFormat.typeName(type));
        }
        verdictNames = new byte[header.dropReasons().size()][];
        for (int verdict = 0; verdict < verdictNames.length; verdict++)
        {
            verdictNames[verdict] = utf8(header.verdictName(verdict));
        }
    }

    /**
     * @param record      the record to describe.
     * @param summary     the frame's summary when the record is a frame and the caller has parsed it, else
     *                    {@code null}.
     */
    public String format(final JournalRecord record, final FrameSummary summary)
    {
        return line(record, summary).toString();
    }

    /**
     * {@link #format} without a string: the line is built in a buffer this formatter owns, valid until its next
     * call.
     */
    public TextBuffer line(final JournalRecord record, final FrameSummary summary)
    {
        text.setLength(0);
        return appendLine(text, record, summary);
    }

    /**
     * {@link #format} appended to {@code lines}, its columns counted from where it begins.
     *
     * @return {@code lines}.
     */
    public TextBuffer appendLine(final TextBuffer lines, final JournalRecord record, final FrameSummary summary)
    {
        final int type = record.type();
        final boolean frame = type == JournalFormat.RX_FRAME || type == JournalFormat.TX_FRAME;
        final String details = frame ? null : details(record);
        final int start = lines.length();
        lines.append('#');
        padRight(lines.append(record.sequence()), start + 9).append(' ');
        if (record.hasTimestamp())
        {
            appendRelativeTime(lines, record.timestampNs());
        }
        padRight(lines, start + 25).append(' ');
        padRight(type >= 0 && type < typeNames.length ? lines.append(typeNames[type]) :
            lines.append(JournalFormat.typeName(type)), start + 35).append(' ');
        if (frame)
        {
            appendFrameDetails(lines, record, summary);
        }
        else
        {
            lines.append(details);
        }
        return lines;
    }

    /**
     * @return {@code +seconds.nanoseconds} since the session's clock origin.
     */
    public String relativeTime(final long timestampNs)
    {
        relativeTime.setLength(0);
        return appendRelativeTime(relativeTime, timestampNs).toString();
    }

    /**
     * Append {@code +seconds.nanoseconds} since the session's clock origin; the time of the record before, which a
     * cycle's records share, is copied as it was written.
     */
    private TextBuffer appendRelativeTime(final TextBuffer line, final long timestampNs)
    {
        if (timestampNs != lastTimeNs || lastTime.length() == 0)
        {
            final long sinceOrigin = timestampNs - header.clockOriginNs();
            final long magnitude = Math.abs(sinceOrigin);
            lastTime.setLength(0);
            lastTime.append(sinceOrigin < 0 ? '-' : '+').append(magnitude / 1_000_000_000L).append('.')
                .appendZeroPadded(magnitude % 1_000_000_000L, 9);
            lastTimeNs = timestampNs;
        }
        return line.append(lastTime);
    }

    /**
     * Pad {@code line} with spaces to {@code column} characters, as {@code %-Ns} would.
     */
    private static TextBuffer padRight(final TextBuffer line, final int column)
    {
        return line.spaces(column - line.length());
    }

    /**
     * @return what a record other than a frame says (a frame's details are appended in place, {@link
     * #appendFrameDetails}).
     */
    private String details(final JournalRecord record)
    {
        switch (record.type())
        {
            case JournalFormat.SESSION:
                return header.describe();
            case JournalFormat.CYCLE:
                return "";
            case JournalFormat.IDLE:
                return idleDetails(record);
            case JournalFormat.VERDICT:
                return "verdict of the last received frame: " + verdictText(record.verdict());
            case JournalFormat.COMMAND:
                return commandDetails(record);
            case JournalFormat.RESPONSE:
                return "slot " + record.slot() + " call " + record.callSequence() + " result " +
                    resultText(record.callResult());
            case JournalFormat.LOSS:
                return record.lostCount() + " records lost here (tap ring full, policy DROP)";
            case JournalFormat.END:
                return "closed after " + record.endRecordCount() + " records, " + record.endLostCount() + " lost";
            case JournalFormat.APP_DATA:
                return "slot " + record.slot() + " took " + record.appDataLength() + " bytes from the send ring";
            case JournalFormat.APP_CONSUMED:
                return "slot " + record.slot() + " had read " + record.consumedBytes() + " bytes";
            case JournalFormat.NOTE:
                return noteDetails(record);
            default:
                return "";
        }
    }

    private static String noteDetails(final JournalRecord record)
    {
        final String cut = record.noteWireLength() > 0 ?
            "cut by the capture, " + record.noteWireLength() + " B on the wire" : "";
        final String comment = record.noteTextLength() > 0 ? "comment \"" + record.noteText() + "\"" : "";
        return "the capture on the next frame: " + cut + (cut.isEmpty() || comment.isEmpty() ? "" : "; ") + comment;
    }

    private String verdictText(final int verdict)
    {
        return verdict == JournalFormat.VERDICT_PENDING ? "(verdict not recorded)" : header.verdictName(verdict);
    }

    /**
     * Append an RX_FRAME's or a TX_FRAME's details: interface, length, verdict or transmit result, and the frame's
     * {@link FrameSummary}, in columns from where they begin.
     */
    private void appendFrameDetails(final TextBuffer line, final JournalRecord record, final FrameSummary summary)
    {
        final FrameSummary parsed = summary != null ? summary :
            frame.parse(record.buffer(), record.frameOffset(), record.frameLength());
        final int start = line.length();
        final int length = record.frameLength();
        final int interfaceId = record.interfaceId();
        padRight(interfaceId == EngineTap.INTERFACE_DEVICE ? line.append(DEVICE) :
            line.append(interfaceName(interfaceId)), start + 8).append(' ');
        padRight(line, start + 14 - digitCount(length)).append(length).append(" B  ");
        if (record.type() == JournalFormat.RX_FRAME)
        {
            final int verdict = record.verdict();
            if (verdict >= 0 && verdict < verdictNames.length)
            {
                line.append(verdictNames[verdict]);
            }
            else
            {
                line.append(verdictText(verdict));
            }
        }
        else
        {
            line.append(record.txResult() == TxResult.SENT ? "sent" : "failed " + TxResult.name(record.txResult()));
        }
        parsed.appendText(padRight(line, start + 39).append(' '));
    }

    private static int digitCount(final int value)
    {
        int count = value < 0 ? 2 : 1;
        for (int rest = Math.abs(value / 10); rest != 0; rest /= 10)
        {
            count++;
        }
        return count;
    }

    private String idleDetails(final JournalRecord record)
    {
        idleCycles.wrap(record);
        long lastNs = 0;
        while (idleCycles.next())
        {
            lastNs = idleCycles.timeNs();
        }
        return record.idleCount() + " idle cycles, the last at " + relativeTime(lastNs);
    }

    private static String commandDetails(final JournalRecord record)
    {
        final DirectBuffer buffer = record.buffer();
        final int message = record.messageOffset();
        final int slot = buffer.getInt(message + Command.SLOT_OFFSET);
        final int arg0 = buffer.getInt(message + Command.ARG0_OFFSET);
        final int arg1 = buffer.getInt(message + Command.ARG1_OFFSET);
        final long call = buffer.getLong(message + Command.SEQUENCE_OFFSET);
        final String prefix = operationName(record.operation()) + " slot " + slot + " call " + call;
        switch (record.operation())
        {
            case Command.UDP_BIND:
            case Command.UDP_CONNECT:
                return prefix + " " + Ipv4Text.format(arg0) + ":" + arg1;
            case Command.UDP_SEND:
                return prefix + (arg1 == 0 ? " to the connected peer" : " to " + Ipv4Text.format(arg0) + ":" + arg1) +
                    ", " + (record.messageLength() - Command.PAYLOAD_OFFSET) + " bytes";
            case Command.PING:
                return prefix + " " + Ipv4Text.format(arg0) + ", " + arg1 + " bytes";
            default:
                return prefix;
        }
    }

    /**
     * @return the name of a command operation, e.g. {@code "udp_send"}.
     */
    public static String operationName(final int operation)
    {
        switch (operation)
        {
            case Command.UDP_OPEN: return "udp_open";
            case Command.UDP_BIND: return "udp_bind";
            case Command.UDP_CONNECT: return "udp_connect";
            case Command.UDP_SEND: return "udp_send";
            case Command.UDP_CLOSE: return "udp_close";
            case Command.UDP_LOCAL_ADDRESS: return "udp_local_address";
            case Command.PING: return "ping";
            case Command.TCP_OPEN: return "tcp_open";
            case Command.TCP_BIND: return "tcp_bind";
            case Command.TCP_LISTEN: return "tcp_listen";
            case Command.TCP_CONNECT: return "tcp_connect";
            case Command.TCP_ACCEPT: return "tcp_accept";
            case Command.TCP_SHUTDOWN: return "tcp_shutdown";
            case Command.TCP_CLOSE: return "tcp_close";
            case Command.TCP_SET_OPTION: return "tcp_set_option";
            case Command.TCP_LOCAL_ADDRESS: return "tcp_local_address";
            case Command.TCP_RING_MOVED: return "tcp_ring_moved";
            default: return "operation " + operation;
        }
    }

    private static String resultText(final long result)
    {
        return result < 0 && result >= Integer.MIN_VALUE ? Errno.describe((int)result) : Long.toString(result);
    }

    private static byte[] utf8(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String interfaceName(final int interfaceId)
    {
        return interfaceId == EngineTap.INTERFACE_DEVICE ? "device" :
            interfaceId == EngineTap.INTERFACE_LOOPBACK ? "loopback" : "if " + interfaceId;
    }
}
