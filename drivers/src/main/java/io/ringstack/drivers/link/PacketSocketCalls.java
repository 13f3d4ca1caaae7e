package io.ringstack.drivers.link;

import jnr.ffi.Pointer;
import jnr.ffi.types.intptr_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The C library calls that make a {@link PacketLink}'s descriptor, an {@code AF_PACKET} socket ({@code packet(7)},
 * {@code linux/if_packet.h}): {@code socket(2)}, {@code bind(2)} to one interface, {@code setsockopt(2)} and
 * {@code getsockopt(2)} ({@code PACKET_STATISTICS}), and {@code if_nametoindex(3)}; {@code mmap(2)} and
 * {@code munmap(2)} of its {@code PACKET_MMAP} rings ({@link PacketRings}) and {@code send(2)}, which hands the
 * kernel what waits in the transmit ring; reading, writing and closing it are the {@link DescriptorCalls}. Public
 * only because jnr-ffi implements it from another class loader.
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
    /** {@code SO_ERROR}: the socket's pending error, cleared by reading it. */
    int SO_ERROR = 4;
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
    /**
     * {@code PACKET_VNET_HDR}: a {@code struct virtio_net_hdr} before each frame both ways, of
     * {@link #VNET_HDR_LENGTH} bytes, the 12-byte header's fields without {@code num_buffers}; the receive ring has
     * it just before the frame.
     */
    int PACKET_VNET_HDR = 15;
    int VNET_HDR_LENGTH = 10;
    /** {@code PACKET_VERSION}: the header before each frame of the rings, set before them. */
    int PACKET_VERSION = 10;
    /** {@code TPACKET_V2} of {@code enum tpacket_versions}: a {@code struct tpacket2_hdr} heads each frame slot. */
    int TPACKET_V2 = 1;
    /** {@code PACKET_RX_RING}: a ring of frame slots the kernel fills with the frames that arrive. */
    int PACKET_RX_RING = 5;
    /** {@code PACKET_TX_RING}: a ring of frame slots the kernel sends from. */
    int PACKET_TX_RING = 13;
    /** {@code sizeof(struct tpacket_req)}: {@code tp_block_size}, {@code tp_block_nr}, {@code tp_frame_size},
     * {@code tp_frame_nr}, each an {@code unsigned int}. */
    int TPACKET_REQ_LENGTH = 16;

    /** {@code PROT_READ | PROT_WRITE} from {@code asm-generic/mman-common.h}. */
    int PROT_READ_WRITE = 0x3;
    /** {@code MAP_SHARED} from {@code linux/mman.h}. */
    int MAP_SHARED = 0x1;
    /** {@code MSG_DONTWAIT} from {@code linux/socket.h}: send what the transmit ring holds and return. */
    int MSG_DONTWAIT = 0x40;

    /** {@code SIOCGIFFLAGS} from {@code linux/sockios.h}. */
    long SIOCGIFFLAGS = 0x8913;
    /** {@code IFF_UP} from {@code linux/if.h}. */
    short IFF_UP = 0x1;

    int socket(int domain, int type, int protocol);

    int bind(int fd, @intptr_t long address, int addressLength);

    int setsockopt(int fd, int level, int name, @intptr_t long value, int valueLength);

    int getsockopt(int fd, int level, int name, @intptr_t long value, @intptr_t long valueLength);

    int if_nametoindex(String name);

    /**
     * Called once per link, at its opening. The address goes as a {@link Pointer}, {@code null} for the kernel's
     * choice: with six primitive arguments jnr-ffi's generated fast path hands {@code mmap} a wrong offset (glibc
     * answers {@code EINVAL} without a system call), and a {@code Pointer} argument takes the general path instead.
     *
     * @return the address of the mapping, or -1 ({@code MAP_FAILED}) with {@code errno}.
     */
    @intptr_t
    long mmap(Pointer address, @size_t long length, int protection, int flags, int fd, long offset);

    int munmap(@intptr_t long address, @size_t long length);

    @ssize_t
    long send(int fd, @intptr_t long buffer, @size_t long length, int flags);
}
