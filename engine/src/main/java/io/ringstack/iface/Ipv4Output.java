package io.ringstack.iface;

import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.Ipv4Packet;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

/**
 * The engine's IPv4 output: one off-heap frame under construction, and the route it takes. Callers write their
 * transport header and payload at {@link #TRANSPORT_OFFSET} of {@link #frame()}, then call {@link #send}, which
 * adds the IPv4 and Ethernet headers and picks the way out:
 * <ul>
 *   <li>our own address or 127/8: the loopback ring (full ring: {@link TxResult#NO_BUFFER} and a counted drop);</li>
 *   <li>broadcast: the device, to the Ethernet broadcast address;</li>
 *   <li>on-link: the device, to the destination's MAC; off-link: to the gateway's (RFC 1122 3.3.1), both
 *       through ARP.</li>
 * </ul>
 */
public final class Ipv4Output
{
    public static final int IP_OFFSET = EthernetFrame.HEADER_LENGTH;
    public static final int TRANSPORT_OFFSET = IP_OFFSET + Ipv4Packet.HEADER_LENGTH;
    /** The most a transport header plus payload may take: a 1500-byte MTU less the IPv4 header. */
    public static final int MAX_TRANSPORT_LENGTH = EthernetFrame.MAX_PAYLOAD_LENGTH - Ipv4Packet.HEADER_LENGTH;
    public static final int DEFAULT_TTL = 64;

    private static final int LOOPBACK_FRAME = 1;

    private final UnsafeBuffer frame = new UnsafeBuffer(BufferUtil.allocateDirectAligned(2048, 64));
    private final InterfaceConfig config;
    private final EngineCounters counters;
    private final FrameTap tap;
    private final OneToOneRingBuffer loopback;
    private final ArpResolver arp;
    private int identification;

    /**
     * @param arp {@code null} when the engine has no device: only loopback destinations are reachable.
     */
    public Ipv4Output(
        final InterfaceConfig config,
        final EngineCounters counters,
        final FrameTap tap,
        final OneToOneRingBuffer loopback,
        final ArpResolver arp)
    {
        this.tap = tap;
        this.config = config;
        this.counters = counters;
        this.loopback = loopback;
        this.arp = arp;
    }

    public UnsafeBuffer frame()
    {
        return frame;
    }

    /**
     * @return {@code true} when {@code address} is delivered through the loopback ring.
     */
    public boolean isLocal(final int address)
    {
        return address == config.address() || Ipv4Addresses.isLoopback(address);
    }

    /**
     * The source address for a datagram to {@code destination} from a socket bound to {@code boundAddress}.
     */
    public int sourceFor(final int boundAddress, final int destination)
    {
        if (boundAddress != 0)
        {
            return boundAddress;
        }
        return Ipv4Addresses.isLoopback(destination) ? Ipv4Addresses.LOOPBACK : config.address();
    }

    /**
     * Send the transport segment at {@link #TRANSPORT_OFFSET} of {@link #frame()}.
     *
     * @return {@link TxResult#SENT} when sent or queued for ARP, else the {@link TxResult} failure, counted under its
     * reason.
     */
    public int send(final int protocol, final int source, final int destination, final int transportLength,
        final long nowNs)
    {
        counters.txRequests.incrementRelease();
        countProtocol(protocol);
        Ipv4Packet.writeHeader(frame, IP_OFFSET, transportLength, identification++ & 0xFFFF, DEFAULT_TTL, protocol,
            source, destination);
        final int length = TRANSPORT_OFFSET + transportLength;
        if (isLocal(destination))
        {
            EthernetFrame.writeHeader(
                frame, 0, config.macAddress(), config.macAddress(), EthernetFrame.ETHER_TYPE_IPV4);
            if (length > loopback.maxMsgLength() || !loopback.write(LOOPBACK_FRAME, frame, 0, length))
            {
                counters.dropTx(DropReason.LOOPBACK_RING_FULL);
                tap.onTxFrame(FrameTap.INTERFACE_LOOPBACK, frame, 0, length, TxResult.NO_BUFFER);
                return TxResult.NO_BUFFER;
            }
            tap.onTxFrame(FrameTap.INTERFACE_LOOPBACK, frame, 0, length, TxResult.SENT);
            counters.txFrames.incrementRelease();
            counters.loopbackFrames.incrementRelease();
            return TxResult.SENT;
        }
        if (arp == null)
        {
            counters.dropTx(DropReason.NO_ROUTE);
            return TxResult.NO_ROUTE;
        }
        EthernetFrame.writeHeader(frame, 0, EthernetFrame.BROADCAST, config.macAddress(),
            EthernetFrame.ETHER_TYPE_IPV4);
        if (destination == Ipv4Addresses.LIMITED_BROADCAST || destination == config.directedBroadcast())
        {
            return arp.transmitTo(frame, 0, length, EthernetFrame.BROADCAST);
        }
        final int nextHop = config.isOnLink(destination) ? destination : config.gateway();
        if (nextHop == 0)
        {
            counters.dropTx(DropReason.NO_ROUTE);
            return TxResult.NO_ROUTE;
        }
        return arp.transmit(frame, 0, length, nextHop, nowNs);
    }

    private void countProtocol(final int protocol)
    {
        switch (protocol)
        {
            case Ipv4Packet.PROTOCOL_UDP:
                counters.txUdp.incrementRelease();
                break;
            case Ipv4Packet.PROTOCOL_TCP:
                counters.txTcp.incrementRelease();
                break;
            default:
                counters.txIcmp.incrementRelease();
                break;
        }
    }
}
