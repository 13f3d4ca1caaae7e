package io.ringstack.tcp;

import io.ringstack.ring.ByteRing;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * One direction of a TCP connection's byte stream between an application thread and the engine thread: a
 * {@link ByteRing} and the engine's view of the application's side of it. The ring's positional operations are
 * where TCP needs them:
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
    private final ByteRing ring;
    /** The engine's view of the application's counter: the tail of a send ring, the head of a receive ring. */
    private long taken;

    /**
     * @param capacity bytes, a power of two.
     */
    public TcpByteRing(final int capacity)
    {
        ring = new ByteRing(capacity);
    }

    public int capacity()
    {
        return ring.capacity();
    }

    /**
     * @return how many bytes the stream may hold at once, at most {@link #capacity()}.
     */
    public int limit()
    {
        return ring.limit();
    }

    /**
     * Empty the ring and set its limit. Only while no other thread uses it: before it is handed to an application.
     */
    public void reset(final int limit)
    {
        taken = 0;
        ring.reset(limit);
    }

    /**
     * @return bytes published and not yet consumed; exact on the producer or consumer thread.
     */
    public int size()
    {
        return ring.size();
    }

    /**
     * Producer: copy as many of {@code length} bytes as there is room for and publish them.
     *
     * @return bytes accepted, {@code 0} when the ring is full.
     */
    public int write(final byte[] src, final int offset, final int length)
    {
        return ring.write(src, offset, length);
    }

    /**
     * Producer: copy as many of {@code length} bytes as there is room for and publish them.
     *
     * @return bytes accepted, {@code 0} when the ring is full.
     */
    public int write(final DirectBuffer src, final int offset, final int length)
    {
        return ring.write(src, offset, length);
    }

    /**
     * Consumer: copy up to {@code length} published bytes out and consume them.
     *
     * @return bytes read, {@code 0} when none are published.
     */
    public int read(final byte[] dst, final int offset, final int length)
    {
        return ring.read(dst, offset, length);
    }

    /**
     * Consumer: copy {@code length} published bytes starting {@code fromHead} bytes past the head, without
     * consuming them. The caller keeps {@code fromHead + length <= size()}.
     */
    public void copyOut(final int fromHead, final MutableDirectBuffer dst, final int dstOffset, final int length)
    {
        ring.copyOut(fromHead, dst, dstOffset, length);
    }

    /**
     * Consumer: consume {@code count} bytes without copying them, e.g. once the peer has acknowledged them.
     */
    public void release(final int count)
    {
        ring.release(count);
    }

    /**
     * Producer: room for bytes past the tail, within the limit.
     */
    public int free()
    {
        return ring.free();
    }

    /**
     * Whether a writer waiting for room in a send ring is ready to be woken: the room within the limit is at least
     * half of what the ring holds, as Linux's {@code sk_stream_is_writeable} (free space at least half of what is
     * queued, so a third of the buffer once it was full). A writer woken for every acknowledgement would run, and
     * ask the engine to send, for each segment or two the peer acknowledges; this one wakes to fill a third of the
     * ring at once. Either side may ask: both counters are read as published.
     */
    public boolean isWritable()
    {
        final int size = ring.size();
        final int room = ring.limit() - size;
        return room > 0 && room >= size >> 1;
    }

    /**
     * Producer: place {@code length} bytes {@code fromTail} bytes past the tail without publishing them. The caller
     * keeps {@code fromTail + length <= free()}.
     */
    public void copyIn(final int fromTail, final DirectBuffer src, final int srcOffset, final int length)
    {
        ring.copyIn(fromTail, src, srcOffset, length);
    }

    /**
     * Producer: make the next {@code count} bytes past the tail, placed by {@link #copyIn}, readable.
     */
    public void publish(final int count)
    {
        ring.publish(count);
    }

    /**
     * Engine, consuming a send ring: take the application's tail.
     *
     * @return bytes the application published since the last take; they start {@link #written()} less this many
     * bytes past the head.
     */
    public int takeWritten()
    {
        final long tail = ring.lvTail();
        final int count = (int)(tail - taken);
        taken = tail;
        return count;
    }

    /**
     * Engine, consuming a send ring: bytes published as of the last {@link #takeWritten()} and not yet released.
     */
    public int written()
    {
        return (int)(taken - ring.lpHead());
    }

    /**
     * Engine, producing into a receive ring: take the application's head.
     *
     * @return bytes the application consumed since the last take.
     */
    public int takeConsumed()
    {
        final long head = ring.lvHead();
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
        return Math.max(0, ring.limit() - unread());
    }

    /**
     * Engine, producing into a receive ring: bytes published and not consumed as of the last {@link #takeConsumed()}.
     */
    public int unread()
    {
        return (int)(ring.lpTail() - taken);
    }

    /**
     * @return the ring's memory, where the byte at stream position {@code p} lies at {@link #indexOf}{@code (p)}.
     */
    public DirectBuffer memory()
    {
        return ring.memory();
    }

    /**
     * @return where in {@link #memory()} the byte at stream position {@code position} lies.
     */
    public int indexOf(final long position)
    {
        return ring.indexOf(position);
    }

    /**
     * @return bytes ever consumed: the head counter.
     */
    public long consumed()
    {
        return ring.lvHead();
    }
}
