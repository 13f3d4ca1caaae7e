package io.ringstack.drivers.link;

import io.ringstack.phy.WireWait;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The wait of a wire behind a file descriptor, or of two ({@code ringstack relay}'s): {@code ppoll(2)} on the
 * descriptors and on an {@code eventfd(2)} of its own, which {@link #wake} makes readable, so the engine's thread
 * sleeps in the kernel until a frame comes, its timeout passes, or an application thread posts to it, as QEMU's main
 * loop sleeps on a TAP and an event notifier.
 * <pre>
 *   struct pollfd[]:   | wire fd (32) | POLLIN (16) | revents (16) | ... | eventfd (32) | POLLIN (16) | revents (16) |
 *   struct timespec:   | seconds (64) | nanoseconds (64) |
 * </pre>
 * A wire whose descriptor reports an error or a hang-up (the interface deleted) is not waited on again: each wait
 * then parks for its timeout, so a dead link never turns the engine's idle time into a spin. Nothing allocates; a
 * wake costs one {@code write(2)}, made only while the engine sleeps.
 */
final class DescriptorWireWait implements WireWait, AutoCloseable
{
    private static final int POLLFD_LENGTH = 8;
    private static final int EVENTS_OFFSET = 4;
    private static final int RETURNED_EVENTS_OFFSET = 6;
    private static final int COUNTER_LENGTH = 8;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final DescriptorCalls calls;
    private final int wires;
    private final UnsafeBuffer pollFds;
    private final UnsafeBuffer timeout = new UnsafeBuffer(ByteBuffer.allocateDirect(16));
    private final UnsafeBuffer drained = new UnsafeBuffer(ByteBuffer.allocateDirect(COUNTER_LENGTH));
    /** The 8-byte 1 every wake adds to the counter: written once, only read after. */
    private final UnsafeBuffer one = new UnsafeBuffer(ByteBuffer.allocateDirect(COUNTER_LENGTH));
    private final int eventFd;
    private volatile boolean open = true;
    private boolean wireUsable = true;

    private DescriptorWireWait(final DescriptorCalls calls, final int[] wireFds, final int eventFd)
    {
        this.calls = calls;
        this.eventFd = eventFd;
        wires = wireFds.length;
        pollFds = new UnsafeBuffer(ByteBuffer.allocateDirect((wires + 1) * POLLFD_LENGTH));
        for (int i = 0; i <= wires; i++)
        {
            pollFds.putInt(i * POLLFD_LENGTH, i < wires ? wireFds[i] : eventFd);
            pollFds.putShort(i * POLLFD_LENGTH + EVENTS_OFFSET, DescriptorCalls.POLLIN);
        }
        one.putLong(0, 1);
    }

    /**
     * @return a wait on every one of {@code wireFds}, or {@code null} when no event descriptor could be made (the
     * engine then parks as it does on any wire).
     */
    static DescriptorWireWait on(final DescriptorCalls calls, final int... wireFds)
    {
        final int eventFd = calls.eventfd(0, DescriptorCalls.EFD_NONBLOCK | DescriptorCalls.EFD_CLOEXEC);
        return eventFd < 0 ? null : new DescriptorWireWait(calls, wireFds, eventFd);
    }

    public void await(final long timeoutNs)
    {
        if (!wireUsable || !open)
        {
            LockSupport.parkNanos(timeoutNs);
            return;
        }
        timeout.putLong(0, timeoutNs / NANOS_PER_SECOND);
        timeout.putLong(8, timeoutNs % NANOS_PER_SECOND);
        for (int i = 0; i <= wires; i++)
        {
            pollFds.putShort(i * POLLFD_LENGTH + RETURNED_EVENTS_OFFSET, (short)0);
        }
        if (calls.ppoll(pollFds.addressOffset(), wires + 1, timeout.addressOffset(), 0) > 0)
        {
            if ((pollFds.getShort(wires * POLLFD_LENGTH + RETURNED_EVENTS_OFFSET) & DescriptorCalls.POLLIN) != 0)
            {
                calls.read(eventFd, drained.addressOffset(), COUNTER_LENGTH);
            }
            for (int i = 0; i < wires; i++)
            {
                final int returned = pollFds.getShort(i * POLLFD_LENGTH + RETURNED_EVENTS_OFFSET);
                wireUsable &= (returned & ~DescriptorCalls.POLLIN) == 0;
            }
        }
    }

    public void wake()
    {
        if (open)
        {
            calls.write(eventFd, one.addressOffset(), COUNTER_LENGTH);
        }
    }

    public void close()
    {
        if (open)
        {
            open = false;
            calls.close(eventFd);
        }
    }
}
