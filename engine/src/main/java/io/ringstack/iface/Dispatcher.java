package io.ringstack.iface;

import io.ringstack.phy.FrameHandler;
import io.ringstack.wire.ArpPacket;
import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.IcmpPacket;
import io.ringstack.wire.Ipv4Packet;
import org.agrona.DirectBuffer;

/**
 * The one protocol dispatcher, the same for every device and for loopback:
 * <pre>
 *   Ethernet ─┬─ ARP
 *             └─ IPv4 ─┬─ (fragment) ─ Ipv4Reassembly ─┐ whole datagram
 *                      ├───────────────────────────────┴─┬─ ICMP
 *                      │                                 ├─ UDP
 *                      │                                 └─ TCP
 * </pre>
 * Every arm is present on every platform profile; UDP and TCP come from the layers above as {@link Ipv4Protocol}s.
 * Each frame ends in exactly one of two ways: delivered ({@code rx_delivered}) or dropped under one
 * {@link DropReason}; a fragment may first be held ({@link FrameTap#HELD}) until its datagram's fate is known.
 * Malformed input is a counted drop, never an exception. Engine thread only; nothing here allocates.
 */
public final class Dispatcher
{
    private final EthernetFrame ethernet = new EthernetFrame();
    private final ArpPacket arpPacket = new ArpPacket();
    private final Ipv4Packet ipv4 = new Ipv4Packet();

    private final InterfaceConfig config;
    private final EngineCounters counters;
    private final ArpResolver arp;
    private final IcmpResponder icmpResponder;
    private final Ipv4Reassembly reassembly;
    private final Ipv4Protocol icmp;
    private final Ipv4Protocol udp;
    private final Ipv4Protocol tcp;

    /**
     * @param arp the resolver, or {@code null} for an engine without a device.
     * @param icmp the ICMP arm, {@link #icmpArm} unless removed.
     */
    public Dispatcher(
        final InterfaceConfig config,
        final EngineCounters counters,
        final ArpResolver arp,
        final IcmpResponder icmpResponder,
        final Ipv4Reassembly reassembly,
        final Ipv4Protocol icmp,
        final Ipv4Protocol udp,
        final Ipv4Protocol tcp)
    {
        this.config = config;
        this.counters = counters;
        this.arp = arp;
        this.icmpResponder = icmpResponder;
        this.reassembly = reassembly;
        this.icmp = icmp;
        this.udp = udp;
        this.tcp = tcp;
    }

    /**
     * @return the ICMP arm: echo answered, replies matched to {@code pings}, a destination unreachable handed to the
     * {@code udp} or {@code tcp} arm whose datagram it quotes, other errors counted.
     */
    public static Ipv4Protocol icmpArm(
        final IcmpResponder responder, final PingTracker pings, final EngineCounters counters,
        final Ipv4Protocol udp, final Ipv4Protocol tcp)
    {
        return new IcmpReceiver(responder, pings, counters, udp, tcp);
    }

    /**
     * Dispatch one received Ethernet frame. Each layer's flyweight reads its header once; what a layer decided
     * about the frame (its arrival flags, the time) is passed down, not kept between frames.
     *
     * @param loopback the frame came from the loopback ring rather than a device.
     * @return {@link FrameTap#DELIVERED}, {@link FrameTap#HELD} for a fragment held for reassembly, or the ordinal
     * of the {@link DropReason} it was counted under.
     */
    public int onFrame(final DirectBuffer buffer, final int offset, final int length, final boolean loopback,
        final long nowNs)
    {
        return onFrame(buffer, offset, length, loopback, 0, nowNs);
    }

    /**
     * {@link #onFrame(DirectBuffer, int, int, boolean, long)} for a frame a device received with offloads.
     *
     * @param offloads {@code phy.FrameHandler.CHECKSUM_GOOD} when the device vouched for its transport checksum,
     *                 else 0.
     */
    public int onFrame(final DirectBuffer buffer, final int offset, final int length, final boolean loopback,
        final int offloads, final long nowNs)
    {
        counters.rxFrames.increment();
        final int verdict = dispatchEthernet(buffer, offset, length, loopback, offloads, nowNs);
        if (verdict == FrameTap.DELIVERED)
        {
            counters.rxDelivered.increment();
        }
        else if (verdict != FrameTap.HELD)
        {
            counters.dropRx(DropReason.of(verdict));
        }
        return verdict;
    }

    private int dispatchEthernet(
        final DirectBuffer buffer, final int offset, final int length, final boolean loopback, final int offloads,
        final long nowNs)
    {
        if (!ethernet.wrap(buffer, offset, length))
        {
            return DropReason.ETHERNET_TRUNCATED.ordinal();
        }
        final long destination = ethernet.destination();
        final boolean linkBroadcast = destination == EthernetFrame.BROADCAST;
        if (!loopback && destination != config.macAddress() && !linkBroadcast)
        {
            return DropReason.ETHERNET_NOT_FOR_US.ordinal();
        }
        switch (ethernet.etherType())
        {
            case EthernetFrame.ETHER_TYPE_IPV4:
                counters.rxIpv4.increment();
                return dispatchIpv4(buffer, ethernet.payloadOffset(), ethernet.payloadLength(), loopback,
                    linkBroadcast && !loopback, offloads, nowNs);
            case EthernetFrame.ETHER_TYPE_ARP:
                counters.rxArp.increment();
                return verdict(
                    dispatchArp(buffer, ethernet.payloadOffset(), ethernet.payloadLength(), loopback, nowNs));
            default:
                return DropReason.ETHERTYPE_UNSUPPORTED.ordinal();
        }
    }

    private DropReason dispatchArp(
        final DirectBuffer buffer, final int offset, final int length, final boolean loopback, final long nowNs)
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

    private int dispatchIpv4(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final boolean loopback,
        final boolean linkBroadcast,
        final int offloads,
        final long nowNs)
    {
        final int arrival = acceptIpv4(buffer, offset, length, loopback, linkBroadcast);
        if (arrival < 0)
        {
            return -1 - arrival;
        }
        if (!ipv4.isFragment())
        {
            final int checksumGood = (offloads & FrameHandler.CHECKSUM_GOOD) != 0 ? Ipv4Protocol.CHECKSUM_GOOD : 0;
            return verdict(dispatchDatagram(ipv4, arrival | checksumGood, nowNs));
        }
        return reassemble(arrival, nowNs);
    }

    /**
     * A fragment: held, dropped, or the last one of its datagram, which then goes through the protocol switch.
     */
    private int reassemble(final int arrival, final long nowNs)
    {
        final int outcome = reassembly.onFragment(ipv4, arrival, nowNs);
        if (outcome == Ipv4Reassembly.HELD)
        {
            return FrameTap.HELD;
        }
        if (outcome != Ipv4Reassembly.COMPLETE)
        {
            return outcome;
        }
        final DropReason drop = dispatchDatagram(reassembly.datagram(), reassembly.arrival(), nowNs);
        reassembly.settle(drop);
        return verdict(drop);
    }

    /**
     * The protocol switch, for an unfragmented packet or a reassembled datagram alike.
     */
    private DropReason dispatchDatagram(final Ipv4Packet packet, final int arrival, final long nowNs)
    {
        switch (packet.protocol())
        {
            case Ipv4Packet.PROTOCOL_UDP:
                counters.rxUdp.increment();
                return udp.onPacket(packet, arrival, nowNs);
            case Ipv4Packet.PROTOCOL_TCP:
                counters.rxTcp.increment();
                return tcp.onPacket(packet, arrival, nowNs);
            case Ipv4Packet.PROTOCOL_ICMP:
                counters.rxIcmp.increment();
                return icmp.onPacket(packet, arrival, nowNs);
            default:
                if ((arrival & Ipv4Protocol.ANSWERABLE) != 0)
                {
                    icmpResponder.unreachable(packet, IcmpPacket.CODE_PROTOCOL_UNREACHABLE, nowNs);
                }
                return DropReason.IPV4_PROTOCOL_UNSUPPORTED;
        }
    }

    /**
     * Wrap and check an IPv4 header: well formed, checksum, a source a host may accept (RFC 1122 3.2.1.3: not
     * broadcast, multicast, class E or loopback from the wire; 0.0.0.0/8 only to the limited broadcast), one of
     * our addresses (no forwarding). Kept apart from the protocol switch so that each stays small enough for the JIT
     * to inline.
     *
     * @return the packet's {@link Ipv4Protocol} arrival flags (zero or more) when it is for us, else
     * {@code -1 - ordinal} of the {@link DropReason} it is dropped under.
     */
    private int acceptIpv4(
        final DirectBuffer buffer, final int offset, final int length, final boolean loopback,
        final boolean linkBroadcast)
    {
        switch (ipv4.wrap(buffer, offset, length))
        {
            case Ipv4Packet.VALID:
                break;
            case Ipv4Packet.TRUNCATED:
                return rejected(DropReason.IPV4_TRUNCATED);
            case Ipv4Packet.BAD_VERSION:
                return rejected(DropReason.IPV4_BAD_VERSION);
            case Ipv4Packet.BAD_HEADER_LENGTH:
                return rejected(DropReason.IPV4_BAD_HEADER_LENGTH);
            default:
                return rejected(DropReason.IPV4_BAD_TOTAL_LENGTH);
        }
        if (!ipv4.isChecksumValid())
        {
            return rejected(DropReason.IPV4_BAD_CHECKSUM);
        }
        final int source = ipv4.source();
        final int directedBroadcast = config.directedBroadcast();
        if (Ipv4Addresses.isInvalidSource(source) || source == directedBroadcast ||
            (!loopback && Ipv4Addresses.isLoopback(source)))
        {
            return rejected(DropReason.IPV4_BAD_SOURCE);
        }
        final int destination = ipv4.destination();
        if (Ipv4Addresses.isThisNetwork(source) && destination != Ipv4Addresses.LIMITED_BROADCAST)
        {
            return rejected(DropReason.IPV4_UNSPECIFIED_SOURCE);
        }
        final boolean ipBroadcast =
            destination == Ipv4Addresses.LIMITED_BROADCAST || destination == directedBroadcast;
        if (!ipBroadcast && destination != config.address() &&
            !(loopback && Ipv4Addresses.isLoopback(destination)))
        {
            return rejected(DropReason.IPV4_NOT_FOR_US);
        }
        return (loopback ? Ipv4Protocol.FROM_LOOPBACK : 0) | (ipBroadcast ? Ipv4Protocol.TO_BROADCAST : 0) |
            (ipBroadcast || linkBroadcast ? 0 : Ipv4Protocol.ANSWERABLE);
    }

    private static int rejected(final DropReason reason)
    {
        return -1 - reason.ordinal();
    }

    /**
     * @return {@link FrameTap#DELIVERED} for an arm's {@code null}, else the ordinal of its drop reason.
     */
    private static int verdict(final DropReason drop)
    {
        return drop == null ? FrameTap.DELIVERED : drop.ordinal();
    }
}
