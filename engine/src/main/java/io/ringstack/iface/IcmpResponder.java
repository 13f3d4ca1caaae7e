package io.ringstack.iface;

import io.ringstack.wire.IcmpPacket;
import io.ringstack.wire.Ipv4Packet;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The ICMP messages the engine sends in answer to what it receives: echo replies (RFC 792, RFC 1122 3.2.2.6) and
 * destination unreachable for an unsupported protocol or a port with no socket (RFC 1122 3.2.2.1) and time exceeded
 * for a datagram whose fragments did not all arrive (RFC 1122 3.2.2.4), carrying the offending IP header and the
 * first 8 bytes of its payload. Every message passes {@link IcmpRateLimit} first; one it holds back is counted as
 * {@link DropReason#ICMP_RATE_LIMITED}.
 */
public final class IcmpResponder
{
    private static final int QUOTED_PAYLOAD_LENGTH = 8;

    private final Ipv4Output output;
    private final IcmpRateLimit rateLimit;
    private final EngineCounters counters;

    public IcmpResponder(final Ipv4Output output, final IcmpRateLimit rateLimit, final EngineCounters counters)
    {
        this.output = output;
        this.rateLimit = rateLimit;
        this.counters = counters;
    }

    /**
     * Answer an echo request with the same identifier, sequence and data, from the address it was sent to. The
     * reply is as long as the request, so it always fits a datagram, in fragments past the MTU.
     */
    void echoReply(final Ipv4Packet request, final IcmpPacket echo, final long nowNs)
    {
        if (!allowed(IcmpPacket.TYPE_ECHO_REPLY, nowNs))
        {
            return;
        }
        final int dataLength = echo.payloadLength();
        final UnsafeBuffer frame = output.frame();
        final int data = IcmpPacket.writeEchoHeader(frame, Ipv4Output.TRANSPORT_OFFSET, IcmpPacket.TYPE_ECHO_REPLY,
            echo.identifier(), echo.sequence());
        frame.putBytes(data, echo.buffer(), echo.payloadOffset(), dataLength);
        send(request.destination(), request.source(), IcmpPacket.HEADER_LENGTH + dataLength, nowNs);
    }

    /**
     * Tell the sender of {@code offending} that its datagram could not be delivered.
     */
    public void unreachable(final Ipv4Packet offending, final int code, final long nowNs)
    {
        final int quotedLength =
            offending.headerLength() + Math.min(QUOTED_PAYLOAD_LENGTH, offending.payloadLength());
        error(IcmpPacket.TYPE_DESTINATION_UNREACHABLE, code, offending.buffer(), offending.offset(), quotedLength,
            offending.destination(), offending.source(), nowNs);
    }

    /**
     * Tell {@code source} that the fragments of its datagram to {@code destination} did not all arrive in time
     * (RFC 792 time exceeded, code 1; RFC 1122 3.2.2.4), quoting the first fragment's header and 8 bytes.
     *
     * @param quoted the first fragment's IP header and the first (up to) 8 bytes of its payload.
     */
    void reassemblyTimeExceeded(
        final DirectBuffer quoted, final int offset, final int quotedLength, final int source, final int destination,
        final long nowNs)
    {
        error(IcmpPacket.TYPE_TIME_EXCEEDED, IcmpPacket.CODE_REASSEMBLY_TIME_EXCEEDED, quoted, offset, quotedLength,
            destination, source, nowNs);
    }

    private void error(
        final int type, final int code, final DirectBuffer quoted, final int offset, final int quotedLength,
        final int from, final int to, final long nowNs)
    {
        if (to == Ipv4Addresses.ANY || !allowed(type, nowNs))
        {
            return;
        }
        final UnsafeBuffer frame = output.frame();
        final int data = IcmpPacket.writeHeader(frame, Ipv4Output.TRANSPORT_OFFSET, type, code, 0);
        frame.putBytes(data, quoted, offset, quotedLength);
        send(from, to, IcmpPacket.HEADER_LENGTH + quotedLength, nowNs);
    }

    private boolean allowed(final int type, final long nowNs)
    {
        if (rateLimit.tryAcquire(type, nowNs))
        {
            return true;
        }
        counters.txRequests.incrementRelease();
        counters.dropTx(DropReason.ICMP_RATE_LIMITED);
        return false;
    }

    private void send(final int from, final int to, final int icmpLength, final long nowNs)
    {
        IcmpPacket.writeChecksum(output.frame(), Ipv4Output.TRANSPORT_OFFSET, icmpLength);
        output.send(Ipv4Packet.PROTOCOL_ICMP, from, to, icmpLength, nowNs);
    }
}
