package io.ringstack.udp;

import io.ringstack.ring.ParkedThread;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * One UDP socket's engine-side state and its receive ring. The engine thread writes received datagrams into the
 * ring; the application reads them. Each ring record is:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                   Source address (host order)                 |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                     Source port (int)                         |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                         Payload ...                           |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * The address fields are written by the engine thread only. The pending error is the socket's {@code SO_ERROR}: the
 * engine sets it when a send it carried out after the caller had returned failed, and the application takes it
 * (reads and clears it) with its next call.
 * <p>
 * A blocking receive that has found the ring empty names its thread as the socket's reader before it parks; the
 * engine, having put a datagram on the ring, takes the name and unparks that thread, so a sleeping reader wakes as
 * the datagram lands rather than when its park runs out. The engine reads one field per datagram and unparks only a
 * reader that asked.
 */
public final class UdpEndpoint
{
    private static final VarHandle PENDING_ERROR;

    static
    {
        try
        {
            PENDING_ERROR = MethodHandles.lookup().findVarHandle(UdpEndpoint.class, "pendingError", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    public static final int DATAGRAM_MESSAGE = 1;
    public static final int SOURCE_ADDRESS_OFFSET = 0;
    public static final int SOURCE_PORT_OFFSET = 4;
    public static final int PAYLOAD_OFFSET = 8;

    private final OneToOneRingBuffer receiveRing;
    int localAddress;
    int localPort;
    int remoteAddress;
    int remotePort;
    @SuppressWarnings("unused")
    private volatile int pendingError;
    private final ParkedThread reader = new ParkedThread();

    /**
     * @param ringCapacity bytes, a power of two; bounds how much unread data the socket holds.
     */
    public UdpEndpoint(final int ringCapacity)
    {
        receiveRing = new OneToOneRingBuffer(new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(ringCapacity + RingBufferDescriptor.TRAILER_LENGTH, 64)));
    }

    public OneToOneRingBuffer receiveRing()
    {
        return receiveRing;
    }

    public boolean isBound()
    {
        return localPort != 0;
    }

    public boolean isConnected()
    {
        return remotePort != 0;
    }

    public int localAddress()
    {
        return localAddress;
    }

    public int localPort()
    {
        return localPort;
    }

    public int remoteAddress()
    {
        return remoteAddress;
    }

    public int remotePort()
    {
        return remotePort;
    }

    /**
     * Engine side: a send nobody waited for failed; the latest such error replaces an earlier one not yet taken,
     * as Linux keeps one {@code sk_err}. A reader waiting for a datagram is unparked: its receive returns the error.
     *
     * @param error {@code -errno}.
     */
    public void reportError(final int error)
    {
        PENDING_ERROR.setRelease(this, error);
        reader.wake();
    }

    /**
     * Application side: take the pending error, leaving none.
     *
     * @return {@code -errno}, or 0 when no error is pending.
     */
    public int takeError()
    {
        return (int)PENDING_ERROR.getAcquire(this) == 0 ? 0 : (int)PENDING_ERROR.getAndSet(this, 0);
    }

    /**
     * @return whether an error waits to be taken.
     */
    public boolean hasError()
    {
        return (int)PENDING_ERROR.getAcquire(this) != 0;
    }

    /**
     * Application side: name the thread to unpark when a datagram lands, or {@code null} once it no longer waits.
     */
    public void reader(final Thread thread)
    {
        reader.name(thread);
    }

    /**
     * Engine side, after putting a datagram on the ring: unpark the reader waiting for one, if any.
     */
    public void wakeReader()
    {
        reader.wake();
    }
}
