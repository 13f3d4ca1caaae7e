package io.ringstack.journal;

import io.ringstack.wire.ArpPacket;
import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.IcmpPacket;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.Ipv4Text;
import io.ringstack.wire.MacText;
import io.ringstack.wire.TcpSegment;
import io.ringstack.wire.UdpDatagram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What a recorded frame is, parsed with the engine's own flyweights: protocol, addresses and ports for filters,
 * and a one-line, tcpdump-like description, e.g. {@code "UDP 10.0.2.15:12345 > 10.0.2.2:7777 len 23"}. Frames
 * the engine would drop as malformed are described as far as they parse. Reusable: the description is built in a
 * builder of its own, which {@link #appendText} copies into a caller's line without a string in between.
 */
public final class FrameSummary
{
    /** Protocol of a frame whose EtherType is neither ARP nor IPv4, or which is too short to tell. */
    public static final String ETHERNET = "ethernet";
    public static final String ARP = "arp";
    public static final String IPV4 = "ipv4";
    public static final String ICMP = "icmp";
    public static final String UDP = "udp";
    public static final String TCP = "tcp";

    private static final int NONE = -1;
    private static final int SOURCE = 0;
    private static final int DESTINATION = 1;

    private final EthernetFrame ethernet = new EthernetFrame();
    private final ArpPacket arp = new ArpPacket();
    private final Ipv4Packet ipv4 = new Ipv4Packet();
    private final IcmpPacket icmp = new IcmpPacket();
    private final UdpDatagram udp = new UdpDatagram();
    private final TcpSegment tcp = new TcpSegment();
    private String protocol;
    private boolean hasAddresses;
    private int sourceAddress;
    private int destinationAddress;
    private int sourcePort;
    private int destinationPort;
    private final TextBuffer description = new TextBuffer(128);
    private final TextBuffer[] addressTexts = { new TextBuffer(16), new TextBuffer(16) };
    private final int[] addresses = new int[2];

    /**
     * @return a description of a frame held in an array.
     */
    public static String describe(final byte[] frame)
    {
        return new FrameSummary().parse(new UnsafeBuffer(frame), 0, frame.length).text();
    }

    public FrameSummary parse(final DirectBuffer buffer, final int offset, final int length)
    {
        protocol = ETHERNET;
        hasAddresses = false;
        sourcePort = NONE;
        destinationPort = NONE;
        description.setLength(0);
        if (!ethernet.wrap(buffer, offset, length))
        {
            description.append("truncated Ethernet frame, ").append(length).append(" bytes");
            return this;
        }
        switch (ethernet.etherType())
        {
            case EthernetFrame.ETHER_TYPE_ARP:
                parseArp(buffer);
                break;
            case EthernetFrame.ETHER_TYPE_IPV4:
                parseIpv4(buffer);
                break;
            default:
                description.append(String.format("EtherType 0x%04x, %d bytes", ethernet.etherType(), length));
                break;
        }
        return this;
    }

    /**
     * @return one of {@link #ETHERNET}, {@link #ARP}, {@link #IPV4} (another IP protocol), {@link #ICMP},
     * {@link #UDP}, {@link #TCP}.
     */
    public String protocol()
    {
        return protocol;
    }

    /**
     * @return whether {@link #sourceAddress()} and {@link #destinationAddress()} hold IPv4 addresses (for ARP, the
     * sender's and the target's).
     */
    public boolean hasAddresses()
    {
        return hasAddresses;
    }

    public int sourceAddress()
    {
        return sourceAddress;
    }

    public int destinationAddress()
    {
        return destinationAddress;
    }

    /**
     * @return the UDP or TCP source port, -1 for other protocols.
     */
    public int sourcePort()
    {
        return sourcePort;
    }

    public int destinationPort()
    {
        return destinationPort;
    }

    public String text()
    {
        return description.toString();
    }

    /**
     * Append {@link #text()} to {@code line}.
     */
    public TextBuffer appendText(final TextBuffer line)
    {
        return line.append(description);
    }

    private void parseArp(final DirectBuffer buffer)
    {
        protocol = ARP;
        if (arp.wrap(buffer, ethernet.payloadOffset(), ethernet.payloadLength()) != ArpPacket.VALID)
        {
            description.append("ARP, malformed");
            return;
        }
        hasAddresses = true;
        sourceAddress = arp.senderAddress();
        destinationAddress = arp.targetAddress();
        final String target = Ipv4Text.format(destinationAddress);
        final String sender = Ipv4Text.format(sourceAddress);
        switch (arp.operation())
        {
            case ArpPacket.OPERATION_REQUEST:
                description.append("ARP who-has ").append(target).append(" tell ").append(sender);
                break;
            case ArpPacket.OPERATION_REPLY:
                description.append("ARP ").append(sender).append(" is-at ").append(MacText.format(arp.senderMac()));
                break;
            default:
                description.append("ARP operation ").append(arp.operation()).append(' ').append(sender).append(" > ")
                    .append(target);
                break;
        }
    }

    private void parseIpv4(final DirectBuffer buffer)
    {
        protocol = IPV4;
        if (ipv4.wrap(buffer, ethernet.payloadOffset(), ethernet.payloadLength()) != Ipv4Packet.VALID)
        {
            description.append("IPv4, malformed");
            return;
        }
        hasAddresses = true;
        sourceAddress = ipv4.source();
        destinationAddress = ipv4.destination();
        final int payload = ipv4.payloadOffset();
        final int payloadLength = ipv4.payloadLength();
        if (ipv4.isFragment())
        {
            appendAddresses(description.append("IPv4 ")).append(" fragment, offset ").append(ipv4.fragmentOffset() * 8);
            return;
        }
        switch (ipv4.protocol())
        {
            case Ipv4Packet.PROTOCOL_UDP:
                protocol = UDP;
                if (udp.wrap(buffer, payload, payloadLength) == UdpDatagram.VALID)
                {
                    sourcePort = udp.sourcePort();
                    destinationPort = udp.destinationPort();
                    appendEndpoints(description.append("UDP ")).append(" len ").append(udp.payloadLength());
                }
                else
                {
                    appendAddresses(description.append("UDP ")).append(", malformed");
                }
                break;
            case Ipv4Packet.PROTOCOL_TCP:
                protocol = TCP;
                if (tcp.wrap(buffer, payload, payloadLength) == TcpSegment.VALID)
                {
                    sourcePort = tcp.sourcePort();
                    destinationPort = tcp.destinationPort();
                    appendTcpFlags(appendEndpoints(description.append("TCP ")).append(" ["))
                        .append("] seq ").append(Integer.toUnsignedLong(tcp.sequenceNumber()))
                        .append(" ack ").append(Integer.toUnsignedLong(tcp.acknowledgmentNumber()))
                        .append(" win ").append(tcp.window()).append(" len ").append(tcp.payloadLength());
                }
                else
                {
                    appendAddresses(description.append("TCP ")).append(", malformed");
                }
                break;
            case Ipv4Packet.PROTOCOL_ICMP:
                protocol = ICMP;
                appendAddresses(description.append("ICMP ")).append(' ')
                    .append(icmp.wrap(buffer, payload, payloadLength) == IcmpPacket.VALID ? icmpText() : "malformed");
                break;
            default:
                appendAddresses(description.append("IPv4 ")).append(" protocol ").append(ipv4.protocol())
                    .append(" len ").append(payloadLength);
                break;
        }
    }

    private String icmpText()
    {
        switch (icmp.type())
        {
            case IcmpPacket.TYPE_ECHO_REQUEST:
                return "echo request id " + icmp.identifier() + " seq " + icmp.sequence();
            case IcmpPacket.TYPE_ECHO_REPLY:
                return "echo reply id " + icmp.identifier() + " seq " + icmp.sequence();
            case IcmpPacket.TYPE_DESTINATION_UNREACHABLE:
                return "destination unreachable code " + icmp.code();
            case IcmpPacket.TYPE_TIME_EXCEEDED:
                return "time exceeded code " + icmp.code();
            default:
                return "type " + icmp.type() + " code " + icmp.code();
        }
    }

    private TextBuffer appendTcpFlags(final TextBuffer line)
    {
        return line.append(tcp.isSyn() ? "S" : "").append(tcp.isFin() ? "F" : "").append(tcp.isRst() ? "R" : "")
            .append(tcp.isPsh() ? "P" : "").append(tcp.isAck() ? "." : "");
    }

    private TextBuffer appendAddresses(final TextBuffer line)
    {
        return appendAddress(appendAddress(line, sourceAddress, SOURCE).append(" > "), destinationAddress, DESTINATION);
    }

    private TextBuffer appendEndpoints(final TextBuffer line)
    {
        appendAddress(line, sourceAddress, SOURCE).append(':').append(sourcePort).append(" > ");
        return appendAddress(line, destinationAddress, DESTINATION).append(':').append(destinationPort);
    }

    /**
     * Append an address in dotted-decimal, as {@link Ipv4Text#format} writes it: copied when it is the address last
     * written on that side ({@link #SOURCE} or {@link #DESTINATION}), as it mostly is from one frame to the next.
     */
    private TextBuffer appendAddress(final TextBuffer line, final int address, final int side)
    {
        final TextBuffer text = addressTexts[side];
        if (text.length() == 0 || addresses[side] != address)
        {
            text.setLength(0);
            text.append(address >>> 24).append('.').append((address >>> 16) & 0xFF).append('.')
                .append((address >>> 8) & 0xFF).append('.').append(address & 0xFF);
            addresses[side] = address;
        }
        return line.append(text);
    }
}
