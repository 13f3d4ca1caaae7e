package io.ringstack.journal;

import java.util.Locale;

/**
 * Which records {@code ringstack journal dump} shows. A record range, a time window and a count apply to every
 * record (one without a timestamp has its duty cycle's); frame criteria (direction, protocol, address, port, drop
 * reason) keep only the RX and TX frames that meet them all. Nothing set: everything.
 */
public final class RecordFilter
{
    private String protocol;
    private boolean hasAddress;
    private int address;
    private int port = -1;
    private String verdict;
    private long fromNs = Long.MIN_VALUE;
    private long toNs = Long.MAX_VALUE;
    private long fromRecord;
    private long toRecord = Long.MAX_VALUE;
    private long limit = Long.MAX_VALUE;
    private int frameType = -1;

    /**
     * Records whose sequence number is from {@code first} to {@code last}, both included.
     */
    public RecordFilter records(final long first, final long last)
    {
        fromRecord = first;
        toRecord = last;
        return this;
    }

    /**
     * At most {@code records} records: a reader stops after it has shown that many.
     */
    public RecordFilter limit(final long records)
    {
        limit = records;
        return this;
    }

    /**
     * @return the most records to show, {@link Long#MAX_VALUE} for no limit.
     */
    public long limit()
    {
        return limit;
    }

    /**
     * @return the first record the range takes.
     */
    public long fromRecord()
    {
        return fromRecord;
    }

    /**
     * @return the start of the time window since the clock origin, {@link Long#MIN_VALUE} for none.
     */
    public long fromNs()
    {
        return fromNs;
    }

    /**
     * @return whether a read ends before the end of the journal: at a last record, a last time or a count.
     */
    public boolean isBounded()
    {
        return toRecord != Long.MAX_VALUE || toNs != Long.MAX_VALUE || limit != Long.MAX_VALUE;
    }

    /**
     * @param sinceOriginNs the record's time (or its duty cycle's) since the clock origin.
     * @return whether no record after {@code record} can match: a read may stop there. A record comes after those
     * before it in sequence and in time.
     */
    public boolean isPast(final JournalRecord record, final long sinceOriginNs)
    {
        return record.sequence() >= toRecord || sinceOriginNs > toNs;
    }

    /**
     * Only received frames ({@code true}: RX_FRAME) or only transmitted ones ({@code false}: TX_FRAME).
     */
    public RecordFilter received(final boolean received)
    {
        frameType = received ? JournalFormat.RX_FRAME : JournalFormat.TX_FRAME;
        return this;
    }

    /**
     * @param protocol {@code arp}, {@code ipv4} (any IPv4 packet), {@code icmp}, {@code udp} or {@code tcp}.
     */
    public RecordFilter protocol(final String protocol)
    {
        this.protocol = protocol.toLowerCase(Locale.ROOT);
        return this;
    }

    /**
     * Frames from or to this IPv4 address (for ARP, its sender or target).
     */
    public RecordFilter address(final int address)
    {
        this.address = address;
        hasAddress = true;
        return this;
    }

    /**
     * UDP or TCP frames from or to this port.
     */
    public RecordFilter port(final int port)
    {
        this.port = port;
        return this;
    }

    /**
     * Received frames with this verdict: a drop reason ({@code udp_no_socket}, {@code drop_udp_no_socket} or
     * {@code UDP_NO_SOCKET}) or {@code delivered}.
     */
    public RecordFilter verdict(final String verdict)
    {
        final String name = verdict.toUpperCase(Locale.ROOT);
        this.verdict = name.startsWith("DROP_") ? name.substring("DROP_".length()) : name;
        return this;
    }

    /**
     * Records at or after this time since the clock origin.
     */
    public RecordFilter fromNs(final long sinceOriginNs)
    {
        fromNs = sinceOriginNs;
        return this;
    }

    /**
     * Records at or before this time since the clock origin.
     */
    public RecordFilter toNs(final long sinceOriginNs)
    {
        toNs = sinceOriginNs;
        return this;
    }

    public boolean hasFrameCriteria()
    {
        return protocol != null || hasAddress || port >= 0 || verdict != null || frameType >= 0;
    }

    /**
     * @param sinceOriginNs the record's time (or its duty cycle's) since the clock origin.
     * @param frame         the record's frame parsed, when it is RX_FRAME or TX_FRAME; else ignored.
     */
    public boolean matches(
        final JournalRecord record, final long sinceOriginNs, final FrameSummary frame, final SessionHeader header)
    {
        if (sinceOriginNs < fromNs || sinceOriginNs > toNs || record.sequence() < fromRecord ||
            record.sequence() > toRecord)
        {
            return false;
        }
        if (!hasFrameCriteria())
        {
            return true;
        }
        final int type = record.type();
        if (type != JournalFormat.RX_FRAME && type != JournalFormat.TX_FRAME)
        {
            return false;
        }
        return (frameType < 0 || type == frameType) && matchesProtocol(frame) &&
            (!hasAddress || (frame.hasAddresses() &&
                (frame.sourceAddress() == address || frame.destinationAddress() == address))) &&
            (port < 0 || frame.sourcePort() == port || frame.destinationPort() == port) &&
            (verdict == null || (type == JournalFormat.RX_FRAME &&
                header.verdictName(record.verdict()).toUpperCase(Locale.ROOT).equals(verdict)));
    }

    private boolean matchesProtocol(final FrameSummary frame)
    {
        if (protocol == null)
        {
            return true;
        }
        final String actual = frame.protocol();
        return protocol.equals(actual) || (FrameSummary.IPV4.equals(protocol) && (FrameSummary.UDP.equals(actual) ||
            FrameSummary.TCP.equals(actual) || FrameSummary.ICMP.equals(actual)));
    }
}
