package io.ringstack.journal;

import io.ringstack.wire.ArpPacket;
import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.IcmpPacket;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.Ipv4Text;
import io.ringstack.wire.MacText;
import io.ringstack.wire.TcpSegment;
import io.ringstack.wire.UdpDatagram;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The header fields in which two frames differ, by name, both values decoded: {@code "IPv4 TTL 64 → 63"},
 * {@code "TCP window 64240 → 29200"}. Walks Ethernet (IEEE 802.3), then ARP (RFC 826) or IPv4 (RFC 791), then ICMP
 * (RFC 792), UDP (RFC 768) or TCP (RFC 9293), as far as both frames have the same protocol and are long enough;
 * past the headers, the first differing byte of the payload. For divergence reports only: it allocates.
 */
public final class FrameFieldDiff
{
    private static final int DECIMAL = 0;
    private static final int HEX = 1;
    private static final int ADDRESS = 2;
    private static final int MAC = 3;

    /**
     * One header field: its name, where it lies in its header, how many bytes, how it is shown.
     */
    private record Field(String name, int offset, int size, int format)
    {
    }

    private static final List<Field> ETHERNET = List.of(
        new Field("Ethernet destination", EthernetFrame.DESTINATION_OFFSET, 6, MAC),
        new Field("Ethernet source", EthernetFrame.SOURCE_OFFSET, 6, MAC),
        new Field("Ethernet type", EthernetFrame.ETHER_TYPE_OFFSET, 2, HEX));
    private static final List<Field> ARP = List.of(
        new Field("ARP operation", ArpPacket.OPERATION_OFFSET, 2, DECIMAL),
        new Field("ARP sender MAC", ArpPacket.SENDER_MAC_OFFSET, 6, MAC),
        new Field("ARP sender address", ArpPacket.SENDER_ADDRESS_OFFSET, 4, ADDRESS),
        new Field("ARP target MAC", ArpPacket.TARGET_MAC_OFFSET, 6, MAC),
        new Field("ARP target address", ArpPacket.TARGET_ADDRESS_OFFSET, 4, ADDRESS));
    private static final List<Field> IPV4 = List.of(
        new Field("IPv4 version and header length", Ipv4Packet.VERSION_IHL_OFFSET, 1, HEX),
        new Field("IPv4 DSCP and ECN", Ipv4Packet.DSCP_ECN_OFFSET, 1, HEX),
        new Field("IPv4 total length", Ipv4Packet.TOTAL_LENGTH_OFFSET, 2, DECIMAL),
        new Field("IPv4 identification", Ipv4Packet.IDENTIFICATION_OFFSET, 2, DECIMAL),
        new Field("IPv4 flags and fragment offset", Ipv4Packet.FLAGS_FRAGMENT_OFFSET_OFFSET, 2, HEX),
        new Field("IPv4 TTL", Ipv4Packet.TTL_OFFSET, 1, DECIMAL),
        new Field("IPv4 protocol", Ipv4Packet.PROTOCOL_OFFSET, 1, DECIMAL),
        new Field("IPv4 header checksum", Ipv4Packet.CHECKSUM_OFFSET, 2, HEX),
        new Field("IPv4 source", Ipv4Packet.SOURCE_OFFSET, 4, ADDRESS),
        new Field("IPv4 destination", Ipv4Packet.DESTINATION_OFFSET, 4, ADDRESS));
    private static final List<Field> ICMP = List.of(
        new Field("ICMP type", IcmpPacket.TYPE_OFFSET, 1, DECIMAL),
        new Field("ICMP code", IcmpPacket.CODE_OFFSET, 1, DECIMAL),
        new Field("ICMP checksum", IcmpPacket.CHECKSUM_OFFSET, 2, HEX),
        new Field("ICMP identifier", IcmpPacket.IDENTIFIER_OFFSET, 2, DECIMAL),
        new Field("ICMP sequence", IcmpPacket.SEQUENCE_OFFSET, 2, DECIMAL));
    private static final List<Field> UDP = List.of(
        new Field("UDP source port", UdpDatagram.SOURCE_PORT_OFFSET, 2, DECIMAL),
        new Field("UDP destination port", UdpDatagram.DESTINATION_PORT_OFFSET, 2, DECIMAL),
        new Field("UDP length", UdpDatagram.LENGTH_OFFSET, 2, DECIMAL),
        new Field("UDP checksum", UdpDatagram.CHECKSUM_OFFSET, 2, HEX));
    private static final List<Field> TCP = List.of(
        new Field("TCP source port", TcpSegment.SOURCE_PORT_OFFSET, 2, DECIMAL),
        new Field("TCP destination port", TcpSegment.DESTINATION_PORT_OFFSET, 2, DECIMAL),
        new Field("TCP sequence number", TcpSegment.SEQUENCE_NUMBER_OFFSET, 4, DECIMAL),
        new Field("TCP acknowledgment number", TcpSegment.ACKNOWLEDGMENT_NUMBER_OFFSET, 4, DECIMAL),
        new Field("TCP data offset", TcpSegment.DATA_OFFSET_OFFSET, 1, HEX),
        new Field("TCP flags", TcpSegment.FLAGS_OFFSET, 1, HEX),
        new Field("TCP window", TcpSegment.WINDOW_OFFSET, 2, DECIMAL),
        new Field("TCP checksum", TcpSegment.CHECKSUM_OFFSET, 2, HEX),
        new Field("TCP urgent pointer", TcpSegment.URGENT_POINTER_OFFSET, 2, DECIMAL));

    private static final int IPV4_MIN_HEADER = 20;
    private static final int TCP_MIN_HEADER = 20;
    private static final int UDP_HEADER = 8;
    private static final int ICMP_HEADER = 8;
    private static final int ARP_LENGTH = 28;

    private FrameFieldDiff()
    {
    }

    /**
     * @return the differing fields, one {@code "NAME RECORDED → REPLAYED"} each, header order; empty when the frames
     * are the same.
     */
    public static List<String> describe(final byte[] recorded, final byte[] replayed)
    {
        final UnsafeBuffer a = new UnsafeBuffer(recorded);
        final UnsafeBuffer b = new UnsafeBuffer(replayed);
        final List<String> differences = new ArrayList<>();
        if (recorded.length != replayed.length)
        {
            differences.add("frame length " + recorded.length + " → " + replayed.length);
        }
        int payload = 0;
        if (compare(ETHERNET, a, b, 0, EthernetFrame.HEADER_LENGTH, differences))
        {
            payload = EthernetFrame.HEADER_LENGTH;
            final int etherType = uint16(a, EthernetFrame.ETHER_TYPE_OFFSET);
            if (etherType == EthernetFrame.ETHER_TYPE_ARP && compare(ARP, a, b, payload, ARP_LENGTH, differences))
            {
                payload += ARP_LENGTH;
            }
            else if (etherType == EthernetFrame.ETHER_TYPE_IPV4 &&
                compare(IPV4, a, b, payload, IPV4_MIN_HEADER, differences))
            {
                payload = transport(a, b, payload, differences);
            }
        }
        firstPayloadDifference(recorded, replayed, payload, differences);
        return differences;
    }

    /**
     * Compare the IPv4 options, if any, and the transport header after them.
     *
     * @return where the transport payload begins, or where the comparison stopped.
     */
    private static int transport(final UnsafeBuffer a, final UnsafeBuffer b, final int ip, final List<String> out)
    {
        final int headerLength = headerLength(a, ip);
        if (headerLength < IPV4_MIN_HEADER || headerLength != headerLength(b, ip) ||
            ip + headerLength > Math.min(a.capacity(), b.capacity()))
        {
            return ip + IPV4_MIN_HEADER;
        }
        final int start = ip + headerLength;
        final int fragment = uint16(a, ip + Ipv4Packet.FLAGS_FRAGMENT_OFFSET_OFFSET) & Ipv4Packet.FRAGMENT_OFFSET_MASK;
        if (fragment != 0 || a.getByte(ip + Ipv4Packet.PROTOCOL_OFFSET) != b.getByte(ip + Ipv4Packet.PROTOCOL_OFFSET))
        {
            return start;
        }
        switch (a.getByte(ip + Ipv4Packet.PROTOCOL_OFFSET))
        {
            case Ipv4Packet.PROTOCOL_ICMP:
                return compare(ICMP, a, b, start, ICMP_HEADER, out) ? start + ICMP_HEADER : start;
            case Ipv4Packet.PROTOCOL_UDP:
                return compare(UDP, a, b, start, UDP_HEADER, out) ? start + UDP_HEADER : start;
            case Ipv4Packet.PROTOCOL_TCP:
                return compare(TCP, a, b, start, TCP_MIN_HEADER, out) ? start + TCP_MIN_HEADER : start;
            default:
                return start;
        }
    }

    /**
     * Add each field of {@code fields} that differs, when both frames hold the whole header at {@code start}.
     *
     * @return whether both did.
     */
    private static boolean compare(
        final List<Field> fields, final UnsafeBuffer a, final UnsafeBuffer b, final int start, final int length,
        final List<String> out)
    {
        if (start + length > a.capacity() || start + length > b.capacity())
        {
            return false;
        }
        for (final Field field : fields)
        {
            final String recorded = format(a, start + field.offset(), field);
            final String replayed = format(b, start + field.offset(), field);
            if (!recorded.equals(replayed))
            {
                out.add(field.name() + " " + recorded + " → " + replayed);
            }
        }
        return true;
    }

    private static String format(final UnsafeBuffer buffer, final int index, final Field field)
    {
        long value = 0;
        for (int i = 0; i < field.size(); i++)
        {
            value = (value << 8) | (buffer.getByte(index + i) & 0xFF);
        }
        switch (field.format())
        {
            case HEX:
                return String.format("0x%0" + field.size() * 2 + "x", value);
            case ADDRESS:
                return Ipv4Text.format((int)value);
            case MAC:
                return MacText.format(value);
            default:
                return Long.toString(value);
        }
    }

    private static void firstPayloadDifference(
        final byte[] recorded, final byte[] replayed, final int start, final List<String> out)
    {
        for (int i = start, end = Math.min(recorded.length, replayed.length); i < end; i++)
        {
            if (recorded[i] != replayed[i])
            {
                out.add(String.format("payload byte %d (frame byte %d) 0x%02x → 0x%02x", i - start, i,
                    recorded[i] & 0xFF, replayed[i] & 0xFF));
                return;
            }
        }
    }

    /**
     * @return the IPv4 header's length in bytes, from its IHL (RFC 791 3.1).
     */
    private static int headerLength(final UnsafeBuffer buffer, final int ip)
    {
        return (buffer.getByte(ip + Ipv4Packet.VERSION_IHL_OFFSET) & 0x0F) * 4;
    }

    private static int uint16(final UnsafeBuffer buffer, final int index)
    {
        return ((buffer.getByte(index) & 0xFF) << 8) | (buffer.getByte(index + 1) & 0xFF);
    }
}
