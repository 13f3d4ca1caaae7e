package io.ringstack.bench;

import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.UdpDatagram;
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
        return WireFrames.udp(FRAME_LENGTH, port);
    }
}
