package io.ringstack.tcp;

import io.ringstack.iface.TimerListener;
import io.ringstack.iface.Timers;
import org.agrona.collections.Long2LongHashMap;

/**
 * Half-open passive connections: a SYN reached a listener and was answered with a SYN-ACK; the handshake ends
 * when the final ACK arrives (a {@link TcpConnection} is made then) or when the SYN-ACK has been retransmitted
 * too often. An entry is a few words, not a connection: a flood of SYNs fills this bounded pool, then
 * {@link SynCookies} take over, and the connection slots stay free for handshakes that complete.
 * Arrays indexed by entry; engine thread only; nothing allocates once built.
 */
final class SynQueue
{
    static final int TIMER_SYN_ACK = 3;
    private static final long MISSING = -1;

    final long[] keys;
    final int[] listenerSlots;
    final int[] localAddresses;
    final int[] remoteAddresses;
    final int[] localPorts;
    final int[] remotePorts;
    final int[] initialSendSequences;
    final int[] initialReceiveSequences;
    final int[] peerMss;
    /** The peer's window shift, or -1 when its SYN had no window scale option. */
    final int[] peerWindowShifts;
    final boolean[] sackPermitted;
    final boolean[] timestamps;
    /** The SYN asked for ECN and the engine accepts it: the SYN-ACK is an ECN-setup SYN-ACK (RFC 3168 6.1.1). */
    final boolean[] ecn;
    final int[] timestampRecent;
    final int[] timestampOffsets;
    final int[] retransmissions;
    final long[] timeoutsNs;
    /** When the first SYN-ACK went. */
    final long[] synAckSentNs;
    /** The SYN-ACK went again (a timeout or a repeated SYN): its ACK gives no RTT sample (Karn). */
    final boolean[] synAckResent;
    final ConnectionTimer[] timers;
    private final boolean[] inUse;
    private final int[] free;
    private final Long2LongHashMap indexByKey;
    private int freeCount;

    SynQueue(final int capacity)
    {
        keys = new long[capacity];
        listenerSlots = new int[capacity];
        localAddresses = new int[capacity];
        remoteAddresses = new int[capacity];
        localPorts = new int[capacity];
        remotePorts = new int[capacity];
        initialSendSequences = new int[capacity];
        initialReceiveSequences = new int[capacity];
        peerMss = new int[capacity];
        peerWindowShifts = new int[capacity];
        sackPermitted = new boolean[capacity];
        timestamps = new boolean[capacity];
        ecn = new boolean[capacity];
        timestampRecent = new int[capacity];
        timestampOffsets = new int[capacity];
        retransmissions = new int[capacity];
        timeoutsNs = new long[capacity];
        synAckSentNs = new long[capacity];
        synAckResent = new boolean[capacity];
        timers = new ConnectionTimer[capacity];
        inUse = new boolean[capacity];
        free = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            timers[i] = new ConnectionTimer(TIMER_SYN_ACK, i);
            free[capacity - 1 - i] = i;
        }
        freeCount = capacity;
        indexByKey = new Long2LongHashMap(capacity * 2, 0.65f, MISSING);
    }

    int capacity()
    {
        return keys.length;
    }

    boolean isFull()
    {
        return freeCount == 0;
    }

    boolean isInUse(final int entry)
    {
        return inUse[entry];
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
     * @return a new entry holding the key, or -1 when the pool is empty.
     */
    int add(final long key)
    {
        if (freeCount == 0)
        {
            return -1;
        }
        final int entry = free[--freeCount];
        inUse[entry] = true;
        keys[entry] = key;
        retransmissions[entry] = 0;
        synAckResent[entry] = false;
        indexByKey.put(key, entry);
        return entry;
    }

    void remove(final int entry, final Timers engineTimers)
    {
        timers[entry].cancel(engineTimers);
        indexByKey.remove(keys[entry]);
        inUse[entry] = false;
        free[freeCount++] = entry;
    }

    void armRetransmission(final int entry, final long deadlineNs, final Timers engineTimers,
        final TimerListener listener)
    {
        timers[entry].arm(deadlineNs, engineTimers, listener);
    }
}
