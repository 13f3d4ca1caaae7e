package io.ringstack.tcp;

import io.ringstack.iface.DropReason;
import io.ringstack.iface.IcmpError;
import io.ringstack.iface.Ipv4Protocol;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.TcpSegment;

/**
 * The TCP arm: a well-formed segment with a valid checksum goes to {@link TcpEngine#onSegment}. TCP from the loopback
 * ring is not checksummed: as Linux's {@code lo} does, the engine neither computes nor verifies checksums of segments
 * that never leave it. Engine thread only; nothing here allocates.
 */
public final class TcpReceiver implements Ipv4Protocol
{
    private final TcpSegment segment = new TcpSegment();
    private final TcpEngine tcp;

    public TcpReceiver(final TcpEngine tcp)
    {
        this.tcp = tcp;
    }

    public DropReason onPacket(final Ipv4Packet ip, final int arrival, final long nowNs)
    {
        switch (segment.wrap(ip.buffer(), ip.payloadOffset(), ip.payloadLength()))
        {
            case TcpSegment.VALID:
                break;
            case TcpSegment.TRUNCATED:
                return DropReason.TCP_TRUNCATED;
            default:
                return DropReason.TCP_BAD_DATA_OFFSET;
        }
        if ((arrival & (FROM_LOOPBACK | CHECKSUM_GOOD)) == 0 && !segment.isChecksumValid(ip.source(), ip.destination()))
        {
            return DropReason.TCP_BAD_CHECKSUM;
        }
        return tcp.onSegment(ip, segment, (arrival & ANSWERABLE) == 0, nowNs);
    }

    public DropReason onUnreachable(final IcmpError error, final long nowNs)
    {
        return tcp.onUnreachable(error, nowNs);
    }
}
