package io.ringstack.drivers.link;

import jnr.ffi.types.intptr_t;

/**
 * The C library calls that make a {@link PacketLink}'s descriptor, an {@code AF_PACKET} socket ({@code packet(7)},
 * {@code linux/if_packet.h}): {@code socket(2)}, {@code bind(2)} to one interface, {@code setsockopt(2)} and
 * {@code getsockopt(2)} ({@code PACKET_STATISTICS}), and {@code if_nametoindex(3)}; reading, writing and closing it
 * are the {@link DescriptorCalls}. Public only because jnr-ffi implements it from another class loader.
 */
public interface PacketSocketCalls extends DescriptorCalls
{
    /** {@code AF_PACKET}: link-level frames. */
    int AF_PACKET = 17;
    /** {@code SOCK_RAW}: whole frames, Ethernet header included. */
    int SOCK_RAW = 3;
    /** {@code SOCK_NONBLOCK} on x86-64 and AArch64 alike (it is {@code O_NONBLOCK}). */
    int SOCK_NONBLOCK = 0x800;
    /** {@code SOCK_CLOEXEC} on x86-64 and AArch64 alike (it is {@code O_CLOEXEC}). */
    int SOCK_CLOEXEC = 0x80000;
    /** {@code ETH_P_ALL} from {@code linux/if_ether.h}: every protocol; {@code bind} takes it in network order. */
    short ETH_P_ALL = 0x0003;
    /** {@code sizeof(struct sockaddr_ll)}: family, protocol, ifindex, hatype, pkttype, halen, addr[8]. */
    int SOCKADDR_LL_LENGTH = 20;
    int SOCKADDR_LL_PROTOCOL_OFFSET = 2;
    int SOCKADDR_LL_IFINDEX_OFFSET = 4;

    int SOL_SOCKET = 1;
    int SO_SNDBUF = 7;
    int SO_RCVBUF = 8;
    /** {@code SO_RCVBUFFORCE}: past {@code net.core.rmem_max}, for {@code CAP_NET_ADMIN}. */
    int SO_RCVBUFFORCE = 33;
    /** {@code SO_SNDBUFFORCE}: past {@code net.core.wmem_max}, for {@code CAP_NET_ADMIN}. */
    int SO_SNDBUFFORCE = 32;
    int SOL_PACKET = 263;
    /** {@code struct tpacket_stats}: {@code tp_packets}, then {@code tp_drops}, both reset by each read. */
    int PACKET_STATISTICS = 6;
    int TPACKET_STATS_LENGTH = 8;
    int TPACKET_STATS_DROPS_OFFSET = 4;
    /** Leave out the frames the host itself sends out of the interface (Linux 4.20). */
    int PACKET_IGNORE_OUTGOING = 23;

    /** {@code SIOCGIFFLAGS} from {@code linux/sockios.h}. */
    long SIOCGIFFLAGS = 0x8913;
    /** {@code IFF_UP} from {@code linux/if.h}. */
    short IFF_UP = 0x1;

    int socket(int domain, int type, int protocol);

    int bind(int fd, @intptr_t long address, int addressLength);

    int setsockopt(int fd, int level, int name, @intptr_t long value, int valueLength);

    int getsockopt(int fd, int level, int name, @intptr_t long value, @intptr_t long valueLength);

    int if_nametoindex(String name);
}
