package io.ringstack.drivers.link;

import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.Link;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static io.ringstack.drivers.link.TunSystemCalls.EACCES;
import static io.ringstack.drivers.link.TunSystemCalls.EAGAIN;
import static io.ringstack.drivers.link.TunSystemCalls.EBADFD;
import static io.ringstack.drivers.link.TunSystemCalls.EBUSY;
import static io.ringstack.drivers.link.TunSystemCalls.EINVAL;
import static io.ringstack.drivers.link.TunSystemCalls.ENODEV;
import static io.ringstack.drivers.link.TunSystemCalls.ENOENT;
import static io.ringstack.drivers.link.TunSystemCalls.ENXIO;
import static io.ringstack.drivers.link.TunSystemCalls.EPERM;

/**
 * A wire that is a Linux TAP device: the kernel's side is a network interface ({@code ip link} shows it), ours is
 * the file descriptor of {@code /dev/net/tun}, opened non-blocking and bound to the interface with the
 * {@code TUNSETIFF} ioctl in {@code IFF_TAP | IFF_NO_PI} mode ({@code linux/if_tun.h}, the kernel's
 * {@code Documentation/networking/tuntap.rst}). Each {@code read(2)} takes one Ethernet frame the kernel sent out of
 * the interface, each {@code write(2)} puts one frame into it, without FCS. The device is attached when it exists
 * (a persistent one made by {@code ip tuntap add dev NAME mode tap}) and created otherwise, in which case it goes
 * away when this link closes.
 * <p>
 * The engine's duty cycle polls it in bursts: a read that finds nothing answers {@code EAGAIN} and ends the burst.
 * Both paths go through preallocated direct buffers and allocate nothing. Every read, write, {@code EAGAIN}, short
 * write and error is counted in {@link LinkCounters}; an interface deleted while the link runs makes the
 * descriptor answer {@code EBADFD}, which is counted once as the link going down, after which the link carries
 * nothing and no exception escapes.
 */
public final class TapLink implements Link
{
    /** Room for any frame a TAP hands over: an IP packet of up to 65535 bytes behind a VLAN-tagged header. */
    static final int MAX_FRAME = 0xFFFF + 18;
    private static final String TUN_DEVICE = "/dev/net/tun";

    private final TunSystemCalls calls;
    private final Runtime runtime;
    private final String interfaceName;
    private final LinkCounters counters;
    private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(MAX_FRAME);
    private final UnsafeBuffer receiveView = new UnsafeBuffer(receiveBuffer);
    private final ByteBuffer sendBuffer = ByteBuffer.allocateDirect(MAX_FRAME);
    private final UnsafeBuffer sendView = new UnsafeBuffer(sendBuffer);
    private int fd;
    private boolean up = true;

    private TapLink(
        final TunSystemCalls calls, final int fd, final String interfaceName, final LinkCounters counters)
    {
        this.calls = calls;
        this.runtime = Runtime.getRuntime(calls);
        this.fd = fd;
        this.interfaceName = interfaceName;
        this.counters = counters;
    }

    /**
     * Attach to the TAP interface {@code interfaceName}, creating it when it does not exist.
     *
     * @param counters        where the link's {@link LinkCounters} are allocated.
     * @param counterPrefix   prefix of their labels.
     * @throws UncheckedIOException with one line that says what is missing: the {@code tun} module, the
     *                              {@code CAP_NET_ADMIN} capability, or a free TAP of that name.
     */
    public static TapLink open(final String interfaceName, final CountersManager counters, final String counterPrefix)
    {
        final TunSystemCalls calls = LibraryLoader.create(TunSystemCalls.class).load("c");
        final Runtime runtime = Runtime.getRuntime(calls);
        final int fd = calls.open(TUN_DEVICE,
            TunSystemCalls.O_RDWR | TunSystemCalls.O_NONBLOCK | TunSystemCalls.O_CLOEXEC);
        if (fd < 0)
        {
            throw failure(interfaceName, openError(runtime.getLastError()));
        }
        final UnsafeBuffer ifreq = new UnsafeBuffer(ByteBuffer.allocateDirect(TunSystemCalls.IFREQ_LENGTH));
        ifreq.putBytes(0, interfaceName.getBytes(StandardCharsets.US_ASCII));
        ifreq.putShort(TunSystemCalls.IFREQ_FLAGS_OFFSET,
            (short)(TunSystemCalls.IFF_TAP | TunSystemCalls.IFF_NO_PI), ByteOrder.nativeOrder());
        if (calls.ioctl(fd, TunSystemCalls.TUNSETIFF, ifreq.addressOffset()) < 0)
        {
            final int errno = runtime.getLastError();
            calls.close(fd);
            throw failure(interfaceName, attachError(errno, interfaceName));
        }
        return new TapLink(calls, fd, interfaceName, new LinkCounters(counters, counterPrefix));
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

    private static UncheckedIOException failure(final String interfaceName, final String reason)
    {
        final String message = "cannot open TAP link " + interfaceName + ": " + reason;
        return new UncheckedIOException(message, new IOException(message));
    }

    public String interfaceName()
    {
        return interfaceName;
    }

    public LinkCounters counters()
    {
        return counters;
    }

    /**
     * @return {@code false} once the interface has gone away or the link is closed.
     */
    public boolean isUp()
    {
        return up;
    }

    public boolean send(final DirectBuffer frame, final int offset, final int length)
    {
        if (!up || length > MAX_FRAME)
        {
            return false;
        }
        sendView.putBytes(0, frame, offset, length);
        final long written = calls.write(fd, sendView.addressOffset(), length);
        if (written == length)
        {
            counters.txFrames.incrementRelease();
            return true;
        }
        if (written >= 0)
        {
            counters.txShort.incrementRelease();
        }
        else
        {
            failed(runtime.getLastError(), counters.txEagain);
        }
        return false;
    }

    public int poll(final FrameHandler handler, final int limit)
    {
        int frames = 0;
        while (up && frames < limit)
        {
            final long read = calls.read(fd, receiveView.addressOffset(), MAX_FRAME);
            if (read < 0)
            {
                failed(runtime.getLastError(), counters.rxEagain);
                break;
            }
            counters.rxFrames.incrementRelease();
            handler.onFrame(receiveView, 0, (int)read);
            frames++;
        }
        return frames;
    }

    private void failed(final int errno, final AtomicCounter eagain)
    {
        if (errno == EAGAIN)
        {
            eagain.incrementRelease();
        }
        else if (errno == EBADFD)
        {
            up = false;
            counters.down.incrementRelease();
        }
        else
        {
            counters.errors.incrementRelease();
        }
    }

    public void close()
    {
        if (fd >= 0)
        {
            calls.close(fd);
            fd = -1;
            up = false;
        }
    }
}
