package io.ringstack.bench;

import java.net.InetAddress;
import java.util.List;
import org.pcap4j.packet.ArpPacket;
import org.pcap4j.packet.EthernetPacket;
import org.pcap4j.packet.IcmpV4CommonPacket;
import org.pcap4j.packet.IcmpV4EchoPacket;
import org.pcap4j.packet.IllegalRawDataException;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.Packet;
import org.pcap4j.packet.TcpMaximumSegmentSizeOption;
import org.pcap4j.packet.TcpPacket;
import org.pcap4j.packet.TcpSackPermittedOption;
import org.pcap4j.packet.TcpTimestampsOption;
import org.pcap4j.packet.TcpWindowScaleOption;
import org.pcap4j.packet.UdpPacket;
import org.pcap4j.packet.namednumber.EtherType;
import org.pcap4j.packet.namednumber.IpNumber;
import org.pcap4j.util.MacAddress;

/**
 * The peer of {@link FlyweightParse}: pcap4j 1.8.2 parsing the same frames from a {@code byte[]} copy (pcap4j parses
 * arrays only) and doing the same work. {@code EthernetPacket.newPacket} decodes every layer at once into objects,
 * through the static packet factory; pcap4j verifies no checksum unless asked, so each method asks for every one
 * {@code FlyweightParse} verifies ({@code IpV4Header.hasValidChecksum}, {@code UdpPacket.hasValidChecksum} and
 * {@code TcpPacket.hasValidChecksum} with the pseudo-header addresses, {@code IcmpV4CommonPacket.hasValidChecksum},
 * none of them accepting a zero checksum), checks the same EtherType, fragment and protocol fields, and reads the
 * same fields through pcap4j's getters into the same {@link Digest}.
 */
final class Pcap4jParse
{
    /**
     * Ethernet, IPv4 and UDP: both checksums; ports and payload length.
     */
    long udp(final byte[] frame)
    {
        try
        {
            final EthernetPacket ethernet = EthernetPacket.newPacket(frame, 0, frame.length);
            final IpV4Packet ipv4 = ipv4(ethernet, IpNumber.UDP);
            if (null == ipv4 || !(ipv4.getPayload() instanceof UdpPacket))
            {
                return Digest.FAILED;
            }
            final IpV4Packet.IpV4Header ip = ipv4.getHeader();
            final UdpPacket udp = (UdpPacket)ipv4.getPayload();
            if (!udp.hasValidChecksum(ip.getSrcAddr(), ip.getDstAddr(), false))
            {
                return Digest.FAILED;
            }
            final UdpPacket.UdpHeader header = udp.getHeader();
            long digest = addresses(ethernet, ip);
            digest = Digest.mix(digest, header.getSrcPort().valueAsInt());
            digest = Digest.mix(digest, header.getDstPort().valueAsInt());
            return Digest.mix(digest, payloadLength(udp));
        }
        catch (final IllegalRawDataException ex)
        {
            return Digest.FAILED;
        }
    }

    /**
     * Ethernet, IPv4 and TCP: both checksums; ports, sequence and acknowledgment numbers, flags, window, every
     * option (found by walking pcap4j's option list) and payload length.
     */
    long tcp(final byte[] frame)
    {
        try
        {
            final EthernetPacket ethernet = EthernetPacket.newPacket(frame, 0, frame.length);
            final IpV4Packet ipv4 = ipv4(ethernet, IpNumber.TCP);
            if (null == ipv4 || !(ipv4.getPayload() instanceof TcpPacket))
            {
                return Digest.FAILED;
            }
            final IpV4Packet.IpV4Header ip = ipv4.getHeader();
            final TcpPacket tcp = (TcpPacket)ipv4.getPayload();
            if (!tcp.hasValidChecksum(ip.getSrcAddr(), ip.getDstAddr(), false))
            {
                return Digest.FAILED;
            }
            final TcpPacket.TcpHeader header = tcp.getHeader();
            long digest = addresses(ethernet, ip);
            digest = Digest.mix(digest, header.getSrcPort().valueAsInt());
            digest = Digest.mix(digest, header.getDstPort().valueAsInt());
            digest = Digest.mix(digest, header.getSequenceNumber());
            digest = Digest.mix(digest, header.getAcknowledgmentNumber());
            digest = Digest.mix(digest, flags(header));
            digest = Digest.mix(digest, header.getWindowAsInt());
            return Digest.mix(options(digest, header.getOptions()), payloadLength(tcp));
        }
        catch (final IllegalRawDataException ex)
        {
            return Digest.FAILED;
        }
    }

    /**
     * Ethernet, IPv4 and ICMP: both checksums; type, code, the echo's identifier and sequence, payload length.
     */
    long icmp(final byte[] frame)
    {
        try
        {
            final EthernetPacket ethernet = EthernetPacket.newPacket(frame, 0, frame.length);
            final IpV4Packet ipv4 = ipv4(ethernet, IpNumber.ICMPV4);
            if (null == ipv4 || !(ipv4.getPayload() instanceof IcmpV4CommonPacket))
            {
                return Digest.FAILED;
            }
            final IcmpV4CommonPacket icmp = (IcmpV4CommonPacket)ipv4.getPayload();
            if (!icmp.hasValidChecksum(false) || !(icmp.getPayload() instanceof IcmpV4EchoPacket))
            {
                return Digest.FAILED;
            }
            final IcmpV4EchoPacket echo = (IcmpV4EchoPacket)icmp.getPayload();
            long digest = addresses(ethernet, ipv4.getHeader());
            digest = Digest.mix(digest, icmp.getHeader().getType().value() & 0xFF);
            digest = Digest.mix(digest, icmp.getHeader().getCode().value() & 0xFF);
            digest = Digest.mix(digest, echo.getHeader().getIdentifierAsInt());
            digest = Digest.mix(digest, echo.getHeader().getSequenceNumberAsInt());
            return Digest.mix(digest, payloadLength(echo));
        }
        catch (final IllegalRawDataException ex)
        {
            return Digest.FAILED;
        }
    }

    /**
     * Ethernet and ARP: operation, both MAC and IPv4 addresses (pcap4j checks the types and lengths as it
     * decodes).
     */
    long arp(final byte[] frame)
    {
        try
        {
            final EthernetPacket ethernet = EthernetPacket.newPacket(frame, 0, frame.length);
            if (!EtherType.ARP.equals(ethernet.getHeader().getType()) || !(ethernet.getPayload() instanceof ArpPacket))
            {
                return Digest.FAILED;
            }
            final ArpPacket.ArpHeader arp = ((ArpPacket)ethernet.getPayload()).getHeader();
            long digest = Digest.mix(Digest.mix(0, mac(ethernet.getHeader().getDstAddr())),
                mac(ethernet.getHeader().getSrcAddr()));
            digest = Digest.mix(digest, arp.getOperation().value() & 0xFFFF);
            digest = Digest.mix(digest, mac(arp.getSrcHardwareAddr()));
            digest = Digest.mix(digest, address(arp.getSrcProtocolAddr()));
            digest = Digest.mix(digest, mac(arp.getDstHardwareAddr()));
            return Digest.mix(digest, address(arp.getDstProtocolAddr()));
        }
        catch (final IllegalRawDataException ex)
        {
            return Digest.FAILED;
        }
    }

    /**
     * @return the IPv4 packet in the frame if its header checksum verifies, it is no fragment and it carries
     * {@code protocol}; otherwise {@code null}.
     */
    private static IpV4Packet ipv4(final EthernetPacket ethernet, final IpNumber protocol)
    {
        if (!EtherType.IPV4.equals(ethernet.getHeader().getType()) || !(ethernet.getPayload() instanceof IpV4Packet))
        {
            return null;
        }
        final IpV4Packet ipv4 = (IpV4Packet)ethernet.getPayload();
        final IpV4Packet.IpV4Header header = ipv4.getHeader();
        if (!header.hasValidChecksum(false) || header.getMoreFragmentFlag() || 0 != header.getFragmentOffset() ||
            !protocol.equals(header.getProtocol()))
        {
            return null;
        }
        return ipv4;
    }

    private static long addresses(final EthernetPacket ethernet, final IpV4Packet.IpV4Header ip)
    {
        long digest = Digest.mix(Digest.mix(0, mac(ethernet.getHeader().getDstAddr())),
            mac(ethernet.getHeader().getSrcAddr()));
        digest = Digest.mix(digest, address(ip.getSrcAddr()));
        return Digest.mix(digest, address(ip.getDstAddr()));
    }

    private static int flags(final TcpPacket.TcpHeader header)
    {
        return (header.getUrg() ? 0x20 : 0) | (header.getAck() ? 0x10 : 0) | (header.getPsh() ? 0x08 : 0) |
            (header.getRst() ? 0x04 : 0) | (header.getSyn() ? 0x02 : 0) | (header.getFin() ? 0x01 : 0);
    }

    /**
     * Mix the options in the order {@link FlyweightParse#tcp} reads them, -1 for one that is missing.
     */
    private static long options(final long digest, final List<TcpPacket.TcpOption> options)
    {
        int mss = -1;
        int windowScale = -1;
        int sackPermitted = 0;
        int timestampValue = -1;
        int timestampEcho = -1;
        for (final TcpPacket.TcpOption option : options)
        {
            if (option instanceof TcpMaximumSegmentSizeOption)
            {
                mss = ((TcpMaximumSegmentSizeOption)option).getMaxSegSizeAsInt();
            }
            else if (option instanceof TcpWindowScaleOption)
            {
                windowScale = ((TcpWindowScaleOption)option).getShiftCountAsInt();
            }
            else if (option instanceof TcpSackPermittedOption)
            {
                sackPermitted = 1;
            }
            else if (option instanceof TcpTimestampsOption)
            {
                timestampValue = ((TcpTimestampsOption)option).getTsValue();
                timestampEcho = ((TcpTimestampsOption)option).getTsEchoReply();
            }
        }
        long mixed = Digest.mix(digest, mss);
        mixed = Digest.mix(mixed, windowScale);
        mixed = Digest.mix(mixed, sackPermitted);
        mixed = Digest.mix(mixed, timestampValue);
        return Digest.mix(mixed, timestampEcho);
    }

    private static int payloadLength(final Packet packet)
    {
        final Packet payload = packet.getPayload();
        return null == payload ? 0 : payload.length();
    }

    private static long mac(final MacAddress mac)
    {
        long value = 0;
        for (final byte octet : mac.getAddress())
        {
            value = (value << 8) | (octet & 0xFF);
        }
        return value;
    }

    private static int address(final InetAddress address)
    {
        int value = 0;
        for (final byte octet : address.getAddress())
        {
            value = (value << 8) | (octet & 0xFF);
        }
        return value;
    }
}
