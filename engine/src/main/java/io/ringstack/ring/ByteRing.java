package io.ringstack.ring;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A single-producer, single-consumer ring of bytes in off-heap memory: one direction of a byte stream between two
 * threads, such as a local stream socket's or a TCP connection's.
 * <pre>
 *  0                                capacity          +128              +256
 *  +--------------------------------+-----------------+-----------------+
 *  |  data (a power of two bytes)   | tail (8) + pad  | head (8) + pad  |
 *  +--------------------------------+-----------------+-----------------+
 *
 *            head                      tail                head + limit
 *   ... -----+-------------------------+-------------------+---------
 *            | published, not consumed | free (limit bound) |
 * </pre>
 * Tail and head count the bytes ever published and consumed; they only grow, and a byte's slot is its count masked
 * by {@code capacity - 1}. The producer copies bytes in and then publishes its tail with a release store; the
 * consumer copies bytes out and then publishes its head the same way; each reads the other's counter with a
 * volatile load. A {@link #write} takes as many bytes as there is room for and a {@link #read} as many as are there,
 * so both may be partial. {@link #limit()} bounds how much of the capacity the stream may hold.
 * <p>
 * Besides whole writes and reads, the consumer may copy published bytes out at any offset from the head
 * ({@link #copyOut}) and consume them later ({@link #release}), and the producer may place bytes at any offset past
 * the tail ({@link #copyIn}) and publish them later ({@link #publish}).
 * <p>
 * At most one thread may produce and one thread may consume at a time; callers that share a side serialise
 * themselves.
 * <p>
 * The data lies in {@link UncommittedMemory}: a ring costs physical memory for the bytes its stream has held at once
 * at most, not for its capacity, so a large capacity costs little on a connection that never fills it.
 */
public final class ByteRing
{
    /** Each counter has two cache lines to itself, so that neither shares a line, or a prefetched pair, with the
     * other counter or with the data. */
    private static final int COUNTER_SPACING = BitUtil.CACHE_LINE_LENGTH * 2;
    private static final int TRAILER_LENGTH = COUNTER_SPACING * 2;

    private final UnsafeBuffer buffer;
    private final int capacity;
    private final int mask;
    private final int tailIndex;
    private final int headIndex;
    private volatile int limit;
    /** The producer's last view of the head: it only reloads it when this view says the ring is too full. */
    private long headCache;

    /**
     * @param capacity bytes the ring holds, a power of two; it is also the limit until a {@link #reset}.
     */
    public ByteRing(final int capacity)
    {
        if (!BitUtil.isPowerOfTwo(capacity))
        {
            throw new IllegalArgumentException("ring capacity must be a power of two: " + capacity);
        }
        buffer = UncommittedMemory.allocate(capacity + TRAILER_LENGTH, BitUtil.CACHE_LINE_LENGTH);
        buffer.setMemory(capacity, TRAILER_LENGTH, (byte)0);
        this.capacity = capacity;
        mask = capacity - 1;
        tailIndex = capacity;
        headIndex = capacity + COUNTER_SPACING;
        limit = capacity;
    }

    public int capacity()
    {
        return capacity;
    }

    /**
     * @return how many bytes the stream may hold at once, at most {@link #capacity()}.
     */
    public int limit()
    {
        return limit;
    }

    /**
     * Empty the ring and set its limit. Only while no other thread uses it, e.g. before it is handed to one.
     */
    public void reset(final int limit)
    {
        this.limit = Math.min(Math.max(limit, 1), capacity);
        headCache = 0;
        buffer.putLong(headIndex, 0);
        buffer.putLongRelease(tailIndex, 0);
    }

    /**
     * @return bytes published and not yet consumed; exact on the producer or consumer thread, a snapshot from others.
     */
    public int size()
    {
        final long head = lvHead();
        return (int)Math.min(lvTail() - head, capacity);
    }

    /**
     * Producer: copy as many of {@code length} bytes as there is room for and publish them.
     *
     * @return bytes accepted, {@code 0} when the ring is full.
     */
    public int write(final byte[] src, final int offset, final int length)
    {
        final long tail = lpTail();
        final int count = writable(tail, length);
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
     * Producer: copy as many of {@code length} bytes as there is room for and publish them.
     *
     * @return bytes accepted, {@code 0} when the ring is full.
     */
    public int write(final DirectBuffer src, final int offset, final int length)
    {
        final int count = writable(lpTail(), length);
        if (count > 0)
        {
            copyIn(0, src, offset, count);
            publish(count);
        }
        return count;
    }

    /**
     * Consumer: copy up to {@code length} published bytes out and consume them.
     *
     * @return bytes read, {@code 0} when none are published.
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

    /**
     * Consumer: copy {@code length} published bytes starting {@code fromHead} bytes past the head, without
     * consuming them. The caller keeps {@code fromHead + length <= size()}.
     */
    public void copyOut(final int fromHead, final MutableDirectBuffer dst, final int dstOffset, final int length)
    {
        final int index = indexOf(lpHead() + fromHead);
        final int first = Math.min(length, capacity - index);
        dst.putBytes(dstOffset, buffer, index, first);
        dst.putBytes(dstOffset + first, buffer, 0, length - first);
    }

    /**
     * Consumer: consume {@code count} bytes without copying them, e.g. those {@link #copyOut} copied.
     */
    public void release(final int count)
    {
        soHead(lpHead() + count);
    }

    /**
     * Producer: room for bytes past the tail, within the limit.
     */
    public int free()
    {
        return Math.max(0, limit - (int)(lpTail() - lvHead()));
    }

    /**
     * Producer: place {@code length} bytes {@code fromTail} bytes past the tail without publishing them. The caller
     * keeps {@code fromTail + length <= free()}.
     */
    public void copyIn(final int fromTail, final DirectBuffer src, final int srcOffset, final int length)
    {
        final int index = indexOf(lpTail() + fromTail);
        final int first = Math.min(length, capacity - index);
        buffer.putBytes(index, src, srcOffset, first);
        buffer.putBytes(0, src, srcOffset + first, length - first);
    }

    /**
     * Producer: make the next {@code count} bytes past the tail, placed by {@link #copyIn}, readable.
     */
    public void publish(final int count)
    {
        soTail(lpTail() + count);
    }

    /**
     * @return the ring's memory, where the byte at stream position {@code p} lies at {@link #indexOf}{@code (p)}.
     */
    public DirectBuffer memory()
    {
        return buffer;
    }

    /**
     * @return where in {@link #memory()} the byte at stream position {@code position} lies.
     */
    public int indexOf(final long position)
    {
        return (int)position & mask;
    }

    /**
     * @return the tail, a plain load: exact on the producer thread.
     */
    public long lpTail()
    {
        return buffer.getLong(tailIndex);
    }

    /**
     * @return the tail, a volatile load: every byte before it is visible.
     */
    public long lvTail()
    {
        return buffer.getLongVolatile(tailIndex);
    }

    /**
     * @return the head, a plain load: exact on the consumer thread.
     */
    public long lpHead()
    {
        return buffer.getLong(headIndex);
    }

    /**
     * @return the head, a volatile load: the consumer is done with every byte before it.
     */
    public long lvHead()
    {
        return buffer.getLongVolatile(headIndex);
    }

    /**
     * @return how many of {@code length} bytes fit past {@code tail}, reloading the head only when the cached one
     * says too few.
     */
    private int writable(final long tail, final int length)
    {
        int free = limit - (int)(tail - headCache);
        if (free < length)
        {
            headCache = lvHead();
            free = limit - (int)(tail - headCache);
        }
        return Math.max(0, Math.min(free, length));
    }

    private void soTail(final long tail)
    {
        buffer.putLongRelease(tailIndex, tail);
    }

    private void soHead(final long head)
    {
        buffer.putLongRelease(headIndex, head);
    }
}
