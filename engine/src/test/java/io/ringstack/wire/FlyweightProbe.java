package io.ringstack.wire;

import org.agrona.DirectBuffer;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Puts one region of untrusted bytes through every flyweight: {@code wrap} as Ethernet, ARP, IPv4, ICMP, UDP and TCP, and
 * the transport flyweights again over the payload of a {@code VALID} IPv4 packet; after each {@code VALID} wrap
 * every accessor and the checksum check are called, the payload must lie inside the wrapped region, and TCP's
 * options area goes through {@link TcpOptions}. Nothing may throw; a read outside the region is caught by Agrona's
 * bounds checks when the region ends where its buffer does.
 * <p>
 * The property test and the fuzz test of the wire package share it; it counts how often each flyweight was
 * {@code VALID} so that a caller can tell its inputs reached the accessors.
 */
final class FlyweightProbe
{
    /** The flyweights in the order of {@link #validCount}. */
    static final String[] NAMES = {"Ethernet", "ARP", "IPv4", "ICMP", "UDP", "TCP", "TCP options"};

    private final EthernetFrame ethernet = new EthernetFrame();
    private final ArpPacket arp = new ArpPacket();
    private final Ipv4Packet ip = new Ipv4Packet();
    private final IcmpPacket icmp = new IcmpPacket();
    private final UdpDatagram udp = new UdpDatagram();
    private final TcpSegment tcp = new TcpSegment();
    private final TcpOptions tcpOptions = new TcpOptions();
    private final int[] validCounts = new int[NAMES.length];
    private long sink;

    /**
     * Every flyweight over {@code [offset, offset + length)}; {@code source} and {@code destination} are the
     * addresses of the pseudo-header when the region is taken as a transport header without an IPv4 one.
     */
    void exercise(
        final DirectBuffer buffer, final int offset, final int length, final int source, final int destination)
    {
        if (ethernet.wrap(buffer, offset, length))
        {
            validCounts[0]++;
            sink += ethernet.destination() + ethernet.source() + ethernet.etherType() + ethernet.payloadOffset() +
                ethernet.payloadLength();
            assertInside(offset, length, ethernet.payloadOffset(), ethernet.payloadLength());
        }
        if (arp.wrap(buffer, offset, length) == ArpPacket.VALID)
        {
            validCounts[1]++;
            sink += arp.operation() + arp.senderMac() + arp.senderAddress() + arp.targetMac() + arp.targetAddress();
        }
        if (ip.wrap(buffer, offset, length) == Ipv4Packet.VALID)
        {
            validCounts[2]++;
            sink += ip.version() + ip.headerLength() + ip.dscpEcn() + ip.totalLength() + ip.identification() +
                (ip.dontFragment() ? 1 : 0) + (ip.moreFragments() ? 1 : 0) + ip.fragmentOffset() +
                (ip.isFragment() ? 1 : 0) + ip.ttl() + ip.protocol() + ip.headerChecksum() + ip.source() +
                ip.destination() + (ip.isChecksumValid() ? 1 : 0);
            assertInside(offset, length, ip.payloadOffset(), ip.payloadLength());
            exerciseTransport(buffer, ip.payloadOffset(), ip.payloadLength(), ip.source(), ip.destination());
        }
        exerciseTransport(buffer, offset, length, source, destination);
    }

    /**
     * How often flyweight {@code index} of {@link #NAMES} was {@code VALID} so far.
     */
    int validCount(final int index)
    {
        return validCounts[index];
    }

    /**
     * What the accessors returned, summed, so that the JIT cannot drop the calls.
     */
    long sink()
    {
        return sink;
    }

    private void exerciseTransport(
        final DirectBuffer buffer, final int offset, final int length, final int source, final int destination)
    {
        if (icmp.wrap(buffer, offset, length) == IcmpPacket.VALID)
        {
            validCounts[3]++;
            sink += icmp.type() + icmp.code() + icmp.checksum() + (icmp.isChecksumValid() ? 1 : 0) +
                icmp.identifier() + icmp.sequence() + icmp.restOfHeader() + icmp.payloadOffset() +
                icmp.payloadLength();
            assertInside(offset, length, icmp.payloadOffset(), icmp.payloadLength());
        }
        if (udp.wrap(buffer, offset, length) == UdpDatagram.VALID)
        {
            validCounts[4]++;
            sink += udp.sourcePort() + udp.destinationPort() + udp.udpLength() + udp.checksum() +
                (udp.isChecksumValid(source, destination) ? 1 : 0) + udp.payloadOffset() + udp.payloadLength();
            assertInside(offset, length, udp.payloadOffset(), udp.payloadLength());
        }
        if (tcp.wrap(buffer, offset, length) == TcpSegment.VALID)
        {
            validCounts[5]++;
            sink += tcp.sourcePort() + tcp.destinationPort() + tcp.sequenceNumber() + tcp.acknowledgmentNumber() +
                tcp.dataOffset() + tcp.flags() + (tcp.isSyn() ? 1 : 0) + tcp.window() + tcp.checksum() +
                tcp.urgentPointer() + (tcp.isChecksumValid(source, destination) ? 1 : 0) + tcp.payloadOffset() +
                tcp.payloadLength();
            assertInside(offset, length, tcp.payloadOffset(), tcp.payloadLength());
            assertInside(offset, length, tcp.optionsOffset(), tcp.optionsLength());
            exerciseOptions(buffer, tcp.optionsOffset(), tcp.optionsLength());
        }
    }

    /**
     * {@link TcpOptions} over {@code [offset, offset + length)}, and every accessor after a {@code VALID} parse.
     */
    void exerciseOptions(final DirectBuffer buffer, final int offset, final int length)
    {
        if (tcpOptions.wrap(buffer, offset, length) == TcpOptions.VALID)
        {
            validCounts[6]++;
            sink += tcpOptions.mss() + tcpOptions.windowScale() + tcpOptions.timestampValue() +
                tcpOptions.timestampEcho() + (tcpOptions.isSackPermitted() ? 1 : 0) +
                (tcpOptions.hasMss() ? 1 : 0) + (tcpOptions.hasWindowScale() ? 1 : 0) +
                (tcpOptions.hasTimestamps() ? 1 : 0);
            assertTrue(tcpOptions.sackBlockCount() >= 0 && tcpOptions.sackBlockCount() <= TcpOptions.MAX_SACK_BLOCKS,
                () -> tcpOptions.sackBlockCount() + " SACK blocks");
            for (int i = 0; i < tcpOptions.sackBlockCount(); i++)
            {
                sink += tcpOptions.sackLeft(i) + tcpOptions.sackRight(i);
            }
        }
    }

    private static void assertInside(
        final int offset, final int length, final int payloadOffset, final int payloadLength)
    {
        assertTrue(payloadLength >= 0 && payloadOffset >= offset && payloadOffset + payloadLength <= offset + length,
            () -> "payload [" + payloadOffset + ", +" + payloadLength + ") outside [" + offset + ", +" + length + ")");
    }
}
