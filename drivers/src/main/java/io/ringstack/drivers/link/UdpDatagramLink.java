package io.ringstack.drivers.link;

import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.Link;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * A wire made of UDP datagrams: each Ethernet frame travels as one datagram between a local and a remote socket
 * address. This is how a device model reaches a Linux TAP device bridged by {@code socat}
 * ({@code TUN,tun-type=tap,iff-no-pi UDP-DATAGRAM:...}). Non-blocking; a datagram that the kernel will not take
 * is reported as a full wire.
 * <p>
 * Every datagram that arrives is handed on, so that whoever is on the link counts what is wrong with it: an empty
 * one as a zero-length frame (a runt), and one longer than {@value #MAX_DATAGRAM} bytes cut to one byte more than
 * that, too long for any frame.
 * <p>
 * Datagrams the kernel drops because the socket's receive buffer is full never reach the link; given a counters
 * manager, the link copies the socket's drop count from {@code /proc/net/udp} into {@code link_kernel_drops} at the
 * end of a poll at most every {@value #KERNEL_DROPS_INTERVAL_MS} ms ({@link UdpKernelDrops}). Not when it closes: the
 * counters may be unmapped by then, as an engine's counters file is when the engine closes before its wire.
 */
public final class UdpDatagramLink implements Link
{
    /** Room for a maximum Ethernet frame with a VLAN tag, and some. */
    private static final int MAX_DATAGRAM = 2048;
    /**
     * Kernel socket buffers: a burst of frames the engine has not yet polled waits here, and what overflows them is
     * lost where no counter of ours can see it, so they are made large.
     */
    private static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
    /** How often a poll looks at the kernel's drop count: a look costs a read of {@code /proc/net/udp}. */
    static final long KERNEL_DROPS_INTERVAL_MS = 100;
    private static final long KERNEL_DROPS_INTERVAL_NS = KERNEL_DROPS_INTERVAL_MS * 1_000_000L;

    private final DatagramChannel channel;
    private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(MAX_DATAGRAM + 1);
    private final UnsafeBuffer receiveView = new UnsafeBuffer(receiveBuffer);
    private final ByteBuffer sendBuffer = ByteBuffer.allocateDirect(MAX_DATAGRAM);
    private final UnsafeBuffer sendView = new UnsafeBuffer(sendBuffer);
    private final UdpKernelDrops kernelDrops;
    private long nextKernelDropsNs;

    private UdpDatagramLink(final DatagramChannel channel, final UdpKernelDrops kernelDrops)
    {
        this.channel = channel;
        this.kernelDrops = kernelDrops;
    }

    /**
     * Bind {@code local} and exchange datagrams with {@code remote} only.
     *
     * @param counters where to allocate {@code LABEL: link_kernel_drops}, or {@code null} to count nothing.
     * @param label    prefix of the counter's label.
     * @throws UncheckedIOException naming the address when the socket cannot be bound.
     */
    public static UdpDatagramLink open(
        final InetSocketAddress local, final InetSocketAddress remote, final CountersManager counters,
        final String label)
    {
        try
        {
            final DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
            try
            {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
                channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
                channel.bind(local);
                channel.connect(remote);
                channel.configureBlocking(false);
                return new UdpDatagramLink(channel, counters == null ? null : UdpKernelDrops.open(
                    (InetSocketAddress)channel.getLocalAddress(), remote,
                    counters.newCounter(label + ": link_kernel_drops", LinkCounters.TYPE_LINK)));
            }
            catch (final IOException ex)
            {
                channel.close();
                throw ex;
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open UDP link " + local + " -> " + remote + ": " + ex.getMessage(),
                ex);
        }
    }

    public boolean send(final DirectBuffer frame, final int offset, final int length)
    {
        if (length > MAX_DATAGRAM)
        {
            return false;
        }
        sendView.putBytes(0, frame, offset, length);
        sendBuffer.clear().limit(length);
        try
        {
            return channel.write(sendBuffer) == length;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    public int poll(final FrameHandler handler, final int limit)
    {
        int frames = 0;
        try
        {
            while (frames < limit)
            {
                receiveBuffer.clear();
                if (channel.receive(receiveBuffer) == null)
                {
                    break;
                }
                handler.onFrame(receiveView, 0, receiveBuffer.position());
                frames++;
            }
        }
        catch (final IOException ex)
        {
            return frames;
        }
        if (kernelDrops != null)
        {
            final long nowNs = System.nanoTime();
            if (nowNs - nextKernelDropsNs >= 0)
            {
                nextKernelDropsNs = nowNs + KERNEL_DROPS_INTERVAL_NS;
                kernelDrops.read();
            }
        }
        return frames;
    }

    /**
     * Copy the kernel's drop count for the link's socket into {@code link_kernel_drops} now.
     *
     * @return the datagrams the kernel dropped for the socket so far, or {@code -1} when there is no count to read.
     */
    public long readKernelDrops()
    {
        return kernelDrops == null ? -1 : kernelDrops.read();
    }

    /**
     * Close the socket without a last look at its kernel drops: the counter sits in the engine's counters file,
     * which is gone once the engine has closed, and a link closes after its engine.
     */
    public void close()
    {
        if (kernelDrops != null)
        {
            kernelDrops.close();
        }
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // closing a datagram socket fails only if it is already closed
        }
    }
}
