package io.ringstack.iface;

import io.ringstack.wire.IcmpPacket;
import io.ringstack.wire.Ipv4Packet;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * The ICMP arm (RFC 792): echo requests are answered, echo replies matched to the pings that asked for them, a
 * destination unreachable or time exceeded handed to the transport arm whose datagram it quotes, a source quench
 * ignored (RFC 6633), other types counted as unsupported. Engine thread only.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Type = 3    |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 unused (next-hop MTU for code 4)              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Internet Header + at least 64 bits of the original datagram  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
final class IcmpReceiver implements Ipv4Protocol
{
    /** RFC 792: the original datagram's header and its first 64 bits of data. */
    private static final int QUOTED_TRANSPORT_BYTES = 8;

    private final IcmpPacket icmp = new IcmpPacket();
    private final IcmpError error = new IcmpError();
    private final IcmpResponder responder;
    private final PingTracker pings;
    private final EngineCounters counters;
    private final Ipv4Protocol udp;
    private final Ipv4Protocol tcp;

    IcmpReceiver(
        final IcmpResponder responder, final PingTracker pings, final EngineCounters counters,
        final Ipv4Protocol udp, final Ipv4Protocol tcp)
    {
        this.responder = responder;
        this.pings = pings;
        this.counters = counters;
        this.udp = udp;
        this.tcp = tcp;
    }

    public DropReason onPacket(final Ipv4Packet ip, final int arrival, final long nowNs)
    {
        if (icmp.wrap(ip.buffer(), ip.payloadOffset(), ip.payloadLength()) != IcmpPacket.VALID)
        {
            return DropReason.ICMP_TRUNCATED;
        }
        if (!icmp.isChecksumValid())
        {
            return DropReason.ICMP_BAD_CHECKSUM;
        }
        switch (icmp.type())
        {
            case IcmpPacket.TYPE_ECHO_REQUEST:
                if ((arrival & TO_BROADCAST) != 0)
                {
                    return DropReason.ICMP_BROADCAST_ECHO;
                }
                responder.echoReply(ip, icmp, nowNs);
                return null;
            case IcmpPacket.TYPE_ECHO_REPLY:
                if (pings.onEchoReply(ip.source(), icmp.identifier(), icmp.sequence(), nowNs))
                {
                    counters.pingRepliesMatched.incrementRelease();
                    return null;
                }
                return DropReason.ICMP_UNMATCHED_REPLY;
            case IcmpPacket.TYPE_DESTINATION_UNREACHABLE:
            case IcmpPacket.TYPE_TIME_EXCEEDED:
                return quotingError(ip, nowNs);
            case IcmpPacket.TYPE_SOURCE_QUENCH:
                return DropReason.ICMP_SOURCE_QUENCH;
            default:
                return DropReason.ICMP_TYPE_UNSUPPORTED;
        }
    }

    /**
     * The quoted datagram must be an IPv4 header of at least 20 bytes followed by 8 transport bytes, sent from the
     * address the error came to (RFC 5927 section 4.1), and of UDP or TCP; then its arm decides.
     */
    private DropReason quotingError(final Ipv4Packet ip, final long nowNs)
    {
        final DirectBuffer buffer = ip.buffer();
        final int quote = ip.payloadOffset() + IcmpPacket.HEADER_LENGTH;
        final int quoteLength = ip.payloadLength() - IcmpPacket.HEADER_LENGTH;
        if (quoteLength < Ipv4Packet.HEADER_LENGTH)
        {
            return DropReason.ICMP_TRUNCATED;
        }
        final int versionAndLength = buffer.getByte(quote + Ipv4Packet.VERSION_IHL_OFFSET) & 0xFF;
        final int headerLength = (versionAndLength & 0x0F) * 4;
        if (versionAndLength >>> 4 != Ipv4Packet.VERSION || headerLength < Ipv4Packet.HEADER_LENGTH ||
            quoteLength < headerLength + QUOTED_TRANSPORT_BYTES)
        {
            return DropReason.ICMP_TRUNCATED;
        }
        if (buffer.getInt(quote + Ipv4Packet.SOURCE_OFFSET, ByteOrder.BIG_ENDIAN) != ip.destination())
        {
            return DropReason.ICMP_ERROR_NOT_REPORTED;
        }
        error.wrap(icmp, buffer, quote, headerLength);
        switch (buffer.getByte(quote + Ipv4Packet.PROTOCOL_OFFSET))
        {
            case Ipv4Packet.PROTOCOL_UDP:
                return udp.onUnreachable(error, nowNs);
            case Ipv4Packet.PROTOCOL_TCP:
                return tcp.onUnreachable(error, nowNs);
            default:
                return DropReason.ICMP_ERROR_NOT_REPORTED;
        }
    }
}
