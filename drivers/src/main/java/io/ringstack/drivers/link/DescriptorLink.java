package io.ringstack.drivers.link;

import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.Link;
import jnr.ffi.Runtime;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

import static io.ringstack.drivers.link.DescriptorCalls.EAGAIN;

/**
 * A wire that is a non-blocking file descriptor the kernel hands one whole Ethernet frame per {@code read(2)} and
 * takes one per {@code write(2)}, without FCS: a TAP ({@link TapLink}) or an {@code AF_PACKET} socket
 * ({@link PacketLink}). The engine's duty cycle polls it in bursts; a read that finds nothing answers
 * {@code EAGAIN} and ends the burst.
 * <p>
 * Both paths allocate nothing: a frame is read into a preallocated direct buffer and handed on from there, and one
 * to send is written straight from the caller's memory when it is off-heap (copied into a preallocated direct
 * buffer first otherwise). Every read, write, {@code EAGAIN}, short write and error is counted in
 * {@link LinkCounters}; an error that says the interface is gone ({@link #isGone}) is counted once as the link going
 * down, after which the link carries nothing and no exception escapes.
 */
public abstract class DescriptorLink implements Link
{
    /** Room for any frame a descriptor hands over: an IP packet of up to 65535 bytes behind a VLAN-tagged header. */
    static final int MAX_FRAME = 0xFFFF + 18;

    private final DescriptorCalls calls;
    private final Runtime runtime;
    private final String interfaceName;
    private final LinkCounters counters;
    private final UnsafeBuffer receiveView = new UnsafeBuffer(ByteBuffer.allocateDirect(MAX_FRAME));
    private final UnsafeBuffer sendView = new UnsafeBuffer(ByteBuffer.allocateDirect(MAX_FRAME));
    private int fd;
    private boolean up = true;

    DescriptorLink(
        final DescriptorCalls calls, final int fd, final String interfaceName, final LinkCounters counters)
    {
        this.calls = calls;
        this.runtime = Runtime.getRuntime(calls);
        this.fd = fd;
        this.interfaceName = interfaceName;
        this.counters = counters;
    }

    /**
     * @return the exception every link opening throws: one line, {@code cannot open KIND link NAME: REASON}.
     */
    static UncheckedIOException failure(final String kind, final String interfaceName, final String reason)
    {
        final String message = "cannot open " + kind + " link " + interfaceName + ": " + reason;
        return new UncheckedIOException(message, new IOException(message));
    }

    public final String interfaceName()
    {
        return interfaceName;
    }

    public final LinkCounters counters()
    {
        return counters;
    }

    /**
     * @return {@code false} once the interface has gone away or the link is closed.
     */
    public final boolean isUp()
    {
        return up;
    }

    public final boolean send(final DirectBuffer frame, final int offset, final int length)
    {
        if (!up || length > MAX_FRAME)
        {
            return false;
        }
        final long address;
        if (frame.byteArray() == null)
        {
            address = frame.addressOffset() + offset;
        }
        else
        {
            sendView.putBytes(0, frame, offset, length);
            address = sendView.addressOffset();
        }
        final long written = calls.write(fd, address, length);
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

    public final int poll(final FrameHandler handler, final int limit)
    {
        int frames = 0;
        while (up && frames < limit)
        {
            final long read = calls.read(fd, receiveView.addressOffset(), MAX_FRAME);
            if (read < 0)
            {
                final int errno = runtime.getLastError();
                failed(errno, counters.rxEagain);
                if (errno == EAGAIN)
                {
                    onDrained();
                }
                break;
            }
            counters.rxFrames.incrementRelease();
            handler.onFrame(receiveView, 0, (int)read);
            frames++;
        }
        return frames;
    }

    /**
     * Called on the link's thread each time a poll has read everything the kernel held; a place for a cheap
     * look at the kernel's own counters. Must not allocate.
     */
    void onDrained()
    {
    }

    /**
     * @return whether {@code errno}, answered by a read or a write, means the interface is gone for good.
     */
    abstract boolean isGone(int errno);

    final int fd()
    {
        return fd;
    }

    private void failed(final int errno, final AtomicCounter eagain)
    {
        if (errno == EAGAIN)
        {
            eagain.incrementRelease();
        }
        else if (isGone(errno))
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
