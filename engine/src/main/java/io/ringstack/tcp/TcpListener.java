package io.ringstack.tcp;

/**
 * A listening socket (RFC 9293 LISTEN): its address and port, its backlog, and its accept queue of established
 * connections waiting for {@code accept}. As on Linux the queue is full when it holds more than {@code backlog}
 * connections, so {@code listen(2)} lets three wait; a SYN that arrives while it is full is dropped (and counted),
 * and the peer's retransmission tries again later. Half-open connections wait in the {@link SynQueue}, at most
 * {@code backlog} per listener. Engine thread only.
 */
final class TcpListener
{
    final int slot;
    final int localAddress;
    final int port;
    final TcpSocketOptions options;
    private final int[] queue;
    private int backlog;
    private int head;
    private int count;
    private int halfOpen;

    /**
     * @param maxBacklog the largest backlog the engine allows; the queue is sized for it.
     */
    TcpListener(final int slot, final int localAddress, final int port, final TcpSocketOptions options,
        final int maxBacklog)
    {
        this.slot = slot;
        this.localAddress = localAddress;
        this.port = port;
        this.options = options;
        queue = new int[maxBacklog + 1];
    }

    /**
     * Set the backlog as Linux does: a negative value or one above the maximum means the maximum.
     */
    void backlog(final int requested)
    {
        backlog = requested < 0 || requested > queue.length - 1 ? queue.length - 1 : requested;
    }

    int backlog()
    {
        return backlog;
    }

    /**
     * @return {@code true} when the listener serves segments to {@code address}: it is bound to it or to any.
     */
    boolean accepts(final int address)
    {
        return localAddress == 0 || localAddress == address;
    }

    boolean isAcceptQueueFull()
    {
        return count > backlog;
    }

    boolean isHalfOpenQueueFull()
    {
        return halfOpen >= Math.max(backlog, 1);
    }

    int acceptQueueLength()
    {
        return count;
    }

    void offer(final int connectionIndex)
    {
        queue[(head + count) % queue.length] = connectionIndex;
        count++;
    }

    /**
     * @return the oldest waiting connection's index, or -1.
     */
    int poll()
    {
        if (count == 0)
        {
            return -1;
        }
        final int index = queue[head];
        head = (head + 1) % queue.length;
        count--;
        return index;
    }

    void halfOpenAdded()
    {
        halfOpen++;
    }

    void halfOpenRemoved()
    {
        halfOpen--;
    }
}
