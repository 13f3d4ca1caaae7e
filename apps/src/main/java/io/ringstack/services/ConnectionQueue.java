package io.ringstack.services;

import java.util.concurrent.TimeUnit;

/**
 * Accepted connections waiting for a worker of a {@link TcpService}: a bounded first-in first-out queue of socket
 * descriptors, each with the time it was accepted, so that one waiting too long can be answered rather than left
 * hanging. Thread-safe: the acceptor offers and reaps, the workers take.
 */
final class ConnectionQueue
{
    /** What {@link #take} and {@link #pollExpired} return when there is no connection. */
    static final int NONE = -1;

    private final int[] descriptors;
    private final long[] acceptedNs;
    private int head;
    private int size;

    ConnectionQueue(final int capacity)
    {
        descriptors = new int[capacity];
        acceptedNs = new long[capacity];
    }

    /**
     * @return {@code false} when the queue is full: the caller must answer the connection itself.
     */
    synchronized boolean offer(final int fd, final long nowNs)
    {
        if (size == descriptors.length)
        {
            return false;
        }
        final int tail = (head + size) % descriptors.length;
        descriptors[tail] = fd;
        acceptedNs[tail] = nowNs;
        size++;
        notify();
        return true;
    }

    /**
     * Wait up to {@code timeoutNs} for a connection.
     *
     * @return the oldest waiting connection, or {@link #NONE} when none came in time or the thread was interrupted.
     */
    synchronized int take(final long timeoutNs)
    {
        final long deadlineNs = System.nanoTime() + timeoutNs;
        long leftNs = timeoutNs;
        while (size == 0 && leftNs > 0)
        {
            try
            {
                TimeUnit.NANOSECONDS.timedWait(this, leftNs);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return NONE;
            }
            leftNs = deadlineNs - System.nanoTime();
        }
        return size == 0 ? NONE : removeHead();
    }

    /**
     * @return the oldest connection if it has waited {@code maxWaitNs} or longer (removed from the queue), else
     * {@link #NONE}.
     */
    synchronized int pollExpired(final long nowNs, final long maxWaitNs)
    {
        return size > 0 && nowNs - acceptedNs[head] >= maxWaitNs ? removeHead() : NONE;
    }

    synchronized int size()
    {
        return size;
    }

    private int removeHead()
    {
        final int fd = descriptors[head];
        head = (head + 1) % descriptors.length;
        size--;
        return fd;
    }
}
