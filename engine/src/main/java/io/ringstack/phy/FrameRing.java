package io.ringstack.phy;

import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One direction of a wire: Ethernet frames in an off-heap single-producer/single-consumer ring, so the sender and
 * the receiver may be on different threads. Full is a result, never an eviction.
 * <p>
 * The ring is {@code capacity} bytes of records followed by a trailer with three positions, counted in bytes since
 * the ring was made: the tail (written so far) and the skip point, which only the producer moves, and on cache lines
 * of its own the head (consumed so far), which only the consumer moves. A record is an 8-byte header, the frame's
 * length in its first four bytes, then the frame, padded to 8 bytes, so every frame starts 8-byte aligned:
 * <pre>
 *   | length | 0 | frame ... pad | length | 0 | frame ... pad | ...    (skip point) unused to the end of the lap |
 * </pre>
 * A record that does not fit before the end of the buffer starts the next lap, and the producer sets the skip point
 * where it would have started: the consumer, reaching it, goes on at the next lap. The producer writes a whole
 * record (and the skip point) and then publishes the tail with a release store; the consumer reads the tail with an
 * acquire load once per {@link #poll}, hands every record up to it (or up to its limit) to the handler in place,
 * and then publishes the head once, with a release store: a burst costs one store of each position. A frame is
 * copied in with one bounds check and read out with none, since every record lies inside the ring by construction.
 * <p>
 * A producer that finds the ring empty starts its next record at the beginning of the buffer the same way: while
 * the consumer keeps up, frames pass through the same few cache lines instead of streaming through the whole
 * capacity. The skipped rest of the lap is free at once (the consumer standing at the skip point reads none of it),
 * so this never makes the ring refuse a frame.
 */
public final class FrameRing
{
    /** Bytes before each frame: its length and four reserved bytes. */
    static final int HEADER_LENGTH = 8;
    static final int MIN_CAPACITY = 64;

    private static final int ALIGNMENT = 8;
    private static final int POSITION_SLOT = 128;
    private static final int TAIL_OFFSET = 0;
    private static final int SKIP_OFFSET = 8;
    private static final int HEAD_OFFSET = POSITION_SLOT;
    private static final int TRAILER_LENGTH = 2 * POSITION_SLOT;
    private static final long NO_SKIP = -1;

    private final UnsafeBuffer buffer;
    private final long address;
    private final int capacity;
    private final int mask;
    private final int maxFrameLength;
    private final long tailAddress;
    private final long skipAddress;
    private final long headAddress;

    /**
     * @param capacity bytes, a power of two of at least {@value #MIN_CAPACITY}.
     */
    public FrameRing(final int capacity)
    {
        if (!BitUtil.isPowerOfTwo(capacity) || capacity < MIN_CAPACITY)
        {
            throw new IllegalArgumentException("frame ring capacity must be a power of two of at least " +
                MIN_CAPACITY + ": " + capacity);
        }
        buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(capacity + TRAILER_LENGTH, POSITION_SLOT));
        address = buffer.addressOffset();
        this.capacity = capacity;
        mask = capacity - 1;
        maxFrameLength = capacity / 8;
        tailAddress = address + capacity + TAIL_OFFSET;
        skipAddress = address + capacity + SKIP_OFFSET;
        headAddress = address + capacity + HEAD_OFFSET;
        UnsafeApi.putLongRelease(null, skipAddress, NO_SKIP);
    }

    /**
     * @return the longest frame the ring takes: an eighth of its capacity.
     */
    public int maxFrameLength()
    {
        return maxFrameLength;
    }

    /**
     * Producer side: copy one frame in.
     *
     * @return {@code false} when the ring is full, or the frame longer than {@link #maxFrameLength()}.
     */
    public boolean offer(final DirectBuffer frame, final int offset, final int length)
    {
        if (length < 0 || length > maxFrameLength)
        {
            return false;
        }
        final long tail = UnsafeApi.getLong(null, tailAddress);
        long head = UnsafeApi.getLongAcquire(null, headAddress);
        if (head == UnsafeApi.getLong(null, skipAddress))
        {
            head = nextLap(head);
        }
        final int recordLength = BitUtil.align(HEADER_LENGTH + length, ALIGNMENT);
        final int index = (int)tail & mask;
        final boolean empty = head == tail;
        final boolean skip = index != 0 && (empty || index + recordLength > capacity);
        final long start = skip ? nextLap(tail) : tail;
        final long end = start + recordLength;
        if (end - (empty ? start : head) > capacity)
        {
            return false;
        }
        final int recordIndex = skip ? 0 : index;
        buffer.putBytes(recordIndex + HEADER_LENGTH, frame, offset, length);
        UnsafeApi.putInt(null, address + recordIndex, length);
        if (skip)
        {
            UnsafeApi.putLong(null, skipAddress, tail);
        }
        UnsafeApi.putLongRelease(null, tailAddress, end);
        return true;
    }

    /**
     * Consumer side: hand up to {@code limit} frames to {@code handler}, each in place and valid only during its
     * call.
     *
     * @return how many were handed over; 0 only when the ring was empty or {@code limit} was not positive.
     */
    public int poll(final FrameHandler handler, final int limit)
    {
        final long head = UnsafeApi.getLong(null, headAddress);
        final long tail = UnsafeApi.getLongAcquire(null, tailAddress);
        final long skipFrom = UnsafeApi.getLong(null, skipAddress);
        long position = head;
        int frames = 0;
        try
        {
            while (position != tail && frames < limit)
            {
                if (position == skipFrom)
                {
                    position = nextLap(position);
                }
                final int index = (int)position & mask;
                final int length = UnsafeApi.getInt(null, address + index);
                position += BitUtil.align(HEADER_LENGTH + length, ALIGNMENT);
                frames++;
                handler.onFrame(buffer, index + HEADER_LENGTH, length);
            }
        }
        finally
        {
            if (position != head)
            {
                UnsafeApi.putLongRelease(null, headAddress, position);
            }
        }
        return frames;
    }

    private long nextLap(final long position)
    {
        return position + capacity - ((int)position & mask);
    }
}
