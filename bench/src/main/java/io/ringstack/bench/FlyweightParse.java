package io.ringstack.bench;

import io.ringstack.wire.ArpPacket;
import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.IcmpPacket;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.TcpOptions;
import io.ringstack.wire.TcpSegment;
import io.ringstack.wire.UdpDatagram;
import org.agrona.DirectBuffer;

/**
 * The parse of {@link ParseBenchmark}, done with ringstack's flyweights: wrap each layer with its length checks,
 * verify every checksum the protocol has (IPv4 header; UDP and TCP with the pseudo-header; ICMP), check the
 * dispatcher's demultiplexing fields (EtherType, not a fragment, protocol), and read the fields an endpoint uses.
 * Each method returns a {@link Digest} of the fields read, the same digest {@link Pcap4jParse} computes from the
 * same frame, or {@link Digest#FAILED} when a check fails.
 */
final class FlyweightParse
{
    private final EthernetFrame ethernet = new EthernetFrame();
    private final Ipv4Packet ipv4 = new Ipv4Packet();
    private final UdpDatagram udp = new UdpDatagram();
    private final TcpSegment tcp = new TcpSegment();
    private final TcpOptions options = new TcpOptions();
    private final IcmpPacket icmp = new IcmpPacket();
    private final ArpPacket arp = new ArpPacket();

    /**
     * Ethernet, IPv4 and UDP: both checksums; ports and payload length.
     */
    long udp(final DirectBuffer frame, final int length)
    {
        if (!ipv4(frame, length, Ipv4Packet.PROTOCOL_UDP) ||
            udp.wrap(frame, ipv4.payloadOffset(), ipv4.payloadLength()) != UdpDatagram.VALID ||
            !udp.isChecksumValid(ipv4.source(), ipv4.destination()))
        {
            return Digest.FAILED;
        }
        long digest = addresses();
        digest = Digest.mix(digest, udp.sourcePort());
        digest = Digest.mix(digest, udp.destinationPort());
        return Digest.mix(digest, udp.payloadLength());
    }

    /**
     * Ethernet, IPv4 and TCP: both checksums; ports, sequence and acknowledgment numbers, flags, window, every
     * option (MSS, window scale, SACK permitted, timestamps) and payload length.
     */
    long tcp(final DirectBuffer frame, final int length)
    {
        if (!ipv4(frame, length, Ipv4Packet.PROTOCOL_TCP) ||
            tcp.wrap(frame, ipv4.payloadOffset(), ipv4.payloadLength()) != TcpSegment.VALID ||
            !tcp.isChecksumValid(ipv4.source(), ipv4.destination()) ||
            options.wrap(frame, tcp.optionsOffset(), tcp.optionsLength()) != TcpOptions.VALID)
        {
            return Digest.FAILED;
        }
        long digest = addresses();
        digest = Digest.mix(digest, tcp.sourcePort());
        digest = Digest.mix(digest, tcp.destinationPort());
        digest = Digest.mix(digest, tcp.sequenceNumber());
        digest = Digest.mix(digest, tcp.acknowledgmentNumber());
        digest = Digest.mix(digest, tcp.flags() & Digest.TCP_FLAGS);
        digest = Digest.mix(digest, tcp.window());
        digest = Digest.mix(digest, options.hasMss() ? options.mss() : -1);
        digest = Digest.mix(digest, options.hasWindowScale() ? options.windowScale() : -1);
        digest = Digest.mix(digest, options.isSackPermitted() ? 1 : 0);
        digest = Digest.mix(digest, options.hasTimestamps() ? options.timestampValue() : -1);
        digest = Digest.mix(digest, options.hasTimestamps() ? options.timestampEcho() : -1);
        return Digest.mix(digest, tcp.payloadLength());
    }

    /**
     * Ethernet, IPv4 and ICMP: both checksums; type, code, the echo's identifier and sequence, payload length.
     */
    long icmp(final DirectBuffer frame, final int length)
    {
        if (!ipv4(frame, length, Ipv4Packet.PROTOCOL_ICMP) ||
            icmp.wrap(frame, ipv4.payloadOffset(), ipv4.payloadLength()) != IcmpPacket.VALID ||
            !icmp.isChecksumValid())
        {
            return Digest.FAILED;
        }
        long digest = addresses();
        digest = Digest.mix(digest, icmp.type());
        digest = Digest.mix(digest, icmp.code());
        digest = Digest.mix(digest, icmp.identifier());
        digest = Digest.mix(digest, icmp.sequence());
        return Digest.mix(digest, icmp.payloadLength());
    }

    /**
     * Ethernet and ARP (which has no checksum): hardware and protocol types and lengths, operation, both MAC and
     * IPv4 addresses.
     */
    long arp(final DirectBuffer frame, final int length)
    {
        if (!ethernet.wrap(frame, 0, length) ||
            ethernet.etherType() != EthernetFrame.ETHER_TYPE_ARP ||
            arp.wrap(frame, ethernet.payloadOffset(), ethernet.payloadLength()) != ArpPacket.VALID)
        {
            return Digest.FAILED;
        }
        long digest = Digest.mix(Digest.mix(0, ethernet.destination()), ethernet.source());
        digest = Digest.mix(digest, arp.operation());
        digest = Digest.mix(digest, arp.senderMac());
        digest = Digest.mix(digest, arp.senderAddress());
        digest = Digest.mix(digest, arp.targetMac());
        return Digest.mix(digest, arp.targetAddress());
    }

    /**
     * Wrap Ethernet and IPv4, verify the header checksum, and check the dispatcher's fields.
     */
    private boolean ipv4(final DirectBuffer frame, final int length, final int protocol)
    {
        return ethernet.wrap(frame, 0, length) &&
            ethernet.etherType() == EthernetFrame.ETHER_TYPE_IPV4 &&
            ipv4.wrap(frame, ethernet.payloadOffset(), ethernet.payloadLength()) == Ipv4Packet.VALID &&
            ipv4.isChecksumValid() &&
            !ipv4.isFragment() &&
            ipv4.protocol() == protocol;
    }

    private long addresses()
    {
        long digest = Digest.mix(Digest.mix(0, ethernet.destination()), ethernet.source());
        digest = Digest.mix(digest, ipv4.source());
        return Digest.mix(digest, ipv4.destination());
    }
}
