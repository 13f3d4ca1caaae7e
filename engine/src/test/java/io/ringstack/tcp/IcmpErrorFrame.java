package io.ringstack.tcp;

import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.IcmpPacket;
import io.ringstack.wire.Ipv4Packet;
import java.nio.ByteOrder;
import org.agrona.concurrent.UnsafeBuffer;

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
        final int quoteLength = IP_HEADER + QUOTED_TRANSPORT;
        final int icmpLength = IcmpPacket.HEADER_LENGTH + quoteLength;
        final int ip = EthernetFrame.HEADER_LENGTH;
        final int icmp = ip + Ipv4Packet.HEADER_LENGTH;
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[icmp + icmpLength]);
        EthernetFrame.writeHeader(frame, 0, TcpTestbed.LOCAL_MAC, TcpTestbed.PEER_MAC, EthernetFrame.ETHER_TYPE_IPV4);
        Ipv4Packet.writeHeader(frame, ip, 0, icmpLength, 0, 0, 64, Ipv4Packet.PROTOCOL_ICMP, TcpTestbed.PEER_ADDRESS,
            TcpTestbed.LOCAL_ADDRESS);
        final int quote = IcmpPacket.writeHeader(frame, icmp, type, code, restOfHeader);
        frame.putBytes(quote, sentFrame, EthernetFrame.HEADER_LENGTH, quoteLength);
        if (quotedSequence != null)
        {
            frame.putInt(quote + IP_HEADER + TCP_SEQUENCE, quotedSequence, ByteOrder.BIG_ENDIAN);
        }
        IcmpPacket.writeChecksum(frame, icmp, icmpLength);
        return frame.byteArray();
    }
}
