package io.ringstack.bench;

import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.UdpDatagram;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The frames the benchmarks feed the engine: minimum-size (64-byte, FCS excluded) Ethernet/IPv4/UDP frames from a
 * peer at 10.0.2.2:40000 to the engine at 10.0.2.15, with 22 bytes of payload and valid IPv4 and UDP checksums.
 */
final class UdpFrames
{
    static final long ENGINE_MAC = 0x5254_0012_3456L;
    static final long PEER_MAC = 0x5255_0A00_0202L;
    /** 10.0.2.15 */
    static final int ENGINE_ADDRESS = 0x0A00_020F;
    /** 10.0.2.2 */
    static final int PEER_ADDRESS = 0x0A00_0202;
    static final int PEER_PORT = 40000;

    static final int FRAME_LENGTH = 64;
    static final int UDP_LENGTH = FRAME_LENGTH - EthernetFrame.HEADER_LENGTH - Ipv4Packet.HEADER_LENGTH;
    static final int PAYLOAD_LENGTH = UDP_LENGTH - UdpDatagram.HEADER_LENGTH;

    private UdpFrames()
    {
    }

    /**
     * @return a new off-heap buffer of exactly {@link #FRAME_LENGTH} bytes holding a frame to {@code port}.
     */
    static UnsafeBuffer toEngine(final int port)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(BufferUtil.allocateDirectAligned(FRAME_LENGTH, 64));
        final int ip = EthernetFrame.writeHeader(frame, 0, ENGINE_MAC, PEER_MAC, EthernetFrame.ETHER_TYPE_IPV4);
        final int udp = Ipv4Packet.writeHeader(
            frame, ip, UDP_LENGTH, 0x1234, 64, Ipv4Packet.PROTOCOL_UDP, PEER_ADDRESS, ENGINE_ADDRESS);
        final int payload = UdpDatagram.writeHeader(frame, udp, PEER_PORT, port, PAYLOAD_LENGTH);
        for (int i = 0; i < PAYLOAD_LENGTH; i++)
        {
            frame.putByte(payload + i, (byte)('a' + i));
        }
        UdpDatagram.writeChecksum(frame, udp, UDP_LENGTH, PEER_ADDRESS, ENGINE_ADDRESS);
        if (payload + PAYLOAD_LENGTH != FRAME_LENGTH)
        {
            throw new IllegalStateException("frame layout: payload ends at " + (payload + PAYLOAD_LENGTH));
        }
        return frame;
    }
}
