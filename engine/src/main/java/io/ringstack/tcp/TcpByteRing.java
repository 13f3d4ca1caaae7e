package io.ringstack.tcp;

import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One direction of a TCP connection's byte stream between an application thread and the engine thread: a
 * single-producer, single-consumer ring of bytes in off-heap memory.
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
 * Tail and head count bytes ever published and consumed, published with release stores and read with volatile
 * loads as in {@link io.ringstack.socket.local.ByteStreamRing}. It differs from that ring where TCP needs it to:
 * <ul>
 *   <li>the <b>send ring</b>'s consumer is the engine, which copies bytes out at any offset from the head
 *       ({@link #copyOut}) and releases them only when the peer acknowledges them ({@link #release}), so
 *       unacknowledged bytes stay in place for retransmission;</li>
 *   <li>the <b>receive ring</b>'s producer is the engine, which places bytes at any offset past the tail
 *       ({@link #copyIn}): out-of-order segments land where they belong and become readable once the gap before
 *       them is filled ({@link #publish}).</li>
 * </ul>
 * {@link #limit()} (the socket's buffer size) bounds how much of the capacity the stream may hold.
 * <p>
 * The engine sees the application's counter only when it takes it: the send ring's tail with {@link #takeWritten()},
 * the receive ring's head with {@link #takeConsumed()}. Between takes it works from what it took
 * ({@link #written()}, {@link #room()}, {@link #unread()}), so what the application does reaches the engine at
 * points of the engine's choosing, which a journal can record and a replay reproduce.
 */
public final class TcpByteRing
{
    private static final int COUNTER_SPACING = BitUtil.CACHE_LINE_LENGTH * 2;
    private static final int TRAILER_LENGTH = COUNTER_SPACING * 2;

    private final UnsafeBuffer buffer;
    private final int capacity;
    private final int mask;
    private final int tailIndex;
    private final int headIndex;
    private volatile int limit;
    /** The producer's last view of the head: reloaded only when this view says the ring is too full. */
    private long headCache;
    /** The engine's view of the application's counter: the tail of a send ring, the head of a receive ring. */
    private long taken;

    /**
     * @param capacity bytes, a power of two.
     */
    public TcpByteRing(final int capacity)
    {
        if (!BitUtil.isPowerOfTwo(capacity))
        {
            throw new IllegalArgumentException("ring capacity must be a power of two: " + capacity);
        }
        buffer = new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(capacity + TRAILER_LENGTH, BitUtil.CACHE_LINE_LENGTH));
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
     * Empty the ring and set its limit. Only while no other thread uses it: before it is handed to an application.
     */
    public void reset(final int limit)
    {
        this.limit = Math.min(Math.max(limit, 1), capacity);
        headCache = 0;
        taken = 0;
        buffer.putLong(headIndex, 0);
        buffer.putLongRelease(tailIndex, 0);
    }

    /**
     * @return bytes published and not yet consumed; exact on the producer or consumer thread.
     */
    public int size()
    {
        final long head = buffer.getLongVolatile(headIndex);
        return (int)(buffer.getLongVolatile(tailIndex) - head);
    }

    /**
     * Producer: copy as many of {@code length} bytes as there is room for and publish them.
     *
     * @return bytes accepted, {@code 0} when the ring is full.
     */
    public int write(final byte[] src, final int offset, final int length)
    {
        final long tail = buffer.getLong(tailIndex);
        final int count = writable(tail, length);
        if (count > 0)
        {
            final int index = (int)tail & mask;
            final int first = Math.min(count, capacity - index);
            buffer.putBytes(index, src, offset, first);
            buffer.putBytes(0, src, offset + first, count - first);
            buffer.putLongRelease(tailIndex, tail + count);
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
        final long tail = buffer.getLong(tailIndex);
        final int count = writable(tail, length);
        if (count > 0)
        {
            final int index = (int)tail & mask;
            final int first = Math.min(count, capacity - index);
            buffer.putBytes(index, src, offset, first);
            buffer.putBytes(0, src, offset + first, count - first);
            buffer.putLongRelease(tailIndex, tail + count);
        }
        return count;
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
            headCache = buffer.getLongVolatile(headIndex);
            free = limit - (int)(tail - headCache);
        }
        return Math.max(0, Math.min(free, length));
    }

    /**
     * Consumer: copy up to {@code length} published bytes out and consume them.
     *
     * @return bytes read, {@code 0} when none are published.
     */
    public int read(final byte[] dst, final int offset, final int length)
    {
        final long head = buffer.getLong(headIndex);
        final int count = (int)Math.min(buffer.getLongVolatile(tailIndex) - head, length);
        if (count > 0)
        {
            final int index = (int)head & mask;
            final int first = Math.min(count, capacity - index);
            buffer.getBytes(index, dst, offset, first);
            buffer.getBytes(0, dst, offset + first, count - first);
            buffer.putLongRelease(headIndex, head + count);
        }
        return count;
    }

    /**
     * Consumer: copy {@code length} published bytes starting {@code fromHead} bytes past the head, without
     * consuming them. The caller keeps {@code fromHead + length <= size()}.
     */
    public void copyOut(final int fromHead, final MutableDirectBuffer dst, final int dstOffset, final int length)
    {
        final int index = (int)(buffer.getLong(headIndex) + fromHead) & mask;
        final int first = Math.min(length, capacity - index);
        dst.putBytes(dstOffset, buffer, index, first);
        dst.putBytes(dstOffset + first, buffer, 0, length - first);
    }

    /**
     * Consumer: consume {@code count} bytes without copying them, e.g. once the peer has acknowledged them.
     */
    public void release(final int count)
    {
        buffer.putLongRelease(headIndex, buffer.getLong(headIndex) + count);
    }

    /**
     * Producer: room for bytes past the tail, within the limit.
     */
    public int free()
    {
        return Math.max(0, limit - (int)(buffer.getLong(tailIndex) - buffer.getLongVolatile(headIndex)));
    }

    /**
     * Producer: place {@code length} bytes {@code fromTail} bytes past the tail without publishing them. The caller
     * keeps {@code fromTail + length <= free()}.
     */
    public void copyIn(final int fromTail, final DirectBuffer src, final int srcOffset, final int length)
    {
        final int index = (int)(buffer.getLong(tailIndex) + fromTail) & mask;
        final int first = Math.min(length, capacity - index);
        buffer.putBytes(index, src, srcOffset, first);
        buffer.putBytes(0, src, srcOffset + first, length - first);
    }

    /**
     * Producer: make the next {@code count} bytes past the tail, placed by {@link #copyIn}, readable.
     */
    public void publish(final int count)
    {
        buffer.putLongRelease(tailIndex, buffer.getLong(tailIndex) + count);
    }

    /**
     * Engine, consuming a send ring: take the application's tail.
     *
     * @return bytes the application published since the last take; they start {@link #written()} less this many
     * bytes past the head.
     */
    public int takeWritten()
    {
        final long tail = buffer.getLongVolatile(tailIndex);
        final int count = (int)(tail - taken);
        taken = tail;
        return count;
    }

    /**
     * Engine, consuming a send ring: bytes published as of the last {@link #takeWritten()} and not yet released.
     */
    public int written()
    {
        return (int)(taken - buffer.getLong(headIndex));
    }

    /**
     * Engine, producing into a receive ring: take the application's head.
     *
     * @return bytes the application consumed since the last take.
     */
    public int takeConsumed()
    {
        final long head = buffer.getLongVolatile(headIndex);
        final int count = (int)(head - taken);
        taken = head;
        return count;
    }

    /**
     * Engine, producing into a receive ring: room past the tail within the limit, as of the last
     * {@link #takeConsumed()}.
     */
    public int room()
    {
        return Math.max(0, limit - unread());
    }

    /**
     * Engine, producing into a receive ring: bytes published and not consumed as of the last {@link #takeConsumed()}.
     */
    public int unread()
    {
        return (int)(buffer.getLong(tailIndex) - taken);
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
     * @return bytes ever consumed: the head counter.
     */
    public long consumed()
    {
        return buffer.getLongVolatile(headIndex);
    }
}
