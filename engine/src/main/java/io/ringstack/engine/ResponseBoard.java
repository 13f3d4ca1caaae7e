package io.ringstack.engine;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Where the engine answers commands: one slot per caller, each a result and the sequence of the call it answers.
 * The engine writes the result, then publishes the sequence with release semantics; the caller reads the sequence
 * with acquire semantics, then the result. Each slot has two cache lines of its own (as Agrona pads its counters,
 * against the adjacent-line prefetcher), so a caller spinning on its slot never shares a line with another's.
 * <pre>
 *  slot i: | sequence (64) | result (64) | padding to 128 bytes |
 * </pre>
 */
public final class ResponseBoard
{
    private static final int SLOT_LENGTH = 128;
    private static final int SEQUENCE_OFFSET = 0;
    private static final int RESULT_OFFSET = 8;

    private final UnsafeBuffer slots;
    private final int capacity;
    private final EngineTap tap;
    private volatile boolean closed;

    public ResponseBoard(final int capacity, final EngineTap tap)
    {
        this.capacity = capacity;
        this.tap = tap;
        slots = new UnsafeBuffer(BufferUtil.allocateDirectAligned(capacity * SLOT_LENGTH, SLOT_LENGTH));
    }

    public int capacity()
    {
        return capacity;
    }

    /**
     * Engine side: answer call {@code sequence} in {@code slot}.
     */
    public void answer(final int slot, final long sequence, final long result)
    {
        tap.onResponse(slot, sequence, result);
        final int base = slot * SLOT_LENGTH;
        slots.putLong(base + RESULT_OFFSET, result);
        slots.putLongRelease(base + SEQUENCE_OFFSET, sequence);
    }

    /**
     * Engine side: the result of command {@code sequence} of {@code slot} that nobody waits for; it goes to the tap
     * (the journal) only, and the board's slot keeps the last answered call.
     */
    public void record(final int slot, final long sequence, final long result)
    {
        tap.onResponse(slot, sequence, result);
    }

    /**
     * Caller side: the sequence last answered in {@code slot}.
     */
    public long answeredSequence(final int slot)
    {
        return slots.getLongAcquire(slot * SLOT_LENGTH + SEQUENCE_OFFSET);
    }

    /**
     * Engine side: the engine has stopped and will answer nothing more.
     */
    public void close()
    {
        closed = true;
    }

    /**
     * Caller side: {@code true} once the engine has stopped, so that a call still waiting gives up at once.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Caller side: the result, valid once {@link #answeredSequence} shows the caller's sequence.
     */
    public long result(final int slot)
    {
        return slots.getLong(slot * SLOT_LENGTH + RESULT_OFFSET);
    }
}
