package io.ringstack.drivers.link;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static io.ringstack.drivers.link.DescriptorCalls.EACCES;
import static io.ringstack.drivers.link.DescriptorCalls.EAFNOSUPPORT;
import static io.ringstack.drivers.link.DescriptorCalls.ENETDOWN;
import static io.ringstack.drivers.link.DescriptorCalls.ENODEV;
import static io.ringstack.drivers.link.DescriptorCalls.ENXIO;
import static io.ringstack.drivers.link.DescriptorCalls.EPERM;
import static io.ringstack.drivers.link.PacketSocketCalls.AF_PACKET;
import static io.ringstack.drivers.link.PacketSocketCalls.SOL_PACKET;
import static io.ringstack.drivers.link.PacketSocketCalls.SOL_SOCKET;

/**
 * A wire that is an existing Linux interface, e.g. one end of a {@code veth} pair, reached through an
 * {@code AF_PACKET} raw socket bound to it ({@code packet(7)}): each {@code read(2)} takes one whole Ethernet frame
 * that arrived on the interface, each {@code write(2)} sends one out of it. Frames the host itself sends out of the
 * interface are left out ({@code PACKET_IGNORE_OUTGOING}), so the link sees what a NIC plugged into the interface's
 * wire would see. The interface must be up.
 * <p>
 * The kernel drops frames for a packet socket whose receive buffer is full; those drops are read with
 * {@code PACKET_STATISTICS} each time a poll has drained the socket, and counted as
 * {@code link_kernel_drops} beside the {@link LinkCounters}. An interface deleted or taken down while the link runs
 * ({@code ENETDOWN}, {@code ENXIO}, {@code ENODEV}) is a link down ({@link DescriptorLink}).
 * <p>
 * The peer of a {@code veth} hands frames over with the checksums its offloads left unfinished; switch them off on
 * the peer ({@code ethtool -K PEER tx off}) so that frames arrive as a real wire carries them.
 */
public final class PacketLink extends DescriptorLink
{
    /** Kernel buffer per direction: a burst of frames the engine has not yet polled waits here. */
    private static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
    /** A look at the kernel's drop counter costs a system call: take it after this many drained polls. */
    private static final int DRAINS_PER_STATISTICS_READ = 1024;

    private final PacketSocketCalls calls;
    private final AtomicCounter kernelDrops;
    private final UnsafeBuffer statistics =
        new UnsafeBuffer(ByteBuffer.allocateDirect(PacketSocketCalls.TPACKET_STATS_LENGTH + Integer.BYTES));
    private int drains;

    private PacketLink(
        final PacketSocketCalls calls,
        final int fd,
        final String interfaceName,
        final LinkCounters counters,
        final AtomicCounter kernelDrops)
    {
        super(calls, fd, interfaceName, counters);
        this.calls = calls;
        this.kernelDrops = kernelDrops;
    }

    /**
     * Open a packet socket on the interface {@code interfaceName}.
     *
     * @param counters      where the link's {@link LinkCounters} and its kernel drop counter are allocated.
     * @param counterPrefix prefix of their labels.
     * @throws UncheckedIOException with one line that says what is wrong: no such interface, the interface is down,
     *                              or the {@code CAP_NET_RAW} capability is missing.
     */
    public static PacketLink open(
        final String interfaceName, final CountersManager counters, final String counterPrefix)
    {
        final PacketSocketCalls calls = LibraryLoader.create(PacketSocketCalls.class).load("c");
        final Runtime runtime = Runtime.getRuntime(calls);
        final int ifindex = calls.if_nametoindex(interfaceName);
        if (ifindex == 0)
        {
            throw failure("packet", interfaceName, "no interface " + interfaceName + " (ip link shows them)");
        }
        final int fd = calls.socket(AF_PACKET,
            PacketSocketCalls.SOCK_RAW | PacketSocketCalls.SOCK_NONBLOCK | PacketSocketCalls.SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            throw failure("packet", interfaceName, socketError(runtime.getLastError()));
        }
        final String problem = configure(calls, runtime, fd, interfaceName, ifindex);
        if (problem != null)
        {
            calls.close(fd);
            throw failure("packet", interfaceName, problem);
        }
        final LinkCounters linkCounters = new LinkCounters(counters, counterPrefix);
        return new PacketLink(calls, fd, interfaceName, linkCounters,
            counters.newCounter(counterPrefix + ": link_kernel_drops", LinkCounters.TYPE_LINK));
    }

    /**
     * Check the interface is up, size the socket's buffers, leave out outgoing frames and bind to the interface.
     *
     * @return what is wrong, or {@code null}.
     */
    private static String configure(
        final PacketSocketCalls calls, final Runtime runtime, final int fd, final String interfaceName,
        final int ifindex)
    {
        final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(PacketSocketCalls.IFREQ_LENGTH));
        scratch.putBytes(0, interfaceName.getBytes(StandardCharsets.US_ASCII));
        if (calls.ioctl(fd, PacketSocketCalls.SIOCGIFFLAGS, scratch.addressOffset()) < 0)
        {
            return "SIOCGIFFLAGS failed: errno " + runtime.getLastError();
        }
        if ((scratch.getShort(PacketSocketCalls.IFREQ_FLAGS_OFFSET, ByteOrder.nativeOrder()) &
            PacketSocketCalls.IFF_UP) == 0)
        {
            return "interface " + interfaceName + " is down (ip link set " + interfaceName + " up)";
        }
        setIntOption(calls, fd, SOL_SOCKET, PacketSocketCalls.SO_RCVBUFFORCE, PacketSocketCalls.SO_RCVBUF,
            SOCKET_BUFFER_BYTES, scratch);
        setIntOption(calls, fd, SOL_SOCKET, PacketSocketCalls.SO_SNDBUFFORCE, PacketSocketCalls.SO_SNDBUF,
            SOCKET_BUFFER_BYTES, scratch);
        setIntOption(calls, fd, SOL_PACKET, PacketSocketCalls.PACKET_IGNORE_OUTGOING,
            PacketSocketCalls.PACKET_IGNORE_OUTGOING, 1, scratch);

        scratch.setMemory(0, PacketSocketCalls.SOCKADDR_LL_LENGTH, (byte)0);
        scratch.putShort(0, (short)AF_PACKET, ByteOrder.nativeOrder());
        scratch.putShort(PacketSocketCalls.SOCKADDR_LL_PROTOCOL_OFFSET, PacketSocketCalls.ETH_P_ALL,
            ByteOrder.BIG_ENDIAN);
        scratch.putInt(PacketSocketCalls.SOCKADDR_LL_IFINDEX_OFFSET, ifindex, ByteOrder.nativeOrder());
        if (calls.bind(fd, scratch.addressOffset(), PacketSocketCalls.SOCKADDR_LL_LENGTH) < 0)
        {
            final int errno = runtime.getLastError();
            return errno == ENETDOWN ? "interface " + interfaceName + " is down" : "bind failed: errno " + errno;
        }
        return null;
    }

    /**
     * Set an {@code int} option, the privileged form first and the plain one if that is refused; a kernel that
     * knows neither keeps its default, which costs only headroom, so the result is not checked.
     */
    private static void setIntOption(
        final PacketSocketCalls calls, final int fd, final int level, final int privileged, final int plain,
        final int value, final UnsafeBuffer scratch)
    {
        scratch.putInt(0, value, ByteOrder.nativeOrder());
        if (calls.setsockopt(fd, level, privileged, scratch.addressOffset(), Integer.BYTES) < 0 && plain != privileged)
        {
            calls.setsockopt(fd, level, plain, scratch.addressOffset(), Integer.BYTES);
        }
    }

    static String socketError(final int errno)
    {
        switch (errno)
        {
            case EPERM:
            case EACCES:
                return "needs CAP_NET_RAW (run as root)";
            case EAFNOSUPPORT:
                return "this kernel has no AF_PACKET sockets";
            default:
                return "socket(AF_PACKET) failed: errno " + errno;
        }
    }

    /**
     * @return the frames the kernel dropped for this socket as counted so far.
     */
    public long kernelDrops()
    {
        return kernelDrops.get();
    }

    void onDrained()
    {
        if (++drains >= DRAINS_PER_STATISTICS_READ)
        {
            drains = 0;
            readKernelDrops();
        }
    }

    /**
     * Add what the kernel dropped since the last look (reading {@code PACKET_STATISTICS} resets it) to the counter.
     */
    public void readKernelDrops()
    {
        final int fd = fd();
        if (fd < 0)
        {
            return;
        }
        final int lengthOffset = PacketSocketCalls.TPACKET_STATS_LENGTH;
        statistics.putInt(lengthOffset, PacketSocketCalls.TPACKET_STATS_LENGTH, ByteOrder.nativeOrder());
        if (calls.getsockopt(fd, SOL_PACKET, PacketSocketCalls.PACKET_STATISTICS, statistics.addressOffset(),
            statistics.addressOffset() + lengthOffset) == 0)
        {
            final long drops = statistics.getInt(PacketSocketCalls.TPACKET_STATS_DROPS_OFFSET,
                ByteOrder.nativeOrder()) & 0xFFFF_FFFFL;
            if (drops > 0)
            {
                kernelDrops.getAndAddRelease(drops);
            }
        }
    }

    boolean isGone(final int errno)
    {
        return errno == ENETDOWN || errno == ENXIO || errno == ENODEV;
    }
}
