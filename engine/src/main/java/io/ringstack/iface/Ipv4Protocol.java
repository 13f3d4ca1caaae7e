package io.ringstack.iface;

import io.ringstack.wire.Ipv4Packet;

/**
 * One arm of the {@link Dispatcher}'s IPv4 protocol switch: ICMP here, UDP and TCP in the layers above, which plug
 * in through this interface so that dependencies point down. Each arm wraps and checks its own header and ends the
 * packet in exactly one way: delivered ({@code null}) or dropped under one {@link DropReason}. Engine thread only;
 * nothing here allocates.
 */
public interface Ipv4Protocol
{
    /** The packet came through the loopback ring, not a device: transport checksums are neither made nor checked. */
    int FROM_LOOPBACK = 1;
    /** The packet was sent to a broadcast address. */
    int TO_BROADCAST = 2;
    /** Neither the frame nor the packet was a broadcast: the packet may be answered (RFC 1122 3.2.2). */
    int ANSWERABLE = 4;
    /**
     * The device or its link vouched for the transport checksum of this unfragmented packet
     * ({@code phy.FrameHandler.CHECKSUM_GOOD}): it is not summed again. Never set on a reassembled datagram.
     */
    int CHECKSUM_GOOD = 8;

    /**
     * @param ip the accepted IPv4 packet; its payload is this protocol's.
     * @param arrival {@link #FROM_LOOPBACK}, {@link #TO_BROADCAST}, {@link #ANSWERABLE} and {@link #CHECKSUM_GOOD},
     *                or'ed.
     * @return {@code null} when delivered, else why the packet was dropped.
     */
    DropReason onPacket(Ipv4Packet ip, int arrival, long nowNs);

    /**
     * An ICMP destination unreachable or time exceeded about a datagram of this protocol that this host sent
     * (RFC 792, RFC 1122 3.2.2.1, 3.2.2.4, 4.1.3.3 and 4.2.3.9): report it to the socket it concerns. The ICMP arm
     * has checked that the quoted datagram came from this host; the arm checks that a socket of its own sent it
     * (RFC 5927 section 4).
     *
     * @param error the error and the datagram it quotes, valid during this call only.
     * @return {@code null} when reported to a socket, else why not.
     */
    default DropReason onUnreachable(final IcmpError error, final long nowNs)
    {
        return DropReason.ICMP_ERROR_NOT_REPORTED;
    }

    /**
     * An arm that drops every packet as {@link DropReason#IPV4_ARM_REMOVED}: what the seed's ARM64 build had in place
     * of its TCP and UDP arms.
     */
    Ipv4Protocol REMOVED = (ip, arrival, nowNs) -> DropReason.IPV4_ARM_REMOVED;
}
