package io.ringstack.iface;

import io.ringstack.wire.ArpPacket;
import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.IcmpPacket;
import io.ringstack.wire.InternetChecksum;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.Ipv4Text;
import io.ringstack.wire.TcpSegment;
import io.ringstack.wire.UdpDatagram;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.agrona.BitUtil;
import org.agrona.concurrent.UnsafeBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Frames for the engine's specification tests: builders over the wire writers (Ethernet, ARP, IPv4, ICMP, UDP,
 * TCP, every checksum correct), mutators that break one field, raw big-endian readers for checking what the
 * engine sent without trusting its own flyweights, and a few literal frames written out field by field.
 * <p>
 * The network is QEMU's user-mode one: us at 10.0.2.15/24 ({@link #OUR_MAC}), the gateway 10.0.2.2
 * ({@link #PEER_MAC}), which is the sender of every frame unless a test says otherwise.
 */
final class TestFrames
{
    static final long OUR_MAC = 0x5254_0012_3456L;
    static final long PEER_MAC = 0x5255_0A00_0202L;
    static final long OTHER_HOST_MAC = 0x0200_0000_0099L;
    static final long BROADCAST_MAC = EthernetFrame.BROADCAST;

    static final int OUR_ADDRESS = ip("10.0.2.15");
    static final int PEER_ADDRESS = ip("10.0.2.2");
    static final int GATEWAY_ADDRESS = PEER_ADDRESS;
    static final int DIRECTED_BROADCAST = ip("10.0.2.255");
    static final int LIMITED_BROADCAST = 0xFFFF_FFFF;

    static final int IP = EthernetFrame.HEADER_LENGTH;
    /** Where the transport header starts in a frame whose IPv4 header has no options. */
    static final int TRANSPORT = IP + Ipv4Packet.HEADER_LENGTH;
    static final int IDENTIFICATION = 0x1234;
    static final int TTL = 64;

    /**
     * ARP, Request who-has 10.0.2.15 tell 10.0.2.2, as QEMU's slirp gateway sends it (RFC 826).
     */
    static final String ARP_REQUEST_FOR_US_HEX =
        "ffffffffffff 52550a000202 0806" +          // Ethernet: broadcast, from the gateway, EtherType ARP
        "0001 0800 06 04 0001" +                    // htype Ethernet, ptype IPv4, hlen 6, plen 4, op request
        "52550a000202 0a000202" +                   // sender MAC, sender IPv4 10.0.2.2
        "000000000000 0a00020f";                    // target MAC unknown, target IPv4 10.0.2.15

    /**
     * 10.0.2.2 > 10.0.2.15: ICMP echo request, id 0x0e5f, seq 1, length 64: Linux {@code ping}'s 56-byte payload
     * (a struct timeval then bytes 0x10..0x37), as in a Linux 6.x capture, readdressed (RFC 792).
     */
    static final String ICMP_ECHO_REQUEST_HEX =
        "525400123456 52550a000202 0800" +
        "45 00 0054 ed60 4000 40 01 3538 0a000202 0a00020f" +     // IPv4: IHL 5, len 84, DF, ttl 64, ICMP, csum
        "08 00 8a96 0e5f 0001" +                                  // type 8, code 0, checksum, id, seq
        "1958056b00000000 8173000000000000" +                     // struct timeval (tv_sec, tv_usec)
        "101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637";

    /**
     * 10.0.2.2.40000 > 10.0.2.15.7777: UDP, length 9, "ringstack", checksum field 0: the sender computed none,
     * which RFC 768 allows over IPv4.
     */
    static final String UDP_NO_CHECKSUM_HEX =
        "525400123456 52550a000202 0800" +
        "45 00 0025 352f 4000 40 11 ed88 0a000202 0a00020f" +     // IPv4: len 37, DF, ttl 64, UDP
        "9c40 1e61 0011 0000" +                                   // ports 40000 > 7777, length 17, no checksum
        "72696e67737461636b";                                     // "ringstack"

    /**
     * 10.0.2.2.40002 > 10.0.2.15.8080: Flags [S], seq 264821541, win 64240, options [mss 1460,sackOK,TS val
     * 1077479913 ecr 0,nop,wscale 10]: a Linux SYN, readdressed (RFC 9293 3.1).
     */
    static final String TCP_SYN_HEX =
        "525400123456 52550a000202 0800" +
        "45 00 003c 48e6 4000 40 06 d9c5 0a000202 0a00020f" +     // IPv4: len 60, DF, ttl 64, TCP
        "9c42 1f90 0fc8db25 00000000 a0 02 faf0 4419 0000" +      // ports, seq, ack 0, off 10, SYN, win, csum
        "020405b4 0402 080a403909e900000000 01 03030a";           // MSS 1460, SACK-perm, TS, NOP, WS 10

    private TestFrames()
    {
    }

    static int ip(final String dottedQuad)
    {
        return Ipv4Text.parse(dottedQuad);
    }

    static byte[] hex(final String hex)
    {
        return BitUtil.fromHex(hex.replaceAll("\\s", ""));
    }

    // ---------------------------------------------------------------- builders

    static byte[] ethernet(final long destination, final long source, final int etherType, final byte[] payload)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[EthernetFrame.HEADER_LENGTH + payload.length]);
        final int offset = EthernetFrame.writeHeader(frame, 0, destination, source, etherType);
        frame.putBytes(offset, payload);
        return frame.byteArray();
    }

    static byte[] arp(
        final long ethernetDestination, final int operation, final long senderMac, final int senderAddress,
        final long targetMac, final int targetAddress)
    {
        final UnsafeBuffer arp = new UnsafeBuffer(new byte[ArpPacket.LENGTH]);
        ArpPacket.write(arp, 0, operation, senderMac, senderAddress, targetMac, targetAddress);
        return ethernet(ethernetDestination, senderMac, EthernetFrame.ETHER_TYPE_ARP, arp.byteArray());
    }

    /**
     * A broadcast who-has {@code targetAddress} tell {@code senderAddress}.
     */
    static byte[] arpRequest(final long senderMac, final int senderAddress, final int targetAddress)
    {
        return arp(BROADCAST_MAC, ArpPacket.OPERATION_REQUEST, senderMac, senderAddress, 0, targetAddress);
    }

    /**
     * A unicast {@code senderAddress} is-at {@code senderMac}, to {@code targetMac}/{@code targetAddress}.
     */
    static byte[] arpReply(final long senderMac, final int senderAddress, final long targetMac, final int targetAddress)
    {
        return arp(targetMac, ArpPacket.OPERATION_REPLY, senderMac, senderAddress, targetMac, targetAddress);
    }

    /**
     * An IPv4 packet without options carrying {@code transport}, in an Ethernet frame.
     */
    static byte[] ipv4(
        final long ethernetDestination, final long ethernetSource, final int source, final int destination,
        final int protocol, final byte[] transport)
    {
        final UnsafeBuffer packet = new UnsafeBuffer(new byte[Ipv4Packet.HEADER_LENGTH + transport.length]);
        final int offset = Ipv4Packet.writeHeader(
            packet, 0, transport.length, IDENTIFICATION, TTL, protocol, source, destination);
        packet.putBytes(offset, transport);
        return ethernet(ethernetDestination, ethernetSource, EthernetFrame.ETHER_TYPE_IPV4, packet.byteArray());
    }

    /**
     * An IPv4 packet whose header carries {@code options} (a multiple of 4 bytes, at most 40).
     */
    static byte[] ipv4WithOptions(
        final int source, final int destination, final int protocol, final byte[] options, final byte[] transport)
    {
        final int headerLength = Ipv4Packet.HEADER_LENGTH + options.length;
        final UnsafeBuffer packet = new UnsafeBuffer(new byte[headerLength + transport.length]);
        Ipv4Packet.writeHeader(packet, 0, transport.length, IDENTIFICATION, TTL, protocol, source, destination);
        packet.putByte(Ipv4Packet.VERSION_IHL_OFFSET, (byte)((4 << 4) | (headerLength >> 2)));
        packet.putShort(Ipv4Packet.TOTAL_LENGTH_OFFSET, (short)(headerLength + transport.length), ByteOrder.BIG_ENDIAN);
        packet.putBytes(Ipv4Packet.HEADER_LENGTH, options);
        packet.putBytes(headerLength, transport);
        packet.putShort(Ipv4Packet.CHECKSUM_OFFSET, (short)0, ByteOrder.BIG_ENDIAN);
        packet.putShort(Ipv4Packet.CHECKSUM_OFFSET, (short)InternetChecksum.compute(packet, 0, headerLength),
            ByteOrder.BIG_ENDIAN);
        return ethernet(OUR_MAC, PEER_MAC, EthernetFrame.ETHER_TYPE_IPV4, packet.byteArray());
    }

    static byte[] udpSegment(
        final int source, final int destination, final int sourcePort, final int destinationPort,
        final byte[] payload)
    {
        final UnsafeBuffer udp = new UnsafeBuffer(new byte[UdpDatagram.HEADER_LENGTH + payload.length]);
        final int offset = UdpDatagram.writeHeader(udp, 0, sourcePort, destinationPort, payload.length);
        udp.putBytes(offset, payload);
        UdpDatagram.writeChecksum(udp, 0, udp.capacity(), source, destination);
        return udp.byteArray();
    }

    static byte[] udp(
        final long ethernetDestination, final int source, final int destination, final int sourcePort,
        final int destinationPort, final byte[] payload)
    {
        return ipv4(ethernetDestination, PEER_MAC, source, destination, Ipv4Packet.PROTOCOL_UDP,
            udpSegment(source, destination, sourcePort, destinationPort, payload));
    }

    /**
     * A UDP datagram from the peer to us.
     */
    static byte[] udp(final int sourcePort, final int destinationPort, final byte[] payload)
    {
        return udp(OUR_MAC, PEER_ADDRESS, OUR_ADDRESS, sourcePort, destinationPort, payload);
    }

    static byte[] icmpMessage(final int type, final int code, final int restOfHeader, final byte[] data)
    {
        final UnsafeBuffer icmp = new UnsafeBuffer(new byte[IcmpPacket.HEADER_LENGTH + data.length]);
        final int offset = IcmpPacket.writeHeader(icmp, 0, type, code, restOfHeader);
        icmp.putBytes(offset, data);
        IcmpPacket.writeChecksum(icmp, 0, icmp.capacity());
        return icmp.byteArray();
    }

    static byte[] icmp(
        final long ethernetDestination, final int source, final int destination, final int type, final int code,
        final int restOfHeader, final byte[] data)
    {
        return ipv4(ethernetDestination, PEER_MAC, source, destination, Ipv4Packet.PROTOCOL_ICMP,
            icmpMessage(type, code, restOfHeader, data));
    }

    static byte[] echoRequest(
        final long ethernetDestination, final int source, final int destination, final int identifier,
        final int sequence, final byte[] data)
    {
        return icmp(ethernetDestination, source, destination, IcmpPacket.TYPE_ECHO_REQUEST, 0,
            (identifier << 16) | sequence, data);
    }

    /**
     * An echo request from the peer to us.
     */
    static byte[] echoRequest(final int identifier, final int sequence, final byte[] data)
    {
        return echoRequest(OUR_MAC, PEER_ADDRESS, OUR_ADDRESS, identifier, sequence, data);
    }

    static byte[] tcpSegment(
        final int source, final int destination, final int sourcePort, final int destinationPort,
        final int sequence, final int acknowledgment, final int flags, final byte[] payload)
    {
        return tcpSegment(source, destination, sourcePort, destinationPort, sequence, acknowledgment, flags,
            new byte[0], payload);
    }

    /**
     * @param options the options area as it goes on the wire, a multiple of 4 bytes long.
     */
    static byte[] tcpSegment(
        final int source, final int destination, final int sourcePort, final int destinationPort,
        final int sequence, final int acknowledgment, final int flags, final byte[] options, final byte[] payload)
    {
        final int headerLength = TcpSegment.HEADER_LENGTH + options.length;
        final UnsafeBuffer tcp = new UnsafeBuffer(new byte[headerLength + payload.length]);
        final int offset = TcpSegment.writeHeader(tcp, 0, sourcePort, destinationPort, sequence, acknowledgment,
            headerLength, flags, 64240);
        tcp.putBytes(offset, options);
        tcp.putBytes(offset + options.length, payload);
        TcpSegment.writeChecksum(tcp, 0, tcp.capacity(), source, destination);
        return tcp.byteArray();
    }

    static byte[] tcp(
        final long ethernetDestination, final int source, final int destination, final int sourcePort,
        final int destinationPort, final int sequence, final int acknowledgment, final int flags,
        final byte[] payload)
    {
        return ipv4(ethernetDestination, PEER_MAC, source, destination, Ipv4Packet.PROTOCOL_TCP,
            tcpSegment(source, destination, sourcePort, destinationPort, sequence, acknowledgment, flags, payload));
    }

    /**
     * A TCP segment from the peer to us.
     */
    static byte[] tcp(
        final int sourcePort, final int destinationPort, final int sequence, final int acknowledgment,
        final int flags, final byte[] payload)
    {
        return tcp(OUR_MAC, PEER_ADDRESS, OUR_ADDRESS, sourcePort, destinationPort, sequence, acknowledgment, flags,
            payload);
    }

    /**
     * A TCP segment from the peer to us with {@code options} in its header (a multiple of 4 bytes).
     */
    static byte[] tcp(
        final int sourcePort, final int destinationPort, final int sequence, final int acknowledgment,
        final int flags, final byte[] options, final byte[] payload)
    {
        return ipv4(OUR_MAC, PEER_MAC, PEER_ADDRESS, OUR_ADDRESS, Ipv4Packet.PROTOCOL_TCP, tcpSegment(PEER_ADDRESS,
            OUR_ADDRESS, sourcePort, destinationPort, sequence, acknowledgment, flags, options, payload));
    }

    /**
     * One valid frame of every kind the engine meets, from the peer unless said otherwise: ARP request and reply,
     * ICMP echo requests (plain, to the directed broadcast, with IPv4 options), an echo reply, UDP to
     * {@code udpPort} (without and with a checksum) and to a port nobody has, a TCP SYN with options and a data
     * segment to ports nobody listens on, and IPv4 carrying an unknown protocol (47, GRE).
     */
    static List<byte[]> everyProtocol(final int udpPort)
    {
        return List.of(
            hex(ARP_REQUEST_FOR_US_HEX),
            arpReply(0x0200_0000_0005L, ip("10.0.2.5"), OUR_MAC, OUR_ADDRESS),
            hex(ICMP_ECHO_REQUEST_HEX),
            echoRequest(BROADCAST_MAC, PEER_ADDRESS, DIRECTED_BROADCAST, 1, 1, bytes(16, 0)),
            ipv4WithOptions(PEER_ADDRESS, OUR_ADDRESS, Ipv4Packet.PROTOCOL_ICMP,
                hex("01 07 27 08 0a000202" + "00".repeat(32)),
                icmpMessage(IcmpPacket.TYPE_ECHO_REQUEST, 0, 0x0001_0002, bytes(24, 0x40))),
            icmp(OUR_MAC, PEER_ADDRESS, OUR_ADDRESS, IcmpPacket.TYPE_ECHO_REPLY, 0, 0x0003_0004, bytes(8, 0)),
            withShort(hex(UDP_NO_CHECKSUM_HEX), TRANSPORT + UdpDatagram.DESTINATION_PORT_OFFSET, udpPort),
            udp(40000, udpPort, ascii("to the bound socket")),
            udp(40000, 9999, ascii("to nobody")),
            hex(TCP_SYN_HEX),
            tcp(40002, 8080, 1000, 2000, TcpSegment.FLAG_ACK | TcpSegment.FLAG_PSH, ascii("GET / HTTP/1.1\r\n")),
            ipv4(OUR_MAC, PEER_MAC, PEER_ADDRESS, OUR_ADDRESS, 47, bytes(24, 0)));
    }

    static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] bytes(final int length, final int first)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(first + i);
        }
        return bytes;
    }

    // ---------------------------------------------------------------- mutators (each returns a new array)

    /**
     * @return a copy with {@code values} written as bytes from {@code index}.
     */
    static byte[] with(final byte[] frame, final int index, final int... values)
    {
        final byte[] copy = frame.clone();
        for (int i = 0; i < values.length; i++)
        {
            copy[index + i] = (byte)values[i];
        }
        return copy;
    }

    /**
     * @return a copy with a big-endian 16-bit {@code value} at {@code index}.
     */
    static byte[] withShort(final byte[] frame, final int index, final int value)
    {
        return with(frame, index, value >>> 8, value);
    }

    /**
     * @return a copy with a 48-bit MAC address at {@code index}.
     */
    static byte[] withMac(final byte[] frame, final int index, final long mac)
    {
        return with(frame, index, (int)(mac >>> 40), (int)(mac >>> 32), (int)(mac >>> 24), (int)(mac >>> 16),
            (int)(mac >>> 8), (int)mac);
    }

    static byte[] withInt(final byte[] frame, final int index, final int value)
    {
        return with(frame, index, value >>> 24, value >>> 16, value >>> 8, value);
    }

    /**
     * @return a copy whose IPv4 header checksum is correct again after an edit, so that only the edit is wrong.
     * Leaves the frame alone when its IHL does not fit in it.
     */
    static byte[] resealIpv4(final byte[] frame)
    {
        final byte[] copy = frame.clone();
        if (copy.length < IP + Ipv4Packet.HEADER_LENGTH)
        {
            return copy;
        }
        final int headerLength = (copy[IP] & 0xF) << 2;
        if (headerLength < Ipv4Packet.CHECKSUM_OFFSET + 2 || IP + headerLength > copy.length)
        {
            return copy;
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(copy);
        buffer.putShort(IP + Ipv4Packet.CHECKSUM_OFFSET, (short)0, ByteOrder.BIG_ENDIAN);
        buffer.putShort(IP + Ipv4Packet.CHECKSUM_OFFSET, (short)InternetChecksum.compute(buffer, IP, headerLength),
            ByteOrder.BIG_ENDIAN);
        return copy;
    }

    /**
     * Make the transport checksum right for whatever the (possibly damaged) headers say, where they fit; in place.
     */
    static byte[] resealTransport(final byte[] frame)
    {
        if (frame.length < IP + Ipv4Packet.HEADER_LENGTH || etherType(frame) != EthernetFrame.ETHER_TYPE_IPV4)
        {
            return frame;
        }
        final int headerLength = ipHeaderLength(frame);
        final int transport = IP + headerLength;
        final int length = Math.min(ipTotalLength(frame) - headerLength, frame.length - transport);
        if (headerLength < Ipv4Packet.HEADER_LENGTH || length < 0)
        {
            return frame;
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final int source = buffer.getInt(IP + Ipv4Packet.SOURCE_OFFSET, ByteOrder.BIG_ENDIAN);
        final int destination = buffer.getInt(IP + Ipv4Packet.DESTINATION_OFFSET, ByteOrder.BIG_ENDIAN);
        switch (ipProtocol(frame))
        {
            case Ipv4Packet.PROTOCOL_ICMP:
                if (length >= IcmpPacket.HEADER_LENGTH)
                {
                    IcmpPacket.writeChecksum(buffer, transport, length);
                }
                break;
            case Ipv4Packet.PROTOCOL_UDP:
                if (length >= UdpDatagram.HEADER_LENGTH)
                {
                    final int udpLength = u16(frame, transport + UdpDatagram.LENGTH_OFFSET);
                    if (udpLength >= UdpDatagram.HEADER_LENGTH && udpLength <= length)
                    {
                        UdpDatagram.writeChecksum(buffer, transport, udpLength, source, destination);
                    }
                }
                break;
            case Ipv4Packet.PROTOCOL_TCP:
                if (length >= TcpSegment.HEADER_LENGTH)
                {
                    TcpSegment.writeChecksum(buffer, transport, length, source, destination);
                }
                break;
            default:
                break;
        }
        return frame;
    }

    /**
     * @return a copy with an edit to the IPv4 header and the header checksum made right again.
     */
    static byte[] withIpv4(final byte[] frame, final int ipFieldOffset, final int... values)
    {
        return resealIpv4(with(frame, IP + ipFieldOffset, values));
    }

    /**
     * The fragment of {@code frame}'s datagram that carries bytes {@code [start, start + length)} of its IPv4
     * payload: the same header with Total Length, More Fragments, the offset and the checksum made to match, Don't
     * Fragment clear (RFC 791 3.2). {@code frame} may be longer than any MTU.
     */
    static byte[] fragment(final byte[] frame, final int start, final int length, final boolean more)
    {
        final int headerLength = ipHeaderLength(frame);
        final byte[] fragment = new byte[IP + headerLength + length];
        System.arraycopy(frame, 0, fragment, 0, IP + headerLength);
        System.arraycopy(frame, IP + headerLength + start, fragment, IP + headerLength, length);
        final UnsafeBuffer buffer = new UnsafeBuffer(fragment);
        buffer.putShort(IP + Ipv4Packet.TOTAL_LENGTH_OFFSET, (short)(headerLength + length), ByteOrder.BIG_ENDIAN);
        buffer.putShort(IP + Ipv4Packet.FLAGS_FRAGMENT_OFFSET_OFFSET,
            (short)((more ? Ipv4Packet.FLAG_MORE_FRAGMENTS : 0) | (start >> 3)), ByteOrder.BIG_ENDIAN);
        return resealIpv4(fragment);
    }

    /**
     * {@code frame}'s datagram cut at each of {@code starts} (payload offsets, multiples of 8, the first 0), in
     * order; the last fragment runs to the end of the payload.
     */
    static List<byte[]> fragments(final byte[] frame, final int... starts)
    {
        final int payloadLength = frame.length - IP - ipHeaderLength(frame);
        final List<byte[]> fragments = new ArrayList<>();
        for (int i = 0; i < starts.length; i++)
        {
            final boolean more = i + 1 < starts.length;
            final int end = more ? starts[i + 1] : payloadLength;
            fragments.add(fragment(frame, starts[i], end - starts[i], more));
        }
        return fragments;
    }

    /**
     * @return the fragment offset in bytes, More Fragments and the Total Length of a frame the engine sent, as
     * {@code "offset/MF/length"}, e.g. {@code "1480/1/1500"}.
     */
    static String fragmentShape(final byte[] frame)
    {
        final int flags = u16(frame, IP + Ipv4Packet.FLAGS_FRAGMENT_OFFSET_OFFSET);
        return ((flags & Ipv4Packet.FRAGMENT_OFFSET_MASK) << 3) + "/" +
            ((flags & Ipv4Packet.FLAG_MORE_FRAGMENTS) != 0 ? 1 : 0) + "/" + ipTotalLength(frame);
    }

    /**
     * Put the IPv4 payloads of {@code fragments} back together by their offsets, checking that they are
     * fragments of one datagram (one identification, protocol and address pair, every header checksum valid,
     * More Fragments on all but the last) and cover it exactly once.
     *
     * @return the datagram's IPv4 payload.
     */
    static byte[] reassemble(final List<byte[]> fragments)
    {
        final byte[] first = fragments.get(0);
        final byte[] payload = new byte[0xFFFF];
        int covered = 0;
        int total = -1;
        for (final byte[] fragment : fragments)
        {
            assertTrue(isIpv4HeaderChecksumValid(fragment), "header checksum of " + fragmentShape(fragment));
            assertEquals(u16(first, IP + Ipv4Packet.IDENTIFICATION_OFFSET),
                u16(fragment, IP + Ipv4Packet.IDENTIFICATION_OFFSET), "one identification");
            assertEquals(ipProtocol(first), ipProtocol(fragment), "one protocol");
            assertEquals(ipSource(first), ipSource(fragment), "one source");
            assertEquals(ipDestination(first), ipDestination(fragment), "one destination");
            final int flags = u16(fragment, IP + Ipv4Packet.FLAGS_FRAGMENT_OFFSET_OFFSET);
            final int start = (flags & Ipv4Packet.FRAGMENT_OFFSET_MASK) << 3;
            final int length = transportLength(fragment);
            System.arraycopy(fragment, transportOffset(fragment), payload, start, length);
            covered += length;
            if ((flags & Ipv4Packet.FLAG_MORE_FRAGMENTS) == 0)
            {
                total = start + length;
            }
        }
        assertEquals(total, covered, "the fragments cover the datagram exactly once");
        return Arrays.copyOf(payload, total);
    }

    static byte[] truncate(final byte[] frame, final int length)
    {
        return Arrays.copyOf(frame, length);
    }

    /**
     * @return the frame padded with {@code fill} bytes to {@code length}, as a NIC pads short frames.
     */
    static byte[] pad(final byte[] frame, final int length, final int fill)
    {
        final byte[] padded = Arrays.copyOf(frame, Math.max(length, frame.length));
        Arrays.fill(padded, frame.length, padded.length, (byte)fill);
        return padded;
    }

    // ---------------------------------------------------------------- raw readers (independent of the flyweights)

    static int u8(final byte[] frame, final int index)
    {
        return frame[index] & 0xFF;
    }

    static int u16(final byte[] frame, final int index)
    {
        return ((frame[index] & 0xFF) << 8) | (frame[index + 1] & 0xFF);
    }

    static int u32(final byte[] frame, final int index)
    {
        return (u16(frame, index) << 16) | u16(frame, index + 2);
    }

    static long mac(final byte[] frame, final int index)
    {
        return ((long)u16(frame, index) << 32) | (u32(frame, index + 2) & 0xFFFF_FFFFL);
    }

    static int etherType(final byte[] frame)
    {
        return u16(frame, EthernetFrame.ETHER_TYPE_OFFSET);
    }

    static int ipHeaderLength(final byte[] frame)
    {
        return (frame[IP] & 0xF) << 2;
    }

    static int ipTotalLength(final byte[] frame)
    {
        return u16(frame, IP + Ipv4Packet.TOTAL_LENGTH_OFFSET);
    }

    static int ipProtocol(final byte[] frame)
    {
        return u8(frame, IP + Ipv4Packet.PROTOCOL_OFFSET);
    }

    static int ipSource(final byte[] frame)
    {
        return u32(frame, IP + Ipv4Packet.SOURCE_OFFSET);
    }

    static int ipDestination(final byte[] frame)
    {
        return u32(frame, IP + Ipv4Packet.DESTINATION_OFFSET);
    }

    /**
     * @return the offset of the transport header, after any IPv4 options.
     */
    static int transportOffset(final byte[] frame)
    {
        return IP + ipHeaderLength(frame);
    }

    /**
     * @return the transport length by the IPv4 Total Length, not counting link padding.
     */
    static int transportLength(final byte[] frame)
    {
        return ipTotalLength(frame) - ipHeaderLength(frame);
    }

    static byte[] slice(final byte[] frame, final int from, final int length)
    {
        return Arrays.copyOfRange(frame, from, from + length);
    }

    /**
     * @return the UDP payload by the UDP Length field.
     */
    static byte[] udpPayload(final byte[] frame)
    {
        final int udp = transportOffset(frame);
        return slice(frame, udp + UdpDatagram.HEADER_LENGTH, u16(frame, udp + UdpDatagram.LENGTH_OFFSET) -
            UdpDatagram.HEADER_LENGTH);
    }

    static boolean isIpv4HeaderChecksumValid(final byte[] frame)
    {
        return InternetChecksum.compute(new UnsafeBuffer(frame), IP, ipHeaderLength(frame)) == 0;
    }

    /**
     * @return whether the ICMP checksum over the whole ICMP message (by Total Length) verifies.
     */
    static boolean isIcmpChecksumValid(final byte[] frame)
    {
        return InternetChecksum.compute(new UnsafeBuffer(frame), transportOffset(frame), transportLength(frame)) == 0;
    }

    /**
     * @return whether a UDP or TCP checksum over the pseudo-header and the segment (by Total Length) verifies.
     */
    static boolean isTransportChecksumValid(final byte[] frame)
    {
        final int length = transportLength(frame);
        final long pseudoHeader =
            InternetChecksum.pseudoHeaderSum(ipSource(frame), ipDestination(frame), ipProtocol(frame), length);
        return InternetChecksum.fold(
            InternetChecksum.sum(new UnsafeBuffer(frame), transportOffset(frame), length, pseudoHeader)) == 0;
    }

    static String describe(final byte[] frame)
    {
        return frame.length + " bytes " + BitUtil.toHex(frame);
    }
}
