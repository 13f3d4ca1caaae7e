package io.ringstack.drivers.link;

import io.ringstack.phy.FrameHandler;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import org.agrona.DirectBuffer;
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
 * {@code AF_PACKET} raw socket bound to it ({@code packet(7)}). The socket shares a receive and a transmit ring with
 * the kernel ({@code PACKET_MMAP}, {@link PacketRings}): a poll takes the frames that arrived straight from the
 * mapped receive ring, a send copies a frame into the transmit ring, and one {@code send(2)} at the end of each
 * burst ({@link #flush}, or the next poll) hands the kernel all of them, so no frame costs a system call of its own.
 * Opened with {@code rings=off}, or when the kernel refuses the rings, each {@code read(2)} takes one frame and each
 * {@code write(2)} sends one instead ({@link DescriptorLink}); {@link #path()} says which, and
 * {@code link_ring_frames} holds the slots of each ring, 0 without them. Frames the host itself sends out of the
 * interface are left out ({@code PACKET_IGNORE_OUTGOING}), so the link sees what a NIC plugged into the interface's
 * wire would see. The interface must be up.
 * <p>
 * The kernel drops frames for a packet socket whose receive ring or buffer is full; those drops are read with
 * {@code PACKET_STATISTICS} each time a poll has drained the socket, and counted as {@code link_kernel_drops}
 * beside the {@link LinkCounters}. A full transmit ring refuses a frame as a full socket buffer does
 * ({@code link_tx_eagain}); a frame received longer than a ring's slot is counted in {@code link_rx_truncated}, one
 * the kernel refuses to send as malformed in {@code link_tx_wrong_format}, neither handed on. An interface deleted
 * or taken down while the link runs ({@code ENETDOWN}, {@code ENXIO}, {@code ENODEV}) is a link down
 * ({@link DescriptorLink}); on the rings the next {@code send(2)} answers it, or for a link that only receives the
 * socket's error, looked at with the kernel's drop counter.
 * <p>
 * The peer of a {@code veth} hands frames over with the checksums its offloads left unfinished, and, with segmentation
 * offload on, TCP segments of up to 64 KiB whole: switch them off on the peer ({@code ethtool -K PEER tx off tso off
 * gso off}) so that frames arrive as a real wire carries them, or open the link with offload, a virtio-net header
 * before each frame both ways ({@code PACKET_VNET_HDR}), as a TAP's: the link then finishes those checksums, cuts
 * those segments into the frames the kernel would have cut, or hands them on whole to a reader that takes them
 * ({@link #receiveSegments}), and takes TCP segments of up to 64 KiB to send for the kernel to cut
 * ({@link #sendSegmented}), into the transmit ring as any frame, or with a {@code write(2)} each without rings.
 */
public final class PacketLink extends DescriptorLink
{
    /** Kernel buffer per direction: a burst of frames the engine has not yet polled waits here. */
    private static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
    /** A look at the kernel's drop counter costs a system call: take it after this many drained polls. */
    private static final int DRAINS_PER_STATISTICS_READ = 1024;
    /** Slots of each ring: 4 MiB of frames each way, as much as the socket's buffers hold without them. */
    static final int RING_FRAMES = 2048;

    private final PacketSocketCalls calls;
    private final AtomicCounter kernelDrops;
    private final AtomicCounter wrongFormat;
    private final String path;
    private final UnsafeBuffer statistics =
        new UnsafeBuffer(ByteBuffer.allocateDirect(PacketSocketCalls.TPACKET_STATS_LENGTH + Integer.BYTES));
    private PacketRings rings;
    private int drains;

    private PacketLink(
        final PacketSocketCalls calls,
        final int fd,
        final String interfaceName,
        final LinkCounters counters,
        final AtomicCounter kernelDrops,
        final AtomicCounter wrongFormat,
        final int headerLength,
        final String path)
    {
        super(calls, fd, interfaceName, counters, headerLength);
        this.calls = calls;
        this.kernelDrops = kernelDrops;
        this.wrongFormat = wrongFormat;
        this.path = path;
    }

    /**
     * Open a packet socket on the interface {@code interfaceName}, with rings of {@value #RING_FRAMES} frames and no
     * offload.
     *
     * @param counters      where the link's {@link LinkCounters} and its own counters are allocated.
     * @param counterPrefix prefix of their labels.
     * @throws UncheckedIOException with one line that says what is wrong: no such interface, the interface is down,
     *                              or the {@code CAP_NET_RAW} capability is missing.
     */
    public static PacketLink open(
        final String interfaceName, final CountersManager counters, final String counterPrefix)
    {
        return open(interfaceName, counters, counterPrefix, RING_FRAMES, false);
    }

    /**
     * @param ringFrames slots of each ring, a power of two of at least {@value PacketRings#FRAMES_PER_BLOCK}; 0 for
     *                   a {@code read(2)} and a {@code write(2)} per frame.
     * @param offload    whether frames carry a virtio-net header both ways; TCP segments larger than the MTU are then
     *                   cut before they are handed on until a reader asks for them whole ({@link #receiveSegments}).
     */
    static PacketLink open(
        final String interfaceName,
        final CountersManager counters,
        final String counterPrefix,
        final int ringFrames,
        final boolean offload)
    {
        final PacketSocketCalls calls = LibraryLoader.create(PacketSocketCalls.class).load("c");
        final Runtime runtime = Runtime.getRuntime(calls);
        final int ifindex = calls.if_nametoindex(interfaceName);
        if (ifindex == 0)
        {
            throw failure("packet", interfaceName, "no interface " + interfaceName + " (ip link shows them)");
        }
        final int headerLength = offload ? PacketSocketCalls.VNET_HDR_LENGTH : 0;
        int fd = newSocket(calls, runtime, interfaceName);
        final StringBuilder refusal = new StringBuilder(ringFrames == 0 ? "rings=off" : "");
        String problem = configure(calls, runtime, fd, interfaceName, headerLength);
        long rings = 0;
        if (problem == null && ringFrames > 0)
        {
            rings = PacketRings.map(calls, fd, ringFrames, headerLength, refusal);
            if (rings == 0)
            {
                calls.close(fd);
                fd = newSocket(calls, runtime, interfaceName);
                problem = configure(calls, runtime, fd, interfaceName, headerLength);
            }
        }
        if (problem == null)
        {
            problem = bind(calls, runtime, fd, interfaceName, ifindex);
        }
        if (problem != null)
        {
            if (rings != 0)
            {
                calls.munmap(rings, PacketRings.length(ringFrames, headerLength));
            }
            calls.close(fd);
            throw failure("packet", interfaceName, problem);
        }
        final LinkCounters linkCounters = new LinkCounters(counters, counterPrefix);
        final AtomicCounter truncated =
            counters.newCounter(counterPrefix + ": link_rx_truncated", LinkCounters.TYPE_LINK);
        final AtomicCounter wrongFormat =
            counters.newCounter(counterPrefix + ": link_tx_wrong_format", LinkCounters.TYPE_LINK);
        final int slots = rings == 0 ? 0 : PacketRings.slots(ringFrames, headerLength);
        counters.newCounter(counterPrefix + ": link_ring_frames", LinkCounters.TYPE_LINK).setRelease(slots);
        final String offloadText = offload ? ", virtio-net header for TCP segmentation offload" : "";
        final PacketLink link = new PacketLink(calls, fd, interfaceName, linkCounters,
            counters.newCounter(counterPrefix + ": link_kernel_drops", LinkCounters.TYPE_LINK), wrongFormat,
            headerLength, (rings == 0 ? "a read(2) or write(2) per frame: " + refusal :
                "PACKET_MMAP rings of " + slots + " frames each way") + offloadText);
        if (rings != 0)
        {
            link.rings = new PacketRings(calls, fd, rings, ringFrames, headerLength, link.receivedOffload(),
                linkCounters, truncated, wrongFormat);
        }
        link.receiveSegments(false);
        return link;
    }

    private static int newSocket(final PacketSocketCalls calls, final Runtime runtime, final String interfaceName)
    {
        final int fd = calls.socket(AF_PACKET,
            PacketSocketCalls.SOCK_RAW | PacketSocketCalls.SOCK_NONBLOCK | PacketSocketCalls.SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            throw failure("packet", interfaceName, socketError(runtime.getLastError()));
        }
        return fd;
    }

    /**
     * Check the interface is up, size the socket's buffers, leave out outgoing frames and ask for a virtio-net header
     * of {@code headerLength} bytes before each frame if that is not 0.
     *
     * @return what is wrong, or {@code null}.
     */
    private static String configure(
        final PacketSocketCalls calls, final Runtime runtime, final int fd, final String interfaceName,
        final int headerLength)
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
        scratch.putInt(0, 1, ByteOrder.nativeOrder());
        if (headerLength != 0 && calls.setsockopt(fd, SOL_PACKET, PacketSocketCalls.PACKET_VNET_HDR,
            scratch.addressOffset(), Integer.BYTES) < 0)
        {
            return "PACKET_VNET_HDR refused, errno " + runtime.getLastError() + ": open the link without offload";
        }
        return null;
    }

    /**
     * Bind to the interface, for every protocol: frames begin to arrive, into the rings when there are any.
     *
     * @return what is wrong, or {@code null}.
     */
    private static String bind(
        final PacketSocketCalls calls, final Runtime runtime, final int fd, final String interfaceName,
        final int ifindex)
    {
        final UnsafeBuffer scratch =
            new UnsafeBuffer(ByteBuffer.allocateDirect(PacketSocketCalls.SOCKADDR_LL_LENGTH));
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

    /**
     * @return how the link moves frames: {@code PACKET_MMAP rings of N frames each way}, or a {@code read(2)} or
     * {@code write(2)} per frame and why ({@code rings=off}, or the step the kernel refused).
     */
    public String path()
    {
        return path;
    }

    /**
     * Copy the frame into the transmit ring, for the next {@link #flush} to send; a full ring is flushed once for
     * the slots the kernel has sent from to come free, and refuses the frame if none has ({@code link_tx_eagain}).
     * Without rings, one {@code write(2)}.
     */
    public boolean send(final DirectBuffer frame, final int offset, final int length)
    {
        return rings == null ? super.send(frame, offset, length) :
            enqueue(frame, offset, length, frame, offset + length, 0, 0);
    }

    /**
     * Copy a TCP segment larger than the MTU into the transmit ring behind a header that asks the kernel to cut it
     * ({@link DescriptorLink#sendSegmented}), as {@link #send} copies a frame; without rings, one {@code write(2)}.
     */
    public boolean sendSegmented(final DirectBuffer frame, final int offset, final int length, final int segmentSize)
    {
        return sendSegmented(frame, offset, length, frame, offset + length, 0, segmentSize);
    }

    /**
     * {@link #sendSegmented(DirectBuffer, int, int, int)} of a segment in two pieces, copied one after the other
     * into the slot; without rings, one {@code writev(2)}.
     */
    public boolean sendSegmented(
        final DirectBuffer headers, final int headersOffset, final int headersLength,
        final DirectBuffer payload, final int payloadOffset, final int payloadLength, final int segmentSize)
    {
        if (rings == null)
        {
            return super.sendSegmented(
                headers, headersOffset, headersLength, payload, payloadOffset, payloadLength, segmentSize);
        }
        return segmentOffloadBytes() != 0 &&
            enqueue(headers, headersOffset, headersLength, payload, payloadOffset, payloadLength, segmentSize);
    }

    /**
     * Copy the frame made of {@code first} then {@code second} into the transmit ring.
     *
     * @param segmentSize payload bytes of each segment the kernel is to cut the frame into, 0 for none.
     */
    private boolean enqueue(
        final DirectBuffer first, final int firstOffset, final int firstLength,
        final DirectBuffer second, final int secondOffset, final int secondLength, final int segmentSize)
    {
        if (!isUp())
        {
            return false;
        }
        if (firstLength + secondLength > rings.maxSendFrame())
        {
            wrongFormat.incrementRelease();
            return false;
        }
        if (rings.send(first, firstOffset, firstLength, second, secondOffset, secondLength, segmentSize) ||
            rings.kickDue() && kicked() &&
            rings.send(first, firstOffset, firstLength, second, secondOffset, secondLength, segmentSize))
        {
            counters().txFrames.incrementRelease();
            return true;
        }
        counters().txEagain.incrementRelease();
        return false;
    }

    /**
     * Hand the kernel what waits in the transmit ring, with one {@code send(2)}.
     */
    public void flush()
    {
        if (rings != null && rings.kickDue() && isUp())
        {
            kicked();
        }
    }

    private boolean kicked()
    {
        final int errno = rings.kick();
        if (errno != 0)
        {
            failed(errno, counters().txEagain);
        }
        return isUp();
    }

    /**
     * Flush what waits in the transmit ring, then take up to {@code limit} frames from the receive ring; an empty
     * ring counts as a read that found nothing ({@code link_rx_eagain}). Without rings, a {@code read(2)} each.
     */
    public int poll(final FrameHandler handler, final int limit)
    {
        if (rings == null)
        {
            return super.poll(handler, limit);
        }
        flush();
        if (!isUp())
        {
            return 0;
        }
        final int frames = rings.poll(handler, limit);
        if (frames < limit)
        {
            counters().rxEagain.incrementRelease();
            onDrained();
        }
        return frames;
    }

    public void close()
    {
        if (rings != null)
        {
            rings.close();
            rings = null;
        }
        super.close();
    }

    void onDrained()
    {
        if (++drains >= DRAINS_PER_STATISTICS_READ)
        {
            drains = 0;
            readKernelDrops();
            if (rings != null)
            {
                readSocketError();
            }
        }
    }

    /**
     * Take the error the kernel left on the socket ({@code SO_ERROR}, which reading clears): {@code ENETDOWN} once
     * the interface has gone down or away. A read answers it without rings; with them nothing is read, and this look
     * is how a link that only receives learns it is down.
     */
    private void readSocketError()
    {
        statistics.putInt(0, 0, ByteOrder.nativeOrder());
        statistics.putInt(Integer.BYTES, Integer.BYTES, ByteOrder.nativeOrder());
        if (calls.getsockopt(fd(), SOL_SOCKET, PacketSocketCalls.SO_ERROR, statistics.addressOffset(),
            statistics.addressOffset() + Integer.BYTES) == 0)
        {
            final int errno = statistics.getInt(0, ByteOrder.nativeOrder());
            if (errno != 0)
            {
                failed(errno, counters().rxEagain);
            }
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
