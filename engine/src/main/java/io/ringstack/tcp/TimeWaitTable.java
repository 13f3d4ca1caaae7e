package io.ringstack.tcp;

import io.ringstack.iface.TimerListener;
import io.ringstack.iface.Timers;
import org.agrona.collections.Long2LongHashMap;

/**
 * Connections in TIME-WAIT (RFC 9293 section 3.6.1): a few words each, instead of a connection slot with its
 * rings, for 2 MSL. Enough to acknowledge a retransmitted FIN (and restart the wait), to answer anything else with
 * an ACK, and to let a new SYN with a higher sequence number reopen the pair as Linux does. The table is bounded;
 * a connection that finds it full closes without TIME-WAIT and is counted.
 * <p>
 * Every entry waits the same time, so expiry order is insertion order: a FIFO of entries, one wheel timer for its
 * head. A restarted wait moves its entry to the back when it reaches the front. Engine thread only.
 */
final class TimeWaitTable
{
    static final int TIMER_TIME_WAIT = 4;
    private static final long MISSING = -1;

    final long[] keys;
    final int[] localAddresses;
    final int[] localPorts;
    final int[] sendNext;
    final int[] receiveNext;
    final int[] receiveWindows;
    final boolean[] timestamps;
    final int[] timestampRecent;
    final int[] timestampOffsets;
    final long[] expiriesNs;
    private final int[] generations;
    private final int[] free;
    private final long[] fifo;
    private final Long2LongHashMap indexByKey;
    private final ConnectionTimer timer = new ConnectionTimer(TIMER_TIME_WAIT, 0);
    private int freeCount;
    private int fifoHead;
    private int fifoCount;

    TimeWaitTable(final int capacity)
    {
        keys = new long[capacity];
        localAddresses = new int[capacity];
        localPorts = new int[capacity];
        sendNext = new int[capacity];
        receiveNext = new int[capacity];
        receiveWindows = new int[capacity];
        timestamps = new boolean[capacity];
        timestampRecent = new int[capacity];
        timestampOffsets = new int[capacity];
        expiriesNs = new long[capacity];
        generations = new int[capacity];
        free = new int[capacity];
        fifo = new long[Math.max(2 * capacity, 1)];
        for (int i = 0; i < capacity; i++)
        {
            free[capacity - 1 - i] = i;
        }
        freeCount = capacity;
        indexByKey = new Long2LongHashMap(Math.max(capacity * 2, 8), 0.65f, MISSING);
    }

    int size()
    {
        return keys.length - freeCount;
    }

    /**
     * @return the entry for this peer and local address, or -1.
     */
    int lookup(final long key, final int localAddress)
    {
        final int entry = (int)indexByKey.get(key);
        return entry >= 0 && localAddresses[entry] == localAddress ? entry : -1;
    }

    /**
     * Take the state TIME-WAIT needs from a connection.
     *
     * @return the entry, or -1 when the table is full.
     */
    int add(final TcpConnection connection, final int receiveWindow, final long expiryNs, final Timers timers,
        final TimerListener listener)
    {
        if (freeCount == 0)
        {
            return -1;
        }
        final int entry = free[--freeCount];
        keys[entry] = connection.key;
        localAddresses[entry] = connection.localAddress;
        localPorts[entry] = connection.localPort;
        sendNext[entry] = connection.sendNext;
        receiveNext[entry] = connection.receiveNext;
        receiveWindows[entry] = receiveWindow;
        timestamps[entry] = connection.timestamps;
        timestampRecent[entry] = connection.timestampRecent;
        timestampOffsets[entry] = connection.timestampOffset;
        expiriesNs[entry] = expiryNs;
        indexByKey.put(connection.key, entry);
        append(entry);
        if (!timer.isArmed())
        {
            timer.arm(expiryNs, timers, listener);
        }
        return entry;
    }

    /**
     * Wait 2 MSL again from now, after a retransmitted FIN: the entry moves to the back of the FIFO, leaving a
     * stale record behind.
     */
    void restart(final int entry, final long expiryNs)
    {
        expiriesNs[entry] = expiryNs;
        generations[entry]++;
        append(entry);
    }

    /**
     * Forget an entry before it expires: a reset, or a SYN that reopens the pair.
     */
    void remove(final int entry)
    {
        indexByKey.remove(keys[entry]);
        generations[entry]++;
        free[freeCount++] = entry;
    }

    /**
     * The table's wheel timer fired.
     *
     * @return {@code true} when entries may have expired: call {@link #pollExpired} until it gives -1.
     */
    boolean onTimer(final long context, final long nowNs, final Timers timers, final TimerListener listener)
    {
        return timer.onExpiry(context, nowNs, timers, listener);
    }

    /**
     * @return an expired entry, still in the table for the caller to read and {@link #remove}, or -1 when none is
     * left; then the timer is armed for the next.
     */
    int pollExpired(final long nowNs, final Timers timers, final TimerListener listener)
    {
        while (fifoCount > 0)
        {
            final long head = fifo[fifoHead];
            final int entry = (int)head;
            if ((int)(head >>> 32) != generations[entry])
            {
                pop();
                continue;
            }
            if (nowNs - expiriesNs[entry] < 0)
            {
                timer.arm(expiriesNs[entry], timers, listener);
                return -1;
            }
            pop();
            return entry;
        }
        return -1;
    }

    /**
     * Records go to the back of the FIFO. A full FIFO holds at least {@code capacity} stale records (every live entry
     * has one current record, and the FIFO is twice the capacity): they are dropped, in order, to make room.
     */
    private void append(final int entry)
    {
        if (fifoCount == fifo.length)
        {
            dropStaleRecords();
        }
        fifo[(fifoHead + fifoCount) % fifo.length] = ((long)generations[entry] << 32) | entry;
        fifoCount++;
    }

    private void dropStaleRecords()
    {
        int kept = 0;
        for (int i = 0; i < fifoCount; i++)
        {
            final long record = fifo[(fifoHead + i) % fifo.length];
            if ((int)(record >>> 32) == generations[(int)record])
            {
                fifo[(fifoHead + kept++) % fifo.length] = record;
            }
        }
        fifoCount = kept;
    }

    private void pop()
    {
        fifoHead = (fifoHead + 1) % fifo.length;
        fifoCount--;
    }
}
