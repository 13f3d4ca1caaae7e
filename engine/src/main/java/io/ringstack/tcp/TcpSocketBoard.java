package io.ringstack.tcp;

import io.ringstack.phy.RingReads;
import io.ringstack.ring.ParkedThread;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.agrona.BufferUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * What an engine's TCP side shares with application threads, by caller slot (the slot of the socket's calls to
 * the engine):
 * <ul>
 *   <li>the {@link TcpStream} of each connected socket, published before the engine answers the connect or
 *       accept that made it;</li>
 *   <li>for each listener, how many connections wait to be accepted, so that an accept with nothing pending
 *       returns {@code EAGAIN} without a command;</li>
 *   <li>the doorbell ring: a many-to-one ring of {@link #DOORBELL} messages that the engine drains every duty
 *       cycle. Each connection has at most one message in flight
 *       for written bytes ({@link TcpStream#raiseDoorbell()}) and one for an opened window
 *       ({@link TcpStream#claimWindowUpdate()}), so the ring, sized for every slot, never fills.</li>
 * </ul>
 * The engine makes one ({@link TcpEngine#board()}); the socket family is given it when the engine is launched.
 * <p>
 * A doorbell message is {@link #DOORBELL_LENGTH} bytes: the slot as a 32-bit integer at {@link #DOORBELL_SLOT_OFFSET},
 * then zeros. That is the layout of an application command with only its slot set, so that the journal records and
 * replays a doorbell as one more command.
 */
public final class TcpSocketBoard
{
    /** Message type of a doorbell: the socket moved bytes in its rings. */
    public static final int DOORBELL = 25;
    public static final int DOORBELL_SLOT_OFFSET = 0;
    public static final int DOORBELL_LENGTH = 24;

    private final AtomicReferenceArray<TcpStream> streams;
    private final AtomicIntegerArray pendingAccepts;
    private final ParkedThread[] acceptors;
    private final ManyToOneRingBuffer doorbells;

    public TcpSocketBoard(final int slots)
    {
        streams = new AtomicReferenceArray<>(slots);
        pendingAccepts = new AtomicIntegerArray(slots);
        acceptors = new ParkedThread[slots];
        for (int i = 0; i < slots; i++)
        {
            acceptors[i] = new ParkedThread();
        }
        final int messageLength = RecordDescriptor.HEADER_LENGTH + DOORBELL_LENGTH;
        // Two messages per slot at most: one for written bytes, one for an opened window.
        final int capacity = Integer.highestOneBit(Math.max(2 * slots * messageLength, 1024) * 2 - 1);
        doorbells = new ManyToOneRingBuffer(new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(capacity + RingBufferDescriptor.TRAILER_LENGTH, 64)));
    }

    public TcpStream stream(final int slot)
    {
        return streams.get(slot);
    }

    void publishStream(final int slot, final TcpStream stream)
    {
        streams.set(slot, stream);
    }

    /**
     * @return connections waiting in the accept queue of the listener in {@code slot}.
     */
    public int pendingAccepts(final int slot)
    {
        return pendingAccepts.get(slot);
    }

    void pendingAccepts(final int slot, final int count)
    {
        pendingAccepts.set(slot, count);
        if (count > 0)
        {
            acceptors[slot].wake();
        }
    }

    /**
     * @return the thread a blocking {@code accept} on the listener in {@code slot} parks, woken as a connection is
     * queued.
     */
    public ParkedThread acceptor(final int slot)
    {
        return acceptors[slot];
    }

    /**
     * Application: tell the engine that the socket in {@code slot} moved bytes in its rings. Call only after
     * {@link TcpStream#raiseDoorbell()} or {@link TcpStream#claimWindowUpdate()} said so.
     */
    public void ring(final int slot)
    {
        int index;
        while ((index = doorbells.tryClaim(DOORBELL, DOORBELL_LENGTH)) < 0)
        {
            Thread.onSpinWait();
        }
        final AtomicBuffer buffer = doorbells.buffer();
        buffer.setMemory(index, DOORBELL_LENGTH, (byte)0);
        buffer.putInt(index + DOORBELL_SLOT_OFFSET, slot);
        doorbells.commit(index);
    }

    /**
     * @return whether a doorbell waits to be drained; any thread may ask.
     */
    public boolean hasDoorbells()
    {
        return doorbells.size() > 0;
    }

    /**
     * Engine: hand the doorbells rung since the last drain to {@code handler}.
     */
    int drainDoorbells(final MessageHandler handler, final int limit)
    {
        return RingReads.isEmpty(doorbells) ? 0 : doorbells.read(handler, limit);
    }
}
