package io.ringstack.tcp;

/**
 * The connections with something to send: marked while the duty cycle takes segments, doorbells, commands and
 * timers, and sent for at its end, so that one segment can acknowledge a whole batch of input. A connection is
 * queued at most once; one whose output was full, or that sent its budget of segments for one flush, stays queued
 * for the next cycle. Engine thread only; nothing allocates.
 */
final class TcpOutputQueue
{
    private final TcpConnectionTable table;
    private final AppRingLook look;
    private final TcpSender sender;
    private int[] pending;
    private int[] draining;
    private int pendingCount;

    TcpOutputQueue(final TcpConnectionTable table, final AppRingLook look, final TcpSender sender)
    {
        this.table = table;
        this.look = look;
        this.sender = sender;
        pending = new int[table.capacity()];
        draining = new int[table.capacity()];
    }

    /**
     * Queue the connection for the end-of-cycle flush.
     */
    void mark(final TcpConnection connection)
    {
        if (!connection.flushQueued)
        {
            connection.flushQueued = true;
            pending[pendingCount++] = connection.index;
        }
    }

    /**
     * Send for every connection marked since the last flush, after a look at its application's rings.
     *
     * @return connections flushed.
     */
    int flush(final long nowNs)
    {
        final int count = pendingCount;
        if (count == 0)
        {
            return 0;
        }
        final int[] batch = pending;
        pending = draining;
        draining = batch;
        pendingCount = 0;
        for (int i = 0; i < count; i++)
        {
            final TcpConnection connection = table.get(batch[i]);
            connection.flushQueued = false;
            if (connection.inUse)
            {
                look.take(connection);
                if (!sender.transmit(connection, nowNs))
                {
                    mark(connection);
                }
            }
        }
        return count;
    }
}
