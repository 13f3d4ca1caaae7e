package io.ringstack.iface;

import io.ringstack.engine.EngineTap;
import io.ringstack.tcp.TcpEngine;
import io.ringstack.udp.UdpEndpoint;
import io.ringstack.udp.UdpTable;
import io.ringstack.wire.ArpPacket;
import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.IcmpPacket;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.TcpSegment;
import io.ringstack.wire.UdpDatagram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

/**
 * The one protocol dispatcher, the same for every device and for loopback:
 * <pre>
 *   Ethernet ─┬─ ARP
 *             └─ IPv4 ─┬─ ICMP
 *                      ├─ UDP
 *                      └─ TCP
 * </pre>
 * Every arm is present on every platform profile. Each frame ends in exactly one of two ways: delivered
 * ({@code rx_delivered}) or dropped under one {@link DropReason}. Malformed input is a counted drop, never an
 * exception. Engine thread only; nothing here allocates.
 */
public final class Dispatcher
{
    private final EthernetFrame ethernet = new EthernetFrame();
    private final ArpPacket arpPacket = new ArpPacket();
    private final Ipv4Packet ipv4 = new Ipv4Packet();
    private final IcmpPacket icmp = new IcmpPacket();
    private final UdpDatagram udp = new UdpDatagram();
    private final TcpSegment tcp = new TcpSegment();

    private final InterfaceConfig config;
    private final EngineCounters counters;
    private final ArpResolver arp;
    private final Ipv4Output output;
    private final UdpTable udpTable;
    private final IcmpResponder icmpResponder;
    private final PingTracker pings;
    private final TcpEngine tcpEngine;
    private final int removedProtocol;
    private long nowNs;
    private boolean linkBroadcast;
    private boolean answerable;
    private boolean ipBroadcast;

    public Dispatcher(
        final InterfaceConfig config,
        final EngineCounters counters,
        final ArpResolver arp,
        final Ipv4Output output,
        final UdpTable udpTable,
        final PingTracker pings,
        final TcpEngine tcpEngine,
        final int removedProtocol)
    {
        this.removedProtocol = removedProtocol;
        this.config = config;
        this.counters = counters;
        this.arp = arp;
        this.output = output;
        this.udpTable = udpTable;
        this.pings = pings;
        this.tcpEngine = tcpEngine;
        this.icmpResponder = new IcmpResponder(output);
    }

    /**
     * Dispatch one received Ethernet frame.
     *
     * @param loopback the frame came from the loopback ring rather than a device.
     * @return {@link EngineTap#DELIVERED}, or the ordinal of the {@link DropReason} it was counted under.
     */
    public int onFrame(final DirectBuffer buffer, final int offset, final int length, final boolean loopback,
        final long nowNs)
    {
        this.nowNs = nowNs;
        counters.rxFrames.incrementRelease();
        final DropReason drop = dispatchEthernet(buffer, offset, length, loopback);
        if (drop == null)
        {
            counters.rxDelivered.incrementRelease();
            return EngineTap.DELIVERED;
        }
        counters.dropRx(drop);
        return drop.ordinal();
    }

    private DropReason dispatchEthernet(
        final DirectBuffer buffer, final int offset, final int length, final boolean loopback)
    {
        if (!ethernet.wrap(buffer, offset, length))
        {
            return DropReason.ETHERNET_TRUNCATED;
        }
        final long destination = ethernet.destination();
        if (!loopback && destination != config.macAddress() && destination != EthernetFrame.BROADCAST)
        {
            return DropReason.ETHERNET_NOT_FOR_US;
        }
        linkBroadcast = !loopback && destination == EthernetFrame.BROADCAST;
        switch (ethernet.etherType())
        {
            case EthernetFrame.ETHER_TYPE_IPV4:
                counters.rxIpv4.incrementRelease();
                return dispatchIpv4(buffer, ethernet.payloadOffset(), ethernet.payloadLength(), loopback);
            case EthernetFrame.ETHER_TYPE_ARP:
                counters.rxArp.incrementRelease();
                return dispatchArp(buffer, ethernet.payloadOffset(), ethernet.payloadLength(), loopback);
            default:
                return DropReason.ETHERTYPE_UNSUPPORTED;
        }
    }

    private DropReason dispatchArp(
        final DirectBuffer buffer, final int offset, final int length, final boolean loopback)
    {
        switch (arpPacket.wrap(buffer, offset, length))
        {
            case ArpPacket.VALID:
                break;
            case ArpPacket.TRUNCATED:
                return DropReason.ARP_TRUNCATED;
            default:
                return DropReason.ARP_UNSUPPORTED;
        }
        if (arp == null || loopback)
        {
            return DropReason.ARP_NOT_FOR_US;
        }
        return arp.onArp(arpPacket, nowNs);
    }

    private DropReason dispatchIpv4(
        final DirectBuffer buffer, final int offset, final int length, final boolean loopback)
    {
        final DropReason invalid = acceptIpv4(buffer, offset, length, loopback);
        if (invalid != null)
        {
            return invalid;
        }
        final int payloadOffset = ipv4.payloadOffset();
        final int payloadLength = ipv4.payloadLength();
        final int protocol = ipv4.protocol();
        if (protocol == removedProtocol)
        {
            return DropReason.IPV4_ARM_REMOVED;
        }
        switch (protocol)
        {
            case Ipv4Packet.PROTOCOL_UDP:
                counters.rxUdp.incrementRelease();
                return dispatchUdp(buffer, payloadOffset, payloadLength, ipBroadcast);
            case Ipv4Packet.PROTOCOL_TCP:
                counters.rxTcp.incrementRelease();
                return dispatchTcp(buffer, payloadOffset, payloadLength, loopback);
            case Ipv4Packet.PROTOCOL_ICMP:
                counters.rxIcmp.incrementRelease();
                return dispatchIcmp(buffer, payloadOffset, payloadLength, ipBroadcast);
            default:
                if (answerable)
                {
                    icmpResponder.unreachable(ipv4, IcmpPacket.CODE_PROTOCOL_UNREACHABLE, nowNs);
                }
                return DropReason.IPV4_PROTOCOL_UNSUPPORTED;
        }
    }

    /**
     * Wrap and check an IPv4 header: well formed, checksum, a source a host may accept (RFC 1122 3.2.1.3), one of
     * our addresses (no forwarding), not a fragment. Sets {@link #ipBroadcast} and {@link #answerable}. Kept apart
     * from the protocol switch so that each stays small enough for the JIT to inline.
     *
     * @return {@code null} when the packet is for us, else why it is dropped.
     */
    private DropReason acceptIpv4(
        final DirectBuffer buffer, final int offset, final int length, final boolean loopback)
    {
        switch (ipv4.wrap(buffer, offset, length))
        {
            case Ipv4Packet.VALID:
                break;
            case Ipv4Packet.TRUNCATED:
                return DropReason.IPV4_TRUNCATED;
            case Ipv4Packet.BAD_VERSION:
                return DropReason.IPV4_BAD_VERSION;
            case Ipv4Packet.BAD_HEADER_LENGTH:
                return DropReason.IPV4_BAD_HEADER_LENGTH;
            default:
                return DropReason.IPV4_BAD_TOTAL_LENGTH;
        }
        if (!ipv4.isChecksumValid())
        {
            return DropReason.IPV4_BAD_CHECKSUM;
        }
        final int source = ipv4.source();
        final int directedBroadcast = config.directedBroadcast();
        if (Ipv4Addresses.isInvalidSource(source) || source == directedBroadcast ||
            (!loopback && Ipv4Addresses.isLoopback(source)))
        {
            return DropReason.IPV4_BAD_SOURCE;
        }
        final int destination = ipv4.destination();
        ipBroadcast = destination == Ipv4Addresses.LIMITED_BROADCAST || destination == directedBroadcast;
        if (!ipBroadcast && destination != config.address() &&
            !(loopback && Ipv4Addresses.isLoopback(destination)))
        {
            return DropReason.IPV4_NOT_FOR_US;
        }
        answerable = !ipBroadcast && !linkBroadcast;
        return ipv4.isFragment() ? DropReason.IPV4_FRAGMENT : null;
    }

    private DropReason dispatchUdp(
        final DirectBuffer buffer, final int offset, final int length, final boolean broadcast)
    {
        switch (udp.wrap(buffer, offset, length))
        {
            case UdpDatagram.VALID:
                break;
            case UdpDatagram.TRUNCATED:
                return DropReason.UDP_TRUNCATED;
            default:
                return DropReason.UDP_BAD_LENGTH;
        }
        if (!udp.isChecksumValid(ipv4.source(), ipv4.destination()))
        {
            return DropReason.UDP_BAD_CHECKSUM;
        }
        final UdpEndpoint endpoint = udpTable.lookup(udp.destinationPort());
        if (endpoint == null ||
            (endpoint.localAddress() != 0 && endpoint.localAddress() != ipv4.destination() && !broadcast))
        {
            if (answerable)
            {
                icmpResponder.unreachable(ipv4, IcmpPacket.CODE_PORT_UNREACHABLE, nowNs);
            }
            return DropReason.UDP_NO_SOCKET;
        }
        if (endpoint.isConnected() &&
            (endpoint.remotePort() != udp.sourcePort() || endpoint.remoteAddress() != ipv4.source()))
        {
            return DropReason.UDP_PEER_MISMATCH;
        }
        return deliver(endpoint.receiveRing(), buffer);
    }

    private DropReason deliver(final OneToOneRingBuffer ring, final DirectBuffer buffer)
    {
        final int payloadLength = udp.payloadLength();
        final int messageLength = UdpEndpoint.PAYLOAD_OFFSET + payloadLength;
        final int index = messageLength > ring.maxMsgLength() ? -1 :
            ring.tryClaim(UdpEndpoint.DATAGRAM_MESSAGE, messageLength);
        if (index < 0)
        {
            return DropReason.UDP_SOCKET_RING_FULL;
        }
        final UnsafeBuffer ringBuffer = (UnsafeBuffer)ring.buffer();
        ringBuffer.putInt(index + UdpEndpoint.SOURCE_ADDRESS_OFFSET, ipv4.source());
        ringBuffer.putInt(index + UdpEndpoint.SOURCE_PORT_OFFSET, udp.sourcePort());
        ringBuffer.putBytes(index + UdpEndpoint.PAYLOAD_OFFSET, buffer, udp.payloadOffset(), payloadLength);
        ring.commit(index);
        return null;
    }

    private DropReason dispatchIcmp(
        final DirectBuffer buffer, final int offset, final int length, final boolean broadcast)
    {
        if (icmp.wrap(buffer, offset, length) != IcmpPacket.VALID)
        {
            return DropReason.ICMP_TRUNCATED;
        }
        if (!icmp.isChecksumValid())
        {
            return DropReason.ICMP_BAD_CHECKSUM;
        }
        switch (icmp.type())
        {
            case IcmpPacket.TYPE_ECHO_REQUEST:
                if (broadcast)
                {
                    return DropReason.ICMP_BROADCAST_ECHO;
                }
                icmpResponder.echoReply(ipv4, icmp, nowNs);
                return null;
            case IcmpPacket.TYPE_ECHO_REPLY:
                if (pings.onEchoReply(ipv4.source(), icmp.identifier(), icmp.sequence(), nowNs))
                {
                    counters.pingRepliesMatched.incrementRelease();
                    return null;
                }
                return DropReason.ICMP_UNMATCHED_REPLY;
            case IcmpPacket.TYPE_DESTINATION_UNREACHABLE:
            case IcmpPacket.TYPE_TIME_EXCEEDED:
                return DropReason.ICMP_ERROR_NOT_REPORTED;
            default:
                return DropReason.ICMP_TYPE_UNSUPPORTED;
        }
    }

    /**
     * TCP from the loopback ring is not checksummed: as Linux's {@code lo} does, the engine neither computes nor
     * verifies checksums of segments that never leave it ({@link io.ringstack.tcp.TcpEngine}).
     */
    private DropReason dispatchTcp(
        final DirectBuffer buffer, final int offset, final int length, final boolean loopback)
    {
        switch (tcp.wrap(buffer, offset, length))
        {
            case TcpSegment.VALID:
                break;
            case TcpSegment.TRUNCATED:
                return DropReason.TCP_TRUNCATED;
            default:
                return DropReason.TCP_BAD_DATA_OFFSET;
        }
        if (!loopback && !tcp.isChecksumValid(ipv4.source(), ipv4.destination()))
        {
            return DropReason.TCP_BAD_CHECKSUM;
        }
        return tcpEngine.onSegment(ipv4, tcp, !answerable, nowNs);
    }
}
