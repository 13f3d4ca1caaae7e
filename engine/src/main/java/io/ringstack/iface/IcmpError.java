package io.ringstack.iface;

import io.ringstack.wire.IcmpPacket;
import io.ringstack.wire.Ipv4Packet;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * An ICMP destination unreachable or time exceeded as the transport arm it concerns sees it (RFC 792): its type and
 * code, the next-hop MTU of a fragmentation needed (RFC 1191 section 4) and the datagram it quotes, whose IPv4
 * header {@link IcmpReceiver} has checked to be complete, from this host and followed by at least 8 transport bytes.
 * One instance, reused for every error; valid only during the call it is passed to. Engine thread only.
 */
public final class IcmpError
{
    private DirectBuffer buffer;
    private int type;
    private int code;
    private int nextHopMtu;
    private int totalLength;
    private int source;
    private int destination;
    private int transportOffset;

    /**
     * @param quote the offset in {@code buffer} of the quoted IPv4 header.
     */
    void wrap(final IcmpPacket icmp, final DirectBuffer buffer, final int quote, final int headerLength)
    {
        this.buffer = buffer;
        type = icmp.type();
        code = icmp.code();
        nextHopMtu = icmp.restOfHeader() & 0xFFFF;
        totalLength = buffer.getShort(quote + Ipv4Packet.TOTAL_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        source = buffer.getInt(quote + Ipv4Packet.SOURCE_OFFSET, ByteOrder.BIG_ENDIAN);
        destination = buffer.getInt(quote + Ipv4Packet.DESTINATION_OFFSET, ByteOrder.BIG_ENDIAN);
        transportOffset = quote + headerLength;
    }

    /**
     * @return the ICMP code: net, host, protocol, port unreachable, fragmentation needed... of a destination
     * unreachable; TTL or reassembly time exceeded of a time exceeded.
     */
    public int code()
    {
        return code;
    }

    public boolean isFragmentationNeeded()
    {
        return type == IcmpPacket.TYPE_DESTINATION_UNREACHABLE && code == IcmpPacket.CODE_FRAGMENTATION_NEEDED;
    }

    /**
     * @return {@code true} for a time exceeded (RFC 792: TTL exceeded in transit, or fragment reassembly time
     * exceeded), {@code false} for a destination unreachable.
     */
    public boolean isTimeExceeded()
    {
        return type == IcmpPacket.TYPE_TIME_EXCEEDED;
    }

    /**
     * @return the path MTU a fragmentation needed reports: its next-hop MTU (RFC 1191 section 4), else the plateau
     * below the quoted datagram's length, never below {@link PathMtuCache#MIN_PATH_MTU}.
     */
    public int reportedMtu()
    {
        return PathMtuCache.reportedMtu(nextHopMtu, totalLength);
    }

    /**
     * @return the quoted datagram's source address: one of ours.
     */
    public int source()
    {
        return source;
    }

    /**
     * @return the quoted datagram's destination address.
     */
    public int destination()
    {
        return destination;
    }

    /**
     * @return the buffer holding the quoted datagram's first transport bytes, at least 8, at
     * {@link #transportOffset()}.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    public int transportOffset()
    {
        return transportOffset;
    }
}
