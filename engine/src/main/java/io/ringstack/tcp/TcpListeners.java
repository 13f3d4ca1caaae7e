package io.ringstack.tcp;

/**
 * The listening sockets by application socket slot, and their accept queues as the applications see them: every
 * change to a queue's length is published on the {@link TcpSocketBoard}, where a blocked {@code accept} waits for
 * it. Engine thread only.
 */
final class TcpListeners
{
    private final TcpListener[] listenerBySlot;
    private final TcpSocketBoard board;

    TcpListeners(final int slots, final TcpSocketBoard board)
    {
        listenerBySlot = new TcpListener[slots];
        this.board = board;
    }

    /**
     * @return the listener of the socket in {@code slot}, or {@code null}.
     */
    TcpListener get(final int slot)
    {
        return listenerBySlot[slot];
    }

    void add(final TcpListener listener)
    {
        listenerBySlot[listener.slot] = listener;
    }

    /**
     * The socket in {@code slot} stops listening or is reopened: its listener goes and no accept waits for it.
     */
    void remove(final int slot)
    {
        listenerBySlot[slot] = null;
        board.pendingAccepts(slot, 0);
    }

    /**
     * A passive open completed: the connection waits in its listener's accept queue.
     */
    void enqueue(final TcpConnection connection)
    {
        final TcpListener listener = listenerBySlot[connection.listenerSlot];
        listener.offer(connection.index);
        board.pendingAccepts(listener.slot, listener.acceptQueueLength());
    }

    /**
     * @return the index of the oldest connection waiting in the accept queue of {@code listener}, or -1.
     */
    int dequeue(final TcpListener listener)
    {
        final int index = listener.poll();
        board.pendingAccepts(listener.slot, listener.acceptQueueLength());
        return index;
    }
}
