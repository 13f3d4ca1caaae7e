package io.ringstack.iface;

import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.Ipv4Packet;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;

/**
 * The engine's IPv4 output: one off-heap buffer with the datagram under construction, and the route it takes.
 * Callers write their transport header and payload at {@link #TRANSPORT_OFFSET} of {@link #frame()}, then call
 * {@link #send}, which adds the IPv4 and Ethernet headers and picks the way out:
 * <ul>
 *   <li>our own address or 127/8: the loopback ring (full ring: {@link TxResult#NO_BUFFER} and a counted drop);</li>
 *   <li>broadcast: the device, to the Ethernet broadcast address;</li>
 *   <li>on-link: the device, to the destination's MAC; off-link: to the gateway's (RFC 1122 3.3.1), both
 *       through ARP.</li>
 * </ul>
 * A datagram that fits the route's MTU (the loopback MTU, 64 KiB as Linux's {@code lo} unless set lower; otherwise
 * the device's, at most {@link #MTU}, or
 * the lower path MTU that ICMP reported for the destination, {@link PathMtuCache}) leaves as one frame straight from
 * the buffer, Don't Fragment set, as every TCP segment does (RFC 1191 section 3). A larger one, up to
 * {@link #MAX_DATAGRAM_TRANSPORT_LENGTH} bytes of transport, leaves in fragments (RFC 791 3.2, RFC 1122 3.3.3),
 * Don't Fragment clear: one identification, the data of all but the last a multiple of 8 bytes, More Fragments on
 * all but the last. The buffer holds a whole datagram, and each fragment's headers are written just before its
 * data, over the end of the fragment before, which the device, the loopback ring, the ARP queue and the tap have
 * copied by then: fragmenting copies no data either.
 * <pre>
 *   buffer:   | Eth | IP | data 0 .. 1480           | data 1480 .. 2960        | data 2960 .. |
 *   frag 0:   [ Eth | IP | 0 .. 1480 ]
 *   frag 1:                          [ Eth | IP | 1480 .. 2960 ]        (headers over the last 34 bytes of frag 0)
 * </pre>
 * A TCP segment larger than the MTU that the device cuts itself ({@link #sendSegmented}) leaves whole, in one frame,
 * Don't Fragment set.
 * <p>
 * A segment to a local address that fits the loopback MTU may instead be written straight into the loopback ring, as
 * smoltcp's {@code TxToken} lends the device's buffer: {@link #claimLoopback} reserves its frame in the ring,
 * the caller writes the transport segment there ({@link #loopbackBuffer()}), and {@link #commitLoopback} adds the
 * IPv4 and Ethernet headers and publishes it, counted and tapped as {@link #send} does: the segment's bytes are copied
 * once, from where they were (a socket's ring, an application's command), not twice through {@link #frame()}.
 */
public final class Ipv4Output
{
    public static final int IP_OFFSET = EthernetFrame.HEADER_LENGTH;
    public static final int TRANSPORT_OFFSET = IP_OFFSET + Ipv4Packet.HEADER_LENGTH;
    /** The largest IP packet the engine sends in one frame on an Ethernet device. */
    public static final int MTU = EthernetFrame.MAX_PAYLOAD_LENGTH;
    /** The most a transport header plus payload may take in one frame: a 1500-byte MTU less the IPv4 header. */
    public static final int MAX_TRANSPORT_LENGTH = MTU - Ipv4Packet.HEADER_LENGTH;
    /** The most a transport header plus payload may take in one datagram: 65535 bytes less the IPv4 header. */
    public static final int MAX_DATAGRAM_TRANSPORT_LENGTH = 0xFFFF - Ipv4Packet.HEADER_LENGTH;
    public static final int DEFAULT_TTL = 64;

    private static final int LOOPBACK_FRAME = 1;

    private final UnsafeBuffer frame =
        new UnsafeBuffer(BufferUtil.allocateDirectAligned(TRANSPORT_OFFSET + MAX_DATAGRAM_TRANSPORT_LENGTH, 64));
    private final InterfaceConfig config;
    private final EngineCounters counters;
    private final FrameTap tap;
    private final OneToOneRingBuffer loopback;
    private final ArpResolver arp;
    private final int deviceMtu;
    private final int loopbackMtu;
    private final PathMtuCache pathMtus = new PathMtuCache();
    private int identification;

    /**
     * @param arp         {@code null} when the engine has no device: only loopback destinations are reachable.
     * @param loopbackMtu the largest IP packet sent in one frame over {@code loopback} (a frame its ring cannot hold
     *                    is refused and counted, {@link DropReason#LOOPBACK_RING_FULL}).
     */
    public Ipv4Output(
        final InterfaceConfig config,
        final EngineCounters counters,
        final FrameTap tap,
        final OneToOneRingBuffer loopback,
        final ArpResolver arp,
        final int loopbackMtu)
    {
        this.loopbackMtu = loopbackMtu;
        this.tap = tap;
        this.config = config;
        this.counters = counters;
        this.loopback = loopback;
        this.arp = arp;
        deviceMtu = arp == null ? MTU : Math.min(MTU, arp.deviceMtu());
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
     * The routing decision of {@link #send} ahead of time: the loopback ring for a local address; else a device,
     * and the destination on link, a broadcast, or a gateway to send it to. Reads only what does not change after
     * construction, so any thread may ask.
     *
     * @return {@code false} when a datagram to {@code destination} would be refused as {@link TxResult#NO_ROUTE}.
     */
    public boolean hasRoute(final int destination)
    {
        return isLocal(destination) || (arp != null && (config.isOnLink(destination) || config.gateway() != 0 ||
            destination == Ipv4Addresses.LIMITED_BROADCAST));
    }

    /**
     * @return the largest IP packet that goes to {@code destination} in one frame: the loopback MTU for a local
     * address, else the device's MTU or the lower path MTU ICMP reported (RFC 1191).
     */
    public int pathMtu(final int destination, final long nowNs)
    {
        return isLocal(destination) ? loopbackMtu : pathMtus.mtu(destination, deviceMtu, nowNs);
    }

    /**
     * @return the largest IP packet that can go to {@code destination} in one frame, whatever ICMP reported: the
     * loopback MTU for a local address, else the device's.
     */
    public int linkMtu(final int destination)
    {
        return isLocal(destination) ? loopbackMtu : deviceMtu;
    }

    /**
     * @return the largest IP packet of one TCP segment to {@code destination} that the device cuts into segments
     * itself ({@link #sendSegmented}): 0 on loopback, on an engine with no device, or a device that cannot.
     */
    public int segmentOffloadBytes(final int destination)
    {
        return arp == null || isLocal(destination) ? 0 : arp.segmentOffloadBytes();
    }

    /**
     * A fragmentation needed reported {@code mtu} for the path to {@code destination}: lower its path MTU, never
     * below {@link PathMtuCache#MIN_PATH_MTU}.
     *
     * @return {@code true} when the path MTU went down.
     */
    public boolean lowerPathMtu(final int destination, final int mtu, final long nowNs)
    {
        return !isLocal(destination) && pathMtus.lower(destination, mtu, deviceMtu, nowNs);
    }

    /**
     * @return a number that changes whenever the path MTU to some destination does.
     */
    public int pathMtuGeneration()
    {
        return pathMtus.generation();
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
     * Send the transport segment at {@link #TRANSPORT_OFFSET} of {@link #frame()}, of at most
     * {@link #MAX_DATAGRAM_TRANSPORT_LENGTH} bytes, in fragments if it does not fit the route's MTU. Each frame is
     * counted in {@code tx_requests}; the first that fails ends the datagram.
     *
     * @return {@link TxResult#SENT} when every frame was sent or queued for ARP, else the {@link TxResult} failure,
     * counted under its reason.
     */
    public int send(final int protocol, final int source, final int destination, final int transportLength,
        final long nowNs)
    {
        return send(protocol, 0, source, destination, transportLength, nowNs);
    }

    /**
     * {@link #send(int, int, int, int, long)} with the DSCP/ECN octet of its header (or of every fragment's, RFC 3168
     * section 5.3) given: a TCP segment of an ECN-capable connection goes with ECT(0).
     */
    public int send(final int protocol, final int dscpEcn, final int source, final int destination,
        final int transportLength, final long nowNs)
    {
        countProtocol(protocol);
        final int id = identification++ & 0xFFFF;
        final boolean local = isLocal(destination);
        final int mtu = local ? loopbackMtu : pathMtus.mtu(destination, deviceMtu, nowNs);
        if (Ipv4Packet.HEADER_LENGTH + transportLength <= mtu)
        {
            Ipv4Packet.writeHeader(frame, IP_OFFSET, dscpEcn, transportLength, id, Ipv4Packet.FLAG_DONT_FRAGMENT,
                DEFAULT_TTL, protocol, source, destination);
            return route(0, TRANSPORT_OFFSET + transportLength, local, destination, 0, nowNs);
        }
        final int dataPerFragment = (mtu - Ipv4Packet.HEADER_LENGTH) & ~7;
        for (int start = 0; start < transportLength; start += dataPerFragment)
        {
            final int dataLength = Math.min(dataPerFragment, transportLength - start);
            final int more = start + dataLength < transportLength ? Ipv4Packet.FLAG_MORE_FRAGMENTS : 0;
            Ipv4Packet.writeHeader(frame, start + IP_OFFSET, dscpEcn, dataLength, id, more | (start >> 3),
                DEFAULT_TTL, protocol, source, destination);
            final int length = TRANSPORT_OFFSET + dataLength;
            if (start == 0 && local && !loopbackHolds(transportLength, dataPerFragment))
            {
                counters.txRequests.incrementRelease();
                return toLoopback(0, length, false);
            }
            final int result = route(start, length, local, destination, 0, nowNs);
            if (result != TxResult.SENT)
            {
                return result;
            }
        }
        return TxResult.SENT;
    }

    /**
     * Send the TCP segment at {@link #TRANSPORT_OFFSET} of {@link #frame()}, of at most
     * {@link #segmentOffloadBytes} bytes of IP packet, in one frame for the device to cut into segments of
     * {@code segmentSize} payload bytes ({@link io.ringstack.phy.NetworkDevice#transmitSegmented}); its checksum field
     * holds the pseudo-header's sum. A segment that fits the route's MTU goes as {@link #send} sends it. Counted in
     * {@code tx_requests} once. Every piece the device cuts keeps the header's DSCP/ECN octet.
     *
     * @return as {@link #send}.
     */
    public int sendSegmented(final int dscpEcn, final int source, final int destination, final int transportLength,
        final int segmentSize, final long nowNs)
    {
        if (Ipv4Packet.HEADER_LENGTH + transportLength <= pathMtu(destination, nowNs))
        {
            return send(Ipv4Packet.PROTOCOL_TCP, dscpEcn, source, destination, transportLength, nowNs);
        }
        countProtocol(Ipv4Packet.PROTOCOL_TCP);
        Ipv4Packet.writeHeader(frame, IP_OFFSET, dscpEcn, transportLength, identification++ & 0xFFFF,
            Ipv4Packet.FLAG_DONT_FRAGMENT, DEFAULT_TTL, Ipv4Packet.PROTOCOL_TCP, source, destination);
        return route(0, TRANSPORT_OFFSET + transportLength, false, destination, segmentSize, nowNs);
    }

    /**
     * Send the frame at {@code offset} of {@link #frame()}, its IPv4 header written.
     *
     * @param segmentSize for a frame the device cuts, the TCP payload of each segment; else 0.
     */
    private int route(final int offset, final int length, final boolean local, final int destination,
        final int segmentSize, final long nowNs)
    {
        counters.txRequests.incrementRelease();
        if (local)
        {
            return toLoopback(offset, length, true);
        }
        if (arp == null)
        {
            counters.dropTx(DropReason.NO_ROUTE);
            return TxResult.NO_ROUTE;
        }
        EthernetFrame.writeHeader(frame, offset, EthernetFrame.BROADCAST, config.macAddress(),
            EthernetFrame.ETHER_TYPE_IPV4);
        if (destination == Ipv4Addresses.LIMITED_BROADCAST || destination == config.directedBroadcast())
        {
            return arp.transmitTo(frame, offset, length, EthernetFrame.BROADCAST);
        }
        final int nextHop = nextHop(destination);
        if (nextHop == 0)
        {
            counters.dropTx(DropReason.NO_ROUTE);
            return TxResult.NO_ROUTE;
        }
        return arp.transmit(frame, offset, length, nextHop, segmentSize, nowNs);
    }

    /**
     * Reserve the loopback ring's room for one frame carrying a transport segment of {@code transportLength} bytes to
     * {@code destination}, to be written at the offset returned in {@link #loopbackBuffer()} and sent with
     * {@link #commitLoopback}, before anything else is sent. Nothing is counted or tapped here.
     *
     * @return where to write the transport segment, or -1 when it cannot go this way: the destination is not local,
     * the segment does not fit the loopback MTU in one frame, or the ring has no room for it now; then build it in
     * {@link #frame()} and {@link #send} it, which takes the same route and counts what befalls it.
     */
    public int claimLoopback(final int destination, final int transportLength)
    {
        final int length = TRANSPORT_OFFSET + transportLength;
        if (!isLocal(destination) || Ipv4Packet.HEADER_LENGTH + transportLength > loopbackMtu ||
            length > loopback.maxMsgLength())
        {
            return -1;
        }
        final int index = loopback.tryClaim(LOOPBACK_FRAME, length);
        return index < 0 ? -1 : index + TRANSPORT_OFFSET;
    }

    /**
     * Reserve the device's own memory for one frame carrying a TCP segment of {@code transportLength} bytes to
     * {@code destination} for the device to cut ({@link io.ringstack.phy.NetworkDevice#claimSegmented}), to be
     * written at the offset returned in {@link #deviceBuffer()} and sent with {@link #commitSegmented}, before
     * anything else is sent. Nothing is counted or tapped here.
     *
     * @return where to write the TCP segment, or -1 when it cannot go this way: the destination is local or
     * broadcast or has no route, the segment fits the path MTU or exceeds what the device cuts, the next hop's MAC
     * address is not known, or the device lends no memory now; then build it in {@link #frame()} and
     * {@link #sendSegmented} it, which takes the same route and counts what befalls it.
     */
    public int claimSegmented(final int destination, final int transportLength, final long nowNs)
    {
        final int packetLength = Ipv4Packet.HEADER_LENGTH + transportLength;
        if (packetLength > segmentOffloadBytes(destination) || packetLength <= pathMtu(destination, nowNs) ||
            destination == Ipv4Addresses.LIMITED_BROADCAST || destination == config.directedBroadcast())
        {
            return -1;
        }
        final int nextHop = nextHop(destination);
        final int claimed = nextHop == 0 ? -1 : arp.claimSegmented(TRANSPORT_OFFSET + transportLength, nextHop, nowNs);
        return claimed < 0 ? -1 : claimed + TRANSPORT_OFFSET;
    }

    /**
     * @return the device's memory, where a frame reserved by {@link #claimSegmented} is written.
     */
    public MutableDirectBuffer deviceBuffer()
    {
        return arp.transmitBuffer();
    }

    /**
     * Send the frame reserved by {@link #claimSegmented}, its TCP segment of {@code transportLength} bytes written at
     * {@code claimed}, its checksum field holding the pseudo-header's sum, for the device to cut into segments of
     * {@code segmentSize} payload bytes: its IPv4 and Ethernet headers are written before it, then it is tapped,
     * queued and counted as {@link #sendSegmented} counts a frame.
     *
     * @return {@link TxResult#SENT}.
     */
    public int commitSegmented(final int claimed, final int dscpEcn, final int source, final int destination,
        final int transportLength, final int segmentSize, final long nowNs)
    {
        final MutableDirectBuffer buffer = arp.transmitBuffer();
        final int offset = claimed - TRANSPORT_OFFSET;
        countProtocol(Ipv4Packet.PROTOCOL_TCP);
        Ipv4Packet.writeHeader(buffer, offset + IP_OFFSET, dscpEcn, transportLength, identification++ & 0xFFFF,
            Ipv4Packet.FLAG_DONT_FRAGMENT, DEFAULT_TTL, Ipv4Packet.PROTOCOL_TCP, source, destination);
        EthernetFrame.writeHeader(buffer, offset, EthernetFrame.BROADCAST, config.macAddress(),
            EthernetFrame.ETHER_TYPE_IPV4);
        counters.txRequests.incrementRelease();
        return arp.commitSegmented(offset, TRANSPORT_OFFSET + transportLength, nextHop(destination), segmentSize,
            nowNs);
    }

    /**
     * @return the neighbour a unicast datagram to {@code destination} goes to: itself on the link, else the gateway
     * (RFC 1122 3.3.1); 0 when there is none.
     */
    private int nextHop(final int destination)
    {
        return config.isOnLink(destination) ? destination : config.gateway();
    }

    /**
     * @return the loopback ring's buffer, where a frame reserved by {@link #claimLoopback} is written.
     */
    public MutableDirectBuffer loopbackBuffer()
    {
        return loopback.buffer();
    }

    /**
     * Send the frame reserved by {@link #claimLoopback}, its transport segment of {@code transportLength} bytes
     * written at {@code claimed}, what the claim returned: its IPv4 header (with the DSCP/ECN octet given) and
     * Ethernet header are written before it, then it is published, tapped and counted as {@link #send} counts a frame
     * it puts on the loopback ring.
     */
    public void commitLoopback(final int claimed, final int protocol, final int dscpEcn, final int source,
        final int destination, final int transportLength)
    {
        final AtomicBuffer buffer = loopback.buffer();
        final int index = claimed - TRANSPORT_OFFSET;
        countProtocol(protocol);
        Ipv4Packet.writeHeader(buffer, index + IP_OFFSET, dscpEcn, transportLength, identification++ & 0xFFFF,
            Ipv4Packet.FLAG_DONT_FRAGMENT, DEFAULT_TTL, protocol, source, destination);
        writeLoopbackHeader(buffer, index);
        counters.txRequests.incrementRelease();
        loopback.commit(index);
        sentOverLoopback(buffer, index, TRANSPORT_OFFSET + transportLength);
    }

    /**
     * @param room {@code false} when the frame is refused before trying: its datagram's fragments would not all fit.
     */
    private int toLoopback(final int offset, final int length, final boolean room)
    {
        writeLoopbackHeader(frame, offset);
        if (!room || length > loopback.maxMsgLength() || !loopback.write(LOOPBACK_FRAME, frame, offset, length))
        {
            counters.dropTx(DropReason.LOOPBACK_RING_FULL);
            tap.onTxFrame(FrameTap.INTERFACE_LOOPBACK, frame, offset, length, TxResult.NO_BUFFER);
            return TxResult.NO_BUFFER;
        }
        sentOverLoopback(frame, offset, length);
        return TxResult.SENT;
    }

    /**
     * The Ethernet header of a frame over the loopback ring: from our MAC address to it.
     */
    private void writeLoopbackHeader(final MutableDirectBuffer buffer, final int offset)
    {
        final long mac = config.macAddress();
        EthernetFrame.writeHeader(buffer, offset, mac, mac, EthernetFrame.ETHER_TYPE_IPV4);
    }

    /**
     * A frame went onto the loopback ring: tap and count it.
     */
    private void sentOverLoopback(final DirectBuffer buffer, final int offset, final int length)
    {
        tap.onTxFrame(FrameTap.INTERFACE_LOOPBACK, buffer, offset, length, TxResult.SENT);
        counters.txFrames.incrementRelease();
        counters.loopbackFrames.incrementRelease();
    }

    /**
     * @return whether the loopback ring has room for every fragment of the datagram, with a wrap's padding: a
     * datagram goes over loopback whole or not at all, never leaving fragments to time out.
     */
    private boolean loopbackHolds(final int transportLength, final int dataPerFragment)
    {
        final int fragments = (transportLength + dataPerFragment - 1) / dataPerFragment;
        final int record = BitUtil.align(
            RecordDescriptor.HEADER_LENGTH + TRANSPORT_OFFSET + dataPerFragment, RecordDescriptor.ALIGNMENT);
        return (long)(fragments + 1) * record <= loopback.capacity() - loopback.size();
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
