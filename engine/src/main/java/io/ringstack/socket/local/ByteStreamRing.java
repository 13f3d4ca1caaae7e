package io.ringstack.socket.local;

import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A single-producer, single-consumer ring of bytes in off-heap memory: one direction of a local stream.
 * <pre>
 *  0                                capacity          +128              +256
 *  +--------------------------------+-----------------+-----------------+
 *  |  data (a power of two bytes)   | tail (8) + pad  | head (8) + pad  |
 *  +--------------------------------+-----------------+-----------------+
 * </pre>
 * Tail and head count the bytes ever written and read; they only grow, and a byte's slot is its count masked by
 * {@code capacity - 1}. The producer copies bytes in and then publishes its tail with a release store; the
 * consumer copies bytes out and then publishes its head the same way; each reads the other's counter with a
 * volatile load. A write takes as many bytes as there is room for and a read as many as are there, so both
 * may be partial.
 * <p>
 * At most one thread may write and one thread may read at a time; callers that share a side serialise
 * themselves.
 */
public final class ByteStreamRing
{
    /** Each counter has two cache lines to itself, so that neither shares a line, or a prefetched pair, with
     * the other counter or with the data. */
    public static final int COUNTER_SPACING = BitUtil.CACHE_LINE_LENGTH * 2;
    public static final int TRAILER_LENGTH = COUNTER_SPACING * 2;

    private final UnsafeBuffer buffer;
    private final int capacity;
    private final int mask;
    private final int tailIndex;
    private final int headIndex;
    /** The producer's last view of the head: it only reloads it when this view says the ring is too full. */
    private long headCache;

    /**
     * @param capacity bytes the ring holds, a power of two.
     */
    public ByteStreamRing(final int capacity)
    {
        if (!BitUtil.isPowerOfTwo(capacity))
        {
            throw new IllegalArgumentException("ring capacity must be a power of two: " + capacity);
        }
        this.buffer = new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(capacity + TRAILER_LENGTH, BitUtil.CACHE_LINE_LENGTH));
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.tailIndex = capacity;
        this.headIndex = capacity + COUNTER_SPACING;
    }

    public int capacity()
    {
        return capacity;
    }

    /**
     * @return bytes written and not yet read; exact from the producer or consumer thread, a snapshot from others.
     */
    public int size()
    {
        final long head = lvHead();
        final long tail = lvTail();
        return (int)Math.min(tail - head, capacity);
    }

    /**
     * Copy as many of {@code length} bytes as there is room for into the ring. Producer only.
     *
     * @return bytes accepted, {@code 0} when the ring is full.
     */
    public int write(final byte[] src, final int offset, final int length)
    {
        final long tail = lpTail();
        int free = capacity - (int)(tail - headCache);
        if (free < length)
        {
            headCache = lvHead();
            free = capacity - (int)(tail - headCache);
        }
        final int count = Math.min(free, length);
        if (count > 0)
        {
            final int index = (int)tail & mask;
            final int first = Math.min(count, capacity - index);
            buffer.putBytes(index, src, offset, first);
            buffer.putBytes(0, src, offset + first, count - first);
            soTail(tail + count);
        }
        return count;
    }

    /**
     * Copy up to {@code length} bytes out of the ring. Consumer only.
     *
     * @return bytes read, {@code 0} when the ring is empty.
     */
    public int read(final byte[] dst, final int offset, final int length)
    {
        final long head = lpHead();
        final int count = (int)Math.min(lvTail() - head, length);
        if (count > 0)
        {
            final int index = (int)head & mask;
            final int first = Math.min(count, capacity - index);
            buffer.getBytes(index, dst, offset, first);
            buffer.getBytes(0, dst, offset + first, count - first);
            soHead(head + count);
        }
        return count;
    }

    private long lpTail()
    {
        return buffer.getLong(tailIndex);
    }

    private long lvTail()
    {
        return buffer.getLongVolatile(tailIndex);
    }

    private void soTail(final long tail)
    {
        buffer.putLongOrdered(tailIndex, tail);
    }

    private long lpHead()
    {
        return buffer.getLong(headIndex);
    }

    private long lvHead()
    {
        return buffer.getLongVolatile(headIndex);
    }

    private void soHead(final long head)
    {
        buffer.putLongOrdered(headIndex, head);
    }
}
