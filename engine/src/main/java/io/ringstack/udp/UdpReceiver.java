package io.ringstack.udp;

import io.ringstack.errno.UnreachableErrors;
import io.ringstack.iface.DropReason;
import io.ringstack.iface.IcmpError;
import io.ringstack.iface.IcmpResponder;
import io.ringstack.iface.Ipv4Output;
import io.ringstack.iface.Ipv4Protocol;
import io.ringstack.wire.IcmpPacket;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.UdpDatagram;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

/**
 * The UDP arm (RFC 768): a datagram with a valid checksum goes to the socket bound to its port, as one message of
 * that socket's receive ring with the source address and port before the payload; no socket is ICMP port
 * unreachable (RFC 1122 4.1.3.1) when the datagram may be answered. A hard ICMP destination unreachable about a
 * datagram a connected socket sent becomes that socket's pending error (RFC 1122 4.1.3.3), as Linux reports it:
 * port unreachable is {@code ECONNREFUSED} on the next call. A fragmentation needed about a datagram of a bound
 * socket lowers the path MTU (RFC 1191), to which later datagrams are fragmented. Engine thread only; nothing here
 * allocates.
 */
public final class UdpReceiver implements Ipv4Protocol
{
    private final UdpDatagram udp = new UdpDatagram();
    private final UdpTable table;
    private final IcmpResponder icmp;
    private final Ipv4Output output;

    public UdpReceiver(final UdpTable table, final IcmpResponder icmp, final Ipv4Output output)
    {
        this.table = table;
        this.icmp = icmp;
        this.output = output;
    }

    public DropReason onPacket(final Ipv4Packet ip, final int arrival, final long nowNs)
    {
        switch (udp.wrap(ip.buffer(), ip.payloadOffset(), ip.payloadLength()))
        {
            case UdpDatagram.VALID:
                break;
            case UdpDatagram.TRUNCATED:
                return DropReason.UDP_TRUNCATED;
            default:
                return DropReason.UDP_BAD_LENGTH;
        }
        if ((arrival & CHECKSUM_GOOD) == 0 && !udp.isChecksumValid(ip.source(), ip.destination()))
        {
            return DropReason.UDP_BAD_CHECKSUM;
        }
        final UdpEndpoint endpoint = table.lookup(udp.destinationPort());
        if (endpoint == null || (endpoint.localAddress != 0 && endpoint.localAddress != ip.destination() &&
            (arrival & TO_BROADCAST) == 0))
        {
            if ((arrival & ANSWERABLE) != 0)
            {
                icmp.unreachable(ip, IcmpPacket.CODE_PORT_UNREACHABLE, nowNs);
            }
            return DropReason.UDP_NO_SOCKET;
        }
        if (endpoint.isConnected() &&
            (endpoint.remotePort != udp.sourcePort() || endpoint.remoteAddress != ip.source()))
        {
            return DropReason.UDP_PEER_MISMATCH;
        }
        return deliver(endpoint, ip.source());
    }

    public DropReason onUnreachable(final IcmpError error, final long nowNs)
    {
        final DirectBuffer quote = error.buffer();
        final int offset = error.transportOffset();
        final int sourcePort = quote.getShort(offset + UdpDatagram.SOURCE_PORT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final UdpEndpoint endpoint = table.lookup(sourcePort);
        if (error.isFragmentationNeeded() && endpoint != null)
        {
            return output.lowerPathMtu(error.destination(), error.reportedMtu(), nowNs) ?
                null : DropReason.ICMP_PATH_MTU_NOT_LOWER;
        }
        final int hardError = error.isTimeExceeded() ? 0 : UnreachableErrors.hardError(error.code());
        final int destinationPort =
            quote.getShort(offset + UdpDatagram.DESTINATION_PORT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if (hardError == 0 || endpoint == null || !endpoint.isConnected() ||
            endpoint.remoteAddress != error.destination() || endpoint.remotePort != destinationPort)
        {
            return DropReason.ICMP_ERROR_NOT_REPORTED;
        }
        endpoint.reportError(-hardError);
        endpoint.wakeReader();
        return null;
    }

    private DropReason deliver(final UdpEndpoint endpoint, final int source)
    {
        final OneToOneRingBuffer ring = endpoint.receiveRing();
        final int payloadLength = udp.payloadLength();
        final int messageLength = UdpEndpoint.PAYLOAD_OFFSET + payloadLength;
        final int index = messageLength > ring.maxMsgLength() ? -1 :
            ring.tryClaim(UdpEndpoint.DATAGRAM_MESSAGE, messageLength);
        if (index < 0)
        {
            return DropReason.UDP_SOCKET_RING_FULL;
        }
        final UnsafeBuffer ringBuffer = (UnsafeBuffer)ring.buffer();
        ringBuffer.putInt(index + UdpEndpoint.SOURCE_ADDRESS_OFFSET, source);
        ringBuffer.putInt(index + UdpEndpoint.SOURCE_PORT_OFFSET, udp.sourcePort());
        ringBuffer.putBytes(index + UdpEndpoint.PAYLOAD_OFFSET, udp.buffer(), udp.payloadOffset(), payloadLength);
        ring.commit(index);
        endpoint.wakeReader();
        return null;
    }
}
