package io.ringstack.drivers.link;

import io.ringstack.drivers.virtio.VirtioNetHeader;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static io.ringstack.drivers.link.DescriptorCalls.EACCES;
import static io.ringstack.drivers.link.DescriptorCalls.EBADFD;
import static io.ringstack.drivers.link.DescriptorCalls.EBUSY;
import static io.ringstack.drivers.link.DescriptorCalls.EINVAL;
import static io.ringstack.drivers.link.DescriptorCalls.ENODEV;
import static io.ringstack.drivers.link.DescriptorCalls.ENOENT;
import static io.ringstack.drivers.link.DescriptorCalls.ENXIO;
import static io.ringstack.drivers.link.DescriptorCalls.EPERM;

/**
 * A wire that is a Linux TAP device: the kernel's side is a network interface ({@code ip link} shows it), ours is
 * the file descriptor of {@code /dev/net/tun}, opened non-blocking and bound to the interface with the
 * {@code TUNSETIFF} ioctl in {@code IFF_TAP | IFF_NO_PI} mode ({@code linux/if_tun.h}, the kernel's
 * {@code Documentation/networking/tuntap.rst}). Each {@code read(2)} takes one Ethernet frame the kernel sent out of
 * the interface, each {@code write(2)} puts one frame into it, without FCS. The device is attached when it exists
 * (a persistent one made by {@code ip tuntap add dev NAME mode tap}) and created otherwise, in which case it goes
 * away when this link closes. An interface deleted while the link runs makes the descriptor answer
 * {@code EBADFD}: the link goes down ({@link DescriptorLink}).
 * <p>
 * With offload on, the descriptor is opened with {@code IFF_VNET_HDR} and a 12-byte virtio-net header
 * ({@code TUNSETVNETHDRSZ}) before each frame, through which the engine hands the kernel TCP segments of up to 64 KiB
 * to cut into MTU-sized ones itself, with their checksums ({@link #sendSegmented}): one system call for up to 45
 * frames, as a guest's virtio-net driver hands them to the host; and the other way ({@code TUNSETOFFLOAD} with
 * {@code TUN_F_CSUM | TUN_F_TSO4}) the kernel hands the engine its TCP segments of up to 64 KiB whole, their
 * checksums left for the link to finish ({@link DescriptorLink}): handed on whole from the start for the engine
 * straight on the TAP, and for a NIC model once its driver has buffers for them ({@link #receiveSegments}), as a Linux
 * host sets a TAP's offloads to what its virtio-net guest accepted; until then, and always for the E1000, which has no
 * receive coalescing, the link cuts them into the frames the kernel would have cut ({@link TcpSegmentCutter}), up to
 * 45 for one {@code read(2)} where the kernel's cutting costs one each.
 */
public final class TapLink extends DescriptorLink
{
    private static final String TUN_DEVICE = "/dev/net/tun";

    private final TunSystemCalls calls;

    private TapLink(
        final TunSystemCalls calls,
        final int fd,
        final String interfaceName,
        final LinkCounters counters,
        final boolean offload)
    {
        super(calls, fd, interfaceName, counters, offload ? VirtioNetHeader.LENGTH : 0);
        this.calls = calls;
    }

    /**
     * Attach to the TAP interface {@code interfaceName}, creating it when it does not exist, with no offload.
     *
     * @see #open(String, CountersManager, String, boolean)
     */
    public static TapLink open(final String interfaceName, final CountersManager counters, final String counterPrefix)
    {
        return open(interfaceName, counters, counterPrefix, false);
    }

    /**
     * Attach to the TAP interface {@code interfaceName}, creating it when it does not exist; with offload on, the
     * kernel hands over its TCP segments of up to 64 KiB whole from the start, as the engine straight on the TAP
     * takes them.
     *
     * @see #open(String, CountersManager, String, boolean, boolean)
     */
    public static TapLink open(
        final String interfaceName, final CountersManager counters, final String counterPrefix, final boolean offload)
    {
        return open(interfaceName, counters, counterPrefix, offload, offload);
    }

    /**
     * Attach to the TAP interface {@code interfaceName}, creating it when it does not exist.
     *
     * @param counters        where the link's {@link LinkCounters} are allocated.
     * @param counterPrefix   prefix of their labels.
     * @param offload         whether frames carry a virtio-net header, through which the kernel cuts TCP segments
     *                        larger than the MTU ({@link #segmentOffloadBytes()}).
     * @param receiveWhole    whether, with offload on, the link hands over the kernel's TCP segments of up to 64 KiB
     *                        whole from the start, rather than cut to the MTU; a NIC model asks for them later
     *                        ({@link #receiveSegments}) when its driver has buffers that hold them.
     * @throws UncheckedIOException with one line that says what is missing: the {@code tun} module, the
     *                              {@code CAP_NET_ADMIN} capability, or a free TAP of that name.
     */
    public static TapLink open(
        final String interfaceName,
        final CountersManager counters,
        final String counterPrefix,
        final boolean offload,
        final boolean receiveWhole)
    {
        final TunSystemCalls calls = LibraryLoader.create(TunSystemCalls.class).load("c");
        final Runtime runtime = Runtime.getRuntime(calls);
        final int fd = calls.open(TUN_DEVICE,
            TunSystemCalls.O_RDWR | TunSystemCalls.O_NONBLOCK | TunSystemCalls.O_CLOEXEC);
        if (fd < 0)
        {
            throw failure("TAP", interfaceName, openError(runtime.getLastError()));
        }
        final UnsafeBuffer ifreq = new UnsafeBuffer(ByteBuffer.allocateDirect(TunSystemCalls.IFREQ_LENGTH));
        ifreq.putBytes(0, interfaceName.getBytes(StandardCharsets.US_ASCII));
        ifreq.putShort(TunSystemCalls.IFREQ_FLAGS_OFFSET, (short)(TunSystemCalls.IFF_TAP | TunSystemCalls.IFF_NO_PI |
            (offload ? TunSystemCalls.IFF_VNET_HDR : 0)), ByteOrder.nativeOrder());
        if (calls.ioctl(fd, TunSystemCalls.TUNSETIFF, ifreq.addressOffset()) < 0)
        {
            final int errno = runtime.getLastError();
            calls.close(fd);
            throw failure("TAP", interfaceName, attachError(errno, interfaceName));
        }
        if (offload)
        {
            ifreq.putInt(0, VirtioNetHeader.LENGTH, ByteOrder.nativeOrder());
            if (calls.ioctl(fd, TunSystemCalls.TUNSETVNETHDRSZ, ifreq.addressOffset()) < 0)
            {
                final int errno = runtime.getLastError();
                calls.close(fd);
                throw failure("TAP", interfaceName, "TUNSETVNETHDRSZ failed: errno " + errno);
            }
            if (calls.ioctl(fd, TunSystemCalls.TUNSETOFFLOAD,
                TunSystemCalls.TUN_F_CSUM | TunSystemCalls.TUN_F_TSO4) < 0)
            {
                final int errno = runtime.getLastError();
                calls.close(fd);
                throw failure("TAP", interfaceName, "TUNSETOFFLOAD failed: errno " + errno);
            }
        }
        final TapLink link = new TapLink(calls, fd, interfaceName, new LinkCounters(counters, counterPrefix), offload);
        link.receiveSegments(receiveWhole);
        return link;
    }

    static String openError(final int errno)
    {
        switch (errno)
        {
            case ENOENT:
            case ENODEV:
            case ENXIO:
                return "no " + TUN_DEVICE + ": load the tun module (modprobe tun)";
            case EPERM:
            case EACCES:
                return "cannot open " + TUN_DEVICE + ": needs CAP_NET_ADMIN (run as root)";
            default:
                return "cannot open " + TUN_DEVICE + ": errno " + errno;
        }
    }

    static String attachError(final int errno, final String interfaceName)
    {
        switch (errno)
        {
            case EPERM:
            case EACCES:
                return "needs CAP_NET_ADMIN (run as root)";
            case EBUSY:
                return "interface " + interfaceName + " is busy: another process or link has it open";
            case EINVAL:
                return "interface " + interfaceName + " exists but is not a TAP without packet information " +
                    "(ip tuntap add dev " + interfaceName + " mode tap makes one)";
            default:
                return "TUNSETIFF failed: errno " + errno;
        }
    }

    boolean isGone(final int errno)
    {
        return errno == EBADFD;
    }
}
