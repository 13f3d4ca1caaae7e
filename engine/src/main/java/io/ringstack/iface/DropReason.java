package io.ringstack.iface;

/**
 * Why a frame did not reach its destination. Every frame the engine receives is either delivered or counted
 * under exactly one {@link Direction#RX} reason, so that {@code rx frames = delivered + Σ rx drops} always holds
 * (a fragment held for reassembly is neither until its datagram completes, fails or times out, and shares its
 * datagram's fate); every frame it tries to send is either sent or counted under one {@link Direction#TX} reason.
 */
public enum DropReason
{
    ETHERNET_TRUNCATED(Direction.RX, "frame shorter than an Ethernet header"),
    ETHERNET_NOT_FOR_US(Direction.RX, "destination MAC is neither ours nor broadcast"),
    ETHERTYPE_UNSUPPORTED(Direction.RX, "EtherType other than ARP and IPv4"),

    ARP_TRUNCATED(Direction.RX, "ARP packet shorter than 28 bytes"),
    ARP_UNSUPPORTED(Direction.RX, "ARP for a hardware or protocol other than Ethernet/IPv4"),
    ARP_NOT_FOR_US(Direction.RX, "ARP request for another host's address"),
    ARP_OPERATION_UNSUPPORTED(Direction.RX, "ARP operation other than request and reply"),
    ARP_UNSOLICITED_REPLY(Direction.RX, "ARP reply to us for an address we are not resolving: not learned (RFC 826 " +
        "merge rule, Linux arp_accept=0)"),

    IPV4_TRUNCATED(Direction.RX, "IPv4 packet shorter than its 20-byte header"),
    IPV4_BAD_VERSION(Direction.RX, "IP version field is not 4"),
    IPV4_BAD_HEADER_LENGTH(Direction.RX, "IHL below 5 or past the end of the packet"),
    IPV4_BAD_TOTAL_LENGTH(Direction.RX, "total length below the header or past the end of the frame"),
    IPV4_BAD_CHECKSUM(Direction.RX, "IPv4 header checksum mismatch"),
    IPV4_BAD_SOURCE(Direction.RX, "source address is broadcast, multicast or class E (RFC 1122 3.2.1.3)"),
    IPV4_UNSPECIFIED_SOURCE(Direction.RX, "source in 0.0.0.0/8 to other than 255.255.255.255: only a host that does not " +
        "know its address sends one, and only to find it (RFC 1122 3.2.1.3 (a), (b)); never answered"),
    IPV4_NOT_FOR_US(Direction.RX, "destination is not one of our addresses (no forwarding)"),
    IPV4_FRAGMENT_OVERLAP(Direction.RX, "fragment overlapping another of its datagram: the datagram is dropped " +
        "whole, as Linux does (RFC 5722 for IPv6)"),
    IPV4_FRAGMENT_DUPLICATE(Direction.RX, "exact copy of a fragment already held: ignored, the datagram goes on"),
    IPV4_FRAGMENT_TOO_BIG(Direction.RX, "fragment ending past 65535 bytes of datagram: the datagram is dropped whole"),
    IPV4_FRAGMENT_INCONSISTENT(Direction.RX, "empty fragment, fragment other than the last not a multiple of 8 " +
        "bytes, or one that disagrees with the last fragment on the datagram's length: the datagram is dropped whole"),
    IPV4_FRAGMENT_TINY(Direction.RX, "TCP fragment that could rewrite a TCP header: a first fragment shorter than " +
        "20 bytes or one at offset 8 (RFC 1858 3.2, 3.4); the datagram goes on without it"),
    IPV4_REASSEMBLY_NO_SLOT(Direction.RX, "fragment of a new datagram while ipv4ReassemblyDatagrams are being " +
        "reassembled"),
    IPV4_REASSEMBLY_NO_MEMORY(Direction.RX, "fragment that found no free page of ipv4ReassemblyBytes: its datagram " +
        "is dropped whole"),
    IPV4_REASSEMBLY_TOO_MANY_FRAGMENTS(Direction.RX, "datagram cut into more than ipv4ReassemblyFragments " +
        "fragments: dropped whole"),
    IPV4_REASSEMBLY_TIMEOUT(Direction.RX, "fragment held ipv4ReassemblyTimeoutNs without its datagram completing " +
        "(ICMP time exceeded, code 1, to the source when the first fragment came)"),
    IPV4_PROTOCOL_UNSUPPORTED(Direction.RX, "IP protocol other than ICMP, UDP and TCP (protocol unreachable)"),
    IPV4_ARM_REMOVED(Direction.RX, "protocol arm removed on purpose (EngineContext.removeProtocolArm), as the seed's "
        + "#[cfg] removed TCP and UDP on ARM64"),

    ICMP_TRUNCATED(Direction.RX, "ICMP message shorter than 8 bytes"),
    ICMP_BAD_CHECKSUM(Direction.RX, "ICMP checksum mismatch"),
    ICMP_UNMATCHED_REPLY(Direction.RX, "echo reply that answers no outstanding ping"),
    ICMP_BROADCAST_ECHO(Direction.RX, "echo request to a broadcast address, ignored as Linux does by default"),
    ICMP_ERROR_NOT_REPORTED(Direction.RX, "ICMP error not reported: it concerns no connected socket, or Linux reports it only with IP_RECVERR"),
    ICMP_TCP_OUT_OF_WINDOW(Direction.RX, "ICMP error quoting a sequence number outside SND.UNA..SND.MAX of the " +
        "connection it names: not about a segment in flight, perhaps a blind attack (RFC 5927 4.1)"),
    ICMP_PATH_MTU_NOT_LOWER(Direction.RX, "fragmentation needed reporting a path MTU no lower than the one in use: " +
        "ICMP never raises a path MTU (RFC 1191 6.3)"),
    ICMP_SOURCE_QUENCH(Direction.RX, "source quench: ignored, as RFC 6633 requires"),
    ICMP_TYPE_UNSUPPORTED(Direction.RX, "ICMP type the engine does not handle"),

    UDP_TRUNCATED(Direction.RX, "UDP datagram shorter than 8 bytes"),
    UDP_BAD_LENGTH(Direction.RX, "UDP length below 8 or past the end of the IP payload"),
    UDP_BAD_CHECKSUM(Direction.RX, "UDP checksum mismatch"),
    UDP_NO_SOCKET(Direction.RX, "no socket bound to the destination port (answered with port unreachable)"),
    UDP_PEER_MISMATCH(Direction.RX, "datagram from other than the connected socket's peer"),
    UDP_SOCKET_RING_FULL(Direction.RX, "socket receive ring full, or the datagram longer than an eighth of it"),

    TCP_TRUNCATED(Direction.RX, "TCP segment shorter than 20 bytes"),
    TCP_BAD_DATA_OFFSET(Direction.RX, "TCP data offset below 5 or past the end of the segment"),
    TCP_BAD_CHECKSUM(Direction.RX, "TCP checksum mismatch"),
    TCP_NO_CONNECTION(Direction.RX, "no connection or listener for the segment (answered with RST)"),
    TCP_BAD_OPTIONS(Direction.RX, "TCP option with a bad length or running past the header"),
    TCP_OUT_OF_WINDOW(Direction.RX, "segment outside the receive window, e.g. an old duplicate (answered with ACK)"),
    TCP_PAWS(Direction.RX, "timestamp older than the last one accepted: PAWS, RFC 7323 (answered with ACK)"),
    TCP_RST_OUT_OF_WINDOW(Direction.RX, "RST outside the receive window, or unacceptable in SYN-SENT"),
    TCP_RST_CHALLENGED(Direction.RX, "RST in the window but not at RCV.NXT: challenge ACK sent (RFC 5961 3)"),
    TCP_SYN_CHALLENGED(Direction.RX, "SYN on a synchronized connection: challenge ACK sent (RFC 5961 4)"),
    TCP_NO_ACK_FLAG(Direction.RX, "segment without ACK on a synchronized connection"),
    TCP_ACK_UNSENT(Direction.RX, "ACK for data never sent (answered with ACK)"),
    TCP_ACK_TOO_OLD(Direction.RX, "ACK below SND.UNA - MAX.SND.WND: challenge ACK sent (RFC 5961 5)"),
    TCP_BAD_HANDSHAKE_ACK(Direction.RX, "handshake ACK that does not acknowledge our SYN (answered with RST)"),
    TCP_SYN_SENT_NO_SYN(Direction.RX, "segment in SYN-SENT with neither SYN nor RST"),
    TCP_REASSEMBLY_FULL(Direction.RX, "out-of-order segment with no reassembly range left (peer retransmits)"),
    TCP_DATA_AFTER_CLOSE(Direction.RX, "data for a connection the application has closed (answered with RST)"),
    TCP_LISTENER_RST(Direction.RX, "RST to a listener that matches no handshake"),
    TCP_LISTENER_BAD_ACK(Direction.RX, "ACK to a listener matching no handshake nor SYN cookie (answered with RST)"),
    TCP_LISTENER_NO_SYN(Direction.RX, "segment to a listener with neither SYN, ACK nor RST"),
    TCP_ACCEPT_QUEUE_FULL(Direction.RX, "SYN or handshake ACK while the accept queue is full (peer retries)"),
    TCP_SYN_QUEUE_FULL(Direction.RX, "SYN while the half-open queue is full and SYN cookies are off"),
    TCP_NO_CONNECTION_SLOT(Direction.RX, "handshake could not complete: every connection slot is in use"),
    TCP_TIME_WAIT_SEGMENT(Direction.RX, "segment for a connection in TIME-WAIT other than a FIN retransmission"),

    LOOPBACK_RING_FULL(Direction.TX, "loopback ring full (an application sending gets ENOBUFS; TCP tries again)"),
    NO_ROUTE(Direction.TX, "no device, or destination off-link with no gateway"),
    ARP_PENDING_FULL(Direction.TX, "arpPendingPerNeighbour packets already wait for the next hop, or " +
        "arpPendingCapacity for all"),
    ARP_UNRESOLVED(Direction.TX, "next hop never answered ARP"),
    ARP_INCOMPLETE_EVICTED(Direction.TX, "held for a next hop whose resolution was given up to make room for a newer " +
        "one: arpIncompleteCapacity addresses were being resolved"),
    ICMP_RATE_LIMITED(Direction.TX, "ICMP message held back by icmpMsgsPerSec and icmpMsgsBurst (RFC 1812 " +
        "4.3.2.8); by default errors only, as Linux's icmp_ratemask"),
    DEVICE_TX_FULL(Direction.TX, "device transmit ring full"),
    DEVICE_TX_REJECTED(Direction.TX, "device refused the frame: not ready or oversize");

    /**
     * Which invariant a reason belongs to.
     */
    public enum Direction
    {
        RX, TX
    }

    private static final DropReason[] VALUES = values();

    private final Direction direction;
    private final String description;

    DropReason(final Direction direction, final String description)
    {
        this.direction = direction;
        this.description = description;
    }

    public Direction direction()
    {
        return direction;
    }

    public String description()
    {
        return description;
    }

    /**
     * @return the counter label, e.g. {@code "drop_udp_no_socket"}.
     */
    public String label()
    {
        return "drop_" + name().toLowerCase();
    }

    /**
     * @return the reason with this ordinal, without the copy that {@code values()} makes.
     */
    public static DropReason of(final int ordinal)
    {
        return VALUES[ordinal];
    }

    public static int count()
    {
        return VALUES.length;
    }
}
