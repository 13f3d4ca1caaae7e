package io.ringstack.socket.local;

import io.ringstack.ring.ByteRing;

import static io.ringstack.errno.Errno.EAGAIN;
import static io.ringstack.errno.Errno.EPIPE;

/**
 * One direction of a local stream connection: a {@link ByteRing} and what each side has declared. The
 * writing side stops with {@code SHUT_WR} or close, and its reader then sees end of stream once the ring is
 * drained; the reading side stops with {@code SHUT_RD} or close, and its writer then gets {@code EPIPE}.
 * <p>
 * Many threads may share a side, so one monitor serialises the writers and another the readers; a writer never
 * waits for a reader or the other way round, and nobody waits for data.
 */
final class StreamPipe
{
    private final ByteRing ring;
    private final Object writeLock = new Object();
    private final Object readLock = new Object();
    private volatile boolean writeShut;
    private volatile boolean readShut;

    StreamPipe(final int capacity)
    {
        ring = new ByteRing(capacity);
    }

    /**
     * @return bytes accepted (maybe fewer than {@code length}), {@code -EAGAIN} when the ring is full, or
     * {@code -EPIPE} once either side has stopped.
     */
    int write(final byte[] src, final int offset, final int length)
    {
        if (writeShut || readShut)
        {
            return -EPIPE;
        }
        final int accepted;
        synchronized (writeLock)
        {
            accepted = ring.write(src, offset, length);
        }
        return accepted > 0 || length == 0 ? accepted : -EAGAIN;
    }

    /**
     * Bytes still in the ring are delivered after either side has stopped, as Linux delivers what was queued
     * before a shutdown.
     *
     * @return bytes read, {@code 0} at end of stream or after {@code SHUT_RD}, {@code -EAGAIN} when empty.
     */
    int read(final byte[] dst, final int offset, final int length)
    {
        // Loaded before the ring: every byte written before the writer stopped is then visible to the read below.
        final boolean stopped = writeShut || readShut;
        final int count;
        synchronized (readLock)
        {
            count = ring.read(dst, offset, length);
        }
        return count > 0 || length == 0 || stopped ? count : -EAGAIN;
    }

    /**
     * @return {@code true} when a read would not wait: bytes are there or a side has stopped.
     */
    boolean isReadable()
    {
        return ring.size() > 0 || writeShut || readShut;
    }

    void shutdownWrite()
    {
        writeShut = true;
    }

    void shutdownRead()
    {
        readShut = true;
    }
}
