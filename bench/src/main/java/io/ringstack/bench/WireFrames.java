package io.ringstack.bench;

import io.ringstack.wire.ArpPacket;
import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.IcmpPacket;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.TcpOptions;
import io.ringstack.wire.TcpSegment;
import io.ringstack.wire.UdpDatagram;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import static io.ringstack.bench.UdpFrames.ENGINE_ADDRESS;
import static io.ringstack.bench.UdpFrames.ENGINE_MAC;
import static io.ringstack.bench.UdpFrames.PEER_ADDRESS;
import static io.ringstack.bench.UdpFrames.PEER_MAC;
import static io.ringstack.bench.UdpFrames.PEER_PORT;

/**
 * Frames of every protocol the dispatcher handles, from the peer at 10.0.2.2 to the engine at 10.0.2.15, built once
 * with the engine's own wire writers, with valid checksums and without FCS. Each lies at offset 0 of an off-heap
 * buffer of exactly its length.
 */
final class WireFrames
{
    /** Bytes in front of the transport header: Ethernet and an IPv4 header without options. */
    static final int TRANSPORT_OFFSET = EthernetFrame.HEADER_LENGTH + Ipv4Packet.HEADER_LENGTH;
    /** Linux's SYN options: MSS, SACK permitted, timestamps, NOP, window scale. */
    static final int TCP_OPTIONS_LENGTH = TcpOptions.MSS_LENGTH + TcpOptions.SACK_PERMITTED_LENGTH +
        TcpOptions.TIMESTAMPS_LENGTH + 1 + TcpOptions.WINDOW_SCALE_LENGTH;
    /** The shortest TCP frame: a segment with {@link #TCP_OPTIONS_LENGTH} bytes of options and no payload. */
    static final int TCP_MIN_FRAME_LENGTH = TRANSPORT_OFFSET + TcpSegment.HEADER_LENGTH + TCP_OPTIONS_LENGTH;
    /** An ARP packet in a frame padded to the 60 bytes Ethernet's minimum asks for. */
    static final int ARP_FRAME_LENGTH = 60;

    static final int TCP_PEER_PORT = 45678;
    static final int TCP_SEQUENCE = 0x1234_5678;
    static final int TCP_ACKNOWLEDGMENT = 0x0BAD_F00D;
    static final int TCP_FLAGS = TcpSegment.FLAG_ACK | TcpSegment.FLAG_PSH;
    static final int TCP_WINDOW = 64240;
    static final int TCP_MSS = 1460;
    static final int TCP_WINDOW_SCALE = 7;
    static final int TCP_TIMESTAMP_VALUE = 0x0102_0304;
    static final int TCP_TIMESTAMP_ECHO = 0x0506_0708;
    static final int ICMP_IDENTIFIER = 0x4242;
    static final int ICMP_SEQUENCE = 7;

    private static final int TTL = 64;
    private static final int IDENTIFICATION = 0x1234;

    private WireFrames()
    {
    }

    /**
     * @param frameLength at least 42 bytes: Ethernet, IPv4 and UDP headers.
     * @return a UDP datagram from port 40000 to {@code port}, its payload filling the frame.
     */
    static UnsafeBuffer udp(final int frameLength, final int port)
    {
        final UnsafeBuffer frame = ipv4(frameLength, Ipv4Packet.PROTOCOL_UDP);
        final int udpLength = frameLength - TRANSPORT_OFFSET;
        final int payload = UdpDatagram.writeHeader(
            frame, TRANSPORT_OFFSET, PEER_PORT, port, udpLength - UdpDatagram.HEADER_LENGTH);
        fill(frame, payload, frameLength);
        UdpDatagram.writeChecksum(frame, TRANSPORT_OFFSET, udpLength, PEER_ADDRESS, ENGINE_ADDRESS);
        return frame;
    }

    /**
     * @param frameLength at least {@link #TCP_MIN_FRAME_LENGTH}.
     * @return a TCP segment from port {@value #TCP_PEER_PORT} to {@code port} with Linux's SYN option set (MSS,
     * SACK permitted, timestamps, NOP, window scale) and ACK and PSH, its payload filling the frame.
     */
    static UnsafeBuffer tcp(final int frameLength, final int port)
    {
        if (frameLength < TCP_MIN_FRAME_LENGTH)
        {
            throw new IllegalArgumentException("a TCP frame with options needs " + TCP_MIN_FRAME_LENGTH + " bytes");
        }
        final UnsafeBuffer frame = ipv4(frameLength, Ipv4Packet.PROTOCOL_TCP);
        int option = TcpSegment.writeHeader(frame, TRANSPORT_OFFSET, TCP_PEER_PORT, port, TCP_SEQUENCE,
            TCP_ACKNOWLEDGMENT, TcpSegment.HEADER_LENGTH + TCP_OPTIONS_LENGTH, TCP_FLAGS, TCP_WINDOW);
        option = TcpOptions.writeMss(frame, option, TCP_MSS);
        option = TcpOptions.writeSackPermitted(frame, option);
        option = TcpOptions.writeTimestamps(frame, option, TCP_TIMESTAMP_VALUE, TCP_TIMESTAMP_ECHO);
        option = TcpOptions.writeNop(frame, option);
        option = TcpOptions.writeWindowScale(frame, option, TCP_WINDOW_SCALE);
        fill(frame, option, frameLength);
        TcpSegment.writeChecksum(frame, TRANSPORT_OFFSET, frameLength - TRANSPORT_OFFSET, PEER_ADDRESS, ENGINE_ADDRESS);
        return frame;
    }

    /**
     * @param frameLength at least 42 bytes: Ethernet, IPv4 and ICMP headers.
     * @return an ICMP echo request, its payload filling the frame.
     */
    static UnsafeBuffer icmpEcho(final int frameLength)
    {
        final UnsafeBuffer frame = ipv4(frameLength, Ipv4Packet.PROTOCOL_ICMP);
        final int payload = IcmpPacket.writeEchoHeader(
            frame, TRANSPORT_OFFSET, IcmpPacket.TYPE_ECHO_REQUEST, ICMP_IDENTIFIER, ICMP_SEQUENCE);
        fill(frame, payload, frameLength);
        IcmpPacket.writeChecksum(frame, TRANSPORT_OFFSET, frameLength - TRANSPORT_OFFSET);
        return frame;
    }

    /**
     * @return a broadcast ARP request from the peer for the engine's address, padded to
     * {@value #ARP_FRAME_LENGTH} bytes with zeros.
     */
    static UnsafeBuffer arpRequest()
    {
        final UnsafeBuffer frame = allocate(ARP_FRAME_LENGTH);
        final int arp = EthernetFrame.writeHeader(
            frame, 0, EthernetFrame.BROADCAST, PEER_MAC, EthernetFrame.ETHER_TYPE_ARP);
        ArpPacket.write(frame, arp, ArpPacket.OPERATION_REQUEST, PEER_MAC, PEER_ADDRESS, 0, ENGINE_ADDRESS);
        return frame;
    }

    /**
     * @return a copy of the frame's bytes on the heap, for a library that parses only arrays.
     */
    static byte[] bytes(final UnsafeBuffer frame)
    {
        final byte[] bytes = new byte[frame.capacity()];
        frame.getBytes(0, bytes);
        return bytes;
    }

    private static UnsafeBuffer ipv4(final int frameLength, final int protocol)
    {
        final UnsafeBuffer frame = allocate(frameLength);
        final int ip = EthernetFrame.writeHeader(frame, 0, ENGINE_MAC, PEER_MAC, EthernetFrame.ETHER_TYPE_IPV4);
        Ipv4Packet.writeHeader(frame, ip, frameLength - TRANSPORT_OFFSET, IDENTIFICATION, TTL, protocol, PEER_ADDRESS,
            ENGINE_ADDRESS);
        return frame;
    }

    private static UnsafeBuffer allocate(final int frameLength)
    {
        return new UnsafeBuffer(BufferUtil.allocateDirectAligned(frameLength, 64), 0, frameLength);
    }

    private static void fill(final UnsafeBuffer frame, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            frame.putByte(i, (byte)('a' + (i - from) % 26));
        }
    }
}
