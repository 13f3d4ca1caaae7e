package io.ringstack.iface;

import io.ringstack.wire.IcmpPacket;
import io.ringstack.wire.Ipv4Packet;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The ICMP messages the engine sends in answer to what it receives: echo replies (RFC 792, RFC 1122 3.2.2.6) and
 * destination unreachable for an unsupported protocol or a port with no socket (RFC 1122 3.2.2.1), carrying the
 * offending IP header and the first 8 bytes of its payload.
 */
public final class IcmpResponder
{
    private static final int QUOTED_PAYLOAD_LENGTH = 8;

    private final Ipv4Output output;
    private final EngineCounters counters;

    public IcmpResponder(final Ipv4Output output, final EngineCounters counters)
    {
        this.output = output;
        this.counters = counters;
    }

    /**
     * Answer an echo request with the same identifier, sequence and data, from the address it was sent to. A reply
     * that would not fit the MTU is counted as {@link DropReason#ICMP_REPLY_TOO_BIG}: the engine does not fragment.
     */
    void echoReply(final Ipv4Packet request, final IcmpPacket echo, final long nowNs)
    {
        final int dataLength = echo.payloadLength();
        if (IcmpPacket.HEADER_LENGTH + dataLength > Ipv4Output.MAX_TRANSPORT_LENGTH)
        {
            counters.txRequests.incrementRelease();
            counters.dropTx(DropReason.ICMP_REPLY_TOO_BIG);
            return;
        }
        final UnsafeBuffer frame = output.frame();
        final int data = IcmpPacket.writeEchoHeader(frame, Ipv4Output.TRANSPORT_OFFSET, IcmpPacket.TYPE_ECHO_REPLY,
            echo.identifier(), echo.sequence());
        frame.putBytes(data, echo.buffer(), echo.payloadOffset(), dataLength);
        send(request, IcmpPacket.HEADER_LENGTH + dataLength, nowNs);
    }

    /**
     * Tell the sender of {@code offending} that its datagram could not be delivered.
     */
    public void unreachable(final Ipv4Packet offending, final int code, final long nowNs)
    {
        if (offending.source() == Ipv4Addresses.ANY)
        {
            return;
        }
        final int quotedLength =
            offending.headerLength() + Math.min(QUOTED_PAYLOAD_LENGTH, offending.payloadLength());
        final UnsafeBuffer frame = output.frame();
        final int data = IcmpPacket.writeHeader(
            frame, Ipv4Output.TRANSPORT_OFFSET, IcmpPacket.TYPE_DESTINATION_UNREACHABLE, code, 0);
        frame.putBytes(data, offending.buffer(), offending.offset(), quotedLength);
        send(offending, IcmpPacket.HEADER_LENGTH + quotedLength, nowNs);
    }

    private void send(final Ipv4Packet cause, final int icmpLength, final long nowNs)
    {
        IcmpPacket.writeChecksum(output.frame(), Ipv4Output.TRANSPORT_OFFSET, icmpLength);
        output.send(Ipv4Packet.PROTOCOL_ICMP, cause.destination(), cause.source(), icmpLength, nowNs);
    }
}
