package io.ringstack.tcp;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An ICMP destination unreachable from the peer, laid out byte by byte as RFC 792 draws it, quoting a frame the
 * engine sent: its IPv4 header and first 8 bytes of TCP (source port, destination port, sequence number).
 * <pre>
 *   Ethernet  | dst MAC | src MAC | 0x0800 |
 *   IPv4      | 0x45 | 0 | total length | id 0 | flags 0 | TTL 64 | proto 1 | checksum | peer | us |
 *   ICMP      | type 3 | code | checksum | unused (or 0 | next-hop MTU for code 4) |
 *   quote     | the engine's IPv4 header | its first 8 transport bytes |
 * </pre>
 */
final class IcmpErrorFrame
{
    static final int TYPE_DESTINATION_UNREACHABLE = 3;
    static final int TYPE_SOURCE_QUENCH = 4;
    static final int TYPE_TIME_EXCEEDED = 11;
    static final int CODE_NET_UNREACHABLE = 0;
    static final int CODE_HOST_UNREACHABLE = 1;
    static final int CODE_PROTOCOL_UNREACHABLE = 2;
    static final int CODE_PORT_UNREACHABLE = 3;
    static final int CODE_FRAGMENTATION_NEEDED = 4;

    private static final int ETHERNET_HEADER = 14;
    private static final int IP_HEADER = 20;
    private static final int QUOTED_TRANSPORT = 8;
    private static final int TCP_SEQUENCE = 4;

    private final byte[] sentFrame;
    private int type = TYPE_DESTINATION_UNREACHABLE;
    private int code;
    private int restOfHeader;
    private Integer quotedSequence;

    private IcmpErrorFrame(final byte[] sentFrame)
    {
        this.sentFrame = sentFrame;
    }

    /**
     * @param sentFrame a frame the engine sent, Ethernet header first.
     */
    static IcmpErrorFrame quoting(final byte[] sentFrame)
    {
        return new IcmpErrorFrame(sentFrame);
    }

    IcmpErrorFrame type(final int type)
    {
        this.type = type;
        return this;
    }

    IcmpErrorFrame code(final int code)
    {
        this.code = code;
        return this;
    }

    /**
     * Fragmentation needed with this next-hop MTU (RFC 1191 section 4).
     */
    IcmpErrorFrame nextHopMtu(final int mtu)
    {
        code = CODE_FRAGMENTATION_NEEDED;
        restOfHeader = mtu & 0xFFFF;
        return this;
    }

    /**
     * The quote carries this sequence number instead of the one sent: what a blind attacker guesses.
     */
    IcmpErrorFrame quotedSequence(final int sequence)
    {
        quotedSequence = sequence;
        return this;
    }

    byte[] frame()
    {
        final byte[] quote =
            Arrays.copyOfRange(sentFrame, ETHERNET_HEADER, ETHERNET_HEADER + IP_HEADER + QUOTED_TRANSPORT);
        if (quotedSequence != null)
        {
            ByteBuffer.wrap(quote).putInt(IP_HEADER + TCP_SEQUENCE, quotedSequence);
        }
        final ByteBuffer icmp = ByteBuffer.allocate(8 + quote.length);
        icmp.put((byte)type).put((byte)code).putShort((short)0).putInt(restOfHeader).put(quote);
        icmp.putShort(2, (short)checksum(icmp.array()));

        final ByteBuffer ip = ByteBuffer.allocate(IP_HEADER + icmp.capacity());
        ip.put((byte)0x45).put((byte)0).putShort((short)ip.capacity()).putShort((short)0).putShort((short)0)
            .put((byte)64).put((byte)1).putShort((short)0)
            .putInt(TcpTestbed.PEER_ADDRESS).putInt(TcpTestbed.LOCAL_ADDRESS).put(icmp.array());
        ip.putShort(10, (short)checksum(Arrays.copyOf(ip.array(), IP_HEADER)));

        final ByteBuffer frame = ByteBuffer.allocate(ETHERNET_HEADER + ip.capacity());
        putMac(frame, TcpTestbed.LOCAL_MAC);
        putMac(frame, TcpTestbed.PEER_MAC);
        frame.putShort((short)0x0800).put(ip.array());
        return frame.array();
    }

    private static void putMac(final ByteBuffer frame, final long mac)
    {
        frame.putShort((short)(mac >>> 32)).putInt((int)mac);
    }

    /**
     * The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit words.
     */
    private static int checksum(final byte[] bytes)
    {
        long sum = 0;
        for (int i = 0; i < bytes.length; i += 2)
        {
            sum += ((bytes[i] & 0xFF) << 8) | (i + 1 < bytes.length ? bytes[i + 1] & 0xFF : 0);
        }
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int)~sum & 0xFFFF;
    }
}
