package io.ringstack.bench;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;

/**
 * The peer of the engine's parse: the least code that makes the dispatcher's receive checks on an Ethernet, IPv4
 * and UDP frame, written by hand against one {@link DirectBuffer} with no flyweights, no fields and no calls: frame
 * long enough for each header, destination MAC, EtherType IPv4, version 4 and a header length and total length that
 * fit (RFC 791 3.1; a header without options, as the benchmark's frame has), the IPv4 header checksum (RFC 1071), destination address, not a fragment, protocol UDP, a UDP
 * length that fits (RFC 768) and the UDP checksum over the pseudo-header, unless it is zero.
 * <p>
 * It is what a parse could cost if the engine's layering cost nothing, so the engine's parse is read against it in
 * the same run. It returns the destination port, or 0 when a check fails, as {@code UdpReceiveBenchmark.parseOnly}'s
 * parse does.
 */
final class MinimalUdpParse
{
    private static final int ETHERNET_HEADER = 14;
    private static final int IPV4_HEADER = 20;
    private static final int UDP_HEADER = 8;
    private static final int ETHER_TYPE_IPV4 = 0x0800;
    private static final int PROTOCOL_UDP = 17;
    private static final int FRAGMENT_BITS = 0x3FFF;

    private MinimalUdpParse()
    {
    }

    /**
     * @return the destination port, or 0 when any check fails.
     */
    static int parse(final DirectBuffer frame, final int length, final long mac, final int address)
    {
        if (length < ETHERNET_HEADER + IPV4_HEADER ||
            frame.getLong(0, ByteOrder.BIG_ENDIAN) >>> 16 != mac ||
            (frame.getShort(12, ByteOrder.BIG_ENDIAN) & 0xFFFF) != ETHER_TYPE_IPV4)
        {
            return 0;
        }
        final int ip = ETHERNET_HEADER;
        final long first = frame.getLong(ip, ByteOrder.BIG_ENDIAN);
        final long second = frame.getLong(ip + 8, ByteOrder.BIG_ENDIAN);
        final int destination = frame.getInt(ip + 16, ByteOrder.BIG_ENDIAN);
        final int totalLength = (int)(first >>> 32) & 0xFFFF;
        if ((int)(first >>> 56) != 0x45 || totalLength < IPV4_HEADER + UDP_HEADER ||
            totalLength > length - ETHERNET_HEADER ||
            fold((first >>> 32) + (first & 0xFFFF_FFFFL) + (second >>> 32) + (second & 0xFFFF_FFFFL) +
                (destination & 0xFFFF_FFFFL)) != 0xFFFF ||
            destination != address || ((int)first & FRAGMENT_BITS) != 0 ||
            ((int)(second >>> 48) & 0xFF) != PROTOCOL_UDP)
        {
            return 0;
        }
        final int udp = ip + IPV4_HEADER;
        final long header = frame.getLong(udp, ByteOrder.BIG_ENDIAN);
        final int udpLength = (int)(header >>> 16) & 0xFFFF;
        if (udpLength < UDP_HEADER || udpLength > totalLength - IPV4_HEADER)
        {
            return 0;
        }
        if ((header & 0xFFFF) != 0 && fold(udpSum(frame, udp, udpLength) +
            ((int)second & 0xFFFF_FFFFL) + (destination & 0xFFFF_FFFFL) + PROTOCOL_UDP + udpLength) != 0xFFFF)
        {
            return 0;
        }
        return (int)(header >>> 32) & 0xFFFF;
    }

    /**
     * The one's complement sum of the UDP header and payload in big-endian 16-bit words, not yet folded.
     */
    private static long udpSum(final DirectBuffer frame, final int offset, final int length)
    {
        long sum = 0;
        int i = offset;
        final int end = offset + length;
        for (; i + 4 <= end; i += 4)
        {
            sum += frame.getInt(i, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
        }
        if (i + 2 <= end)
        {
            sum += frame.getShort(i, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            i += 2;
        }
        if (i < end)
        {
            sum += (frame.getByte(i) & 0xFF) << 8;
        }
        return sum;
    }

    /**
     * @return {@code sum} folded to 16 bits; 0xFFFF when the data and its checksum add up.
     */
    private static int fold(final long sum)
    {
        long s = (sum & 0xFFFF_FFFFL) + (sum >>> 32);
        s = (s & 0xFFFF) + (s >>> 16);
        s = (s & 0xFFFF) + (s >>> 16);
        return (int)((s & 0xFFFF) + (s >>> 16));
    }
}
