package io.ringstack.journal;

import io.ringstack.wire.ArpPacket;
import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.IcmpPacket;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.UdpDatagram;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Frames a peer at 10.0.2.2 sends the journaled engine at 10.0.2.15, built with the engine's own wire writers,
 * every checksum correct.
 */
final class PeerFrames
{
    static final long ENGINE_MAC = 0x5254_0012_3456L;
    static final long PEER_MAC = 0x5255_0A00_0202L;
    static final int ENGINE_ADDRESS = 0x0A00_020F;
    static final int PEER_ADDRESS = 0x0A00_0202;

    private PeerFrames()
    {
    }

    /**
     * Who-has 10.0.2.15 tell 10.0.2.2: the engine learns the peer's MAC from it, and answers.
     */
    static UnsafeBuffer arpRequest()
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[EthernetFrame.HEADER_LENGTH + ArpPacket.LENGTH]);
        final int arp =
            EthernetFrame.writeHeader(frame, 0, EthernetFrame.BROADCAST, PEER_MAC, EthernetFrame.ETHER_TYPE_ARP);
        ArpPacket.write(frame, arp, ArpPacket.OPERATION_REQUEST, PEER_MAC, PEER_ADDRESS, 0, ENGINE_ADDRESS);
        return frame;
    }

    static UnsafeBuffer udp(final int sourcePort, final int destinationPort, final int payloadLength)
    {
        final int udpLength = UdpDatagram.HEADER_LENGTH + payloadLength;
        final UnsafeBuffer frame = new UnsafeBuffer(
            new byte[EthernetFrame.HEADER_LENGTH + Ipv4Packet.HEADER_LENGTH + udpLength]);
        final int ip = EthernetFrame.writeHeader(frame, 0, ENGINE_MAC, PEER_MAC, EthernetFrame.ETHER_TYPE_IPV4);
        final int udp = Ipv4Packet.writeHeader(
            frame, ip, udpLength, 1, 64, Ipv4Packet.PROTOCOL_UDP, PEER_ADDRESS, ENGINE_ADDRESS);
        final int payload = UdpDatagram.writeHeader(frame, udp, sourcePort, destinationPort, payloadLength);
        for (int i = 0; i < payloadLength; i++)
        {
            frame.putByte(payload + i, (byte)i);
        }
        UdpDatagram.writeChecksum(frame, udp, udpLength, PEER_ADDRESS, ENGINE_ADDRESS);
        return frame;
    }

    static UnsafeBuffer echoRequest(final int identifier, final int sequence)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(
            new byte[EthernetFrame.HEADER_LENGTH + Ipv4Packet.HEADER_LENGTH + IcmpPacket.HEADER_LENGTH]);
        final int ip = EthernetFrame.writeHeader(frame, 0, ENGINE_MAC, PEER_MAC, EthernetFrame.ETHER_TYPE_IPV4);
        final int icmp = Ipv4Packet.writeHeader(
            frame, ip, IcmpPacket.HEADER_LENGTH, 2, 64, Ipv4Packet.PROTOCOL_ICMP, PEER_ADDRESS, ENGINE_ADDRESS);
        IcmpPacket.writeEchoHeader(frame, icmp, IcmpPacket.TYPE_ECHO_REQUEST, identifier, sequence);
        IcmpPacket.writeChecksum(frame, icmp, IcmpPacket.HEADER_LENGTH);
        return frame;
    }

    /**
     * @return a copy of the whole of {@code frame}.
     */
    static byte[] bytes(final UnsafeBuffer frame)
    {
        final byte[] bytes = new byte[frame.capacity()];
        frame.getBytes(0, bytes);
        return bytes;
    }
}
