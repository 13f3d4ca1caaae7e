package io.ringstack.tcp;

import io.ringstack.config.Setting;
import io.ringstack.config.Settings;
import io.ringstack.iface.Timers;
import org.agrona.collections.Long2LongHashMap;

/**
 * The engine's connection slots, preallocated, and their index by peer: remote address, remote port and local
 * port (the local address is checked on the connection, see {@link #lookup}). Lookups, insertions and removals
 * allocate nothing: the index is sized so that it never grows. Engine thread only.
 */
final class TcpConnectionTable
{
    private static final long MISSING = -1;
    /** RACK's transmit log holds one entry per this many bytes of send buffer: room for segments of that size. */
    private static final int TRANSMIT_LOG_BYTES_PER_ENTRY = 512;

    private final TcpConnection[] connections;
    private final int[] free;
    private final Long2LongHashMap indexByKey;
    private final int sendCapacity;
    private final int receiveCapacity;
    /** Separate runs of bytes the scoreboard, RACK's lost set and an undo episode each remember. */
    private final int ranges;
    private int freeCount;
    private int live;

    TcpConnectionTable(final Settings settings)
    {
        final int capacity = settings.intValue(Setting.TCP_MAX_CONNECTIONS);
        connections = new TcpConnection[capacity];
        free = new int[capacity];
        sendCapacity = settings.intValue(Setting.TCP_SEND_BUFFER_CAPACITY);
        receiveCapacity = settings.intValue(Setting.TCP_RECEIVE_BUFFER_CAPACITY);
        final TcpCongestionAlgorithm algorithm =
            settings.choice(Setting.TCP_CONGESTION_CONTROL, TcpCongestionAlgorithm.values());
        ranges = settings.intValue(Setting.TCP_REASSEMBLY_RANGES);
        for (int i = 0; i < capacity; i++)
        {
            final RttEstimator rtt = new RttEstimator(settings.longValue(Setting.TCP_RTO_MIN_NS),
                settings.longValue(Setting.TCP_RTO_MAX_NS), settings.longValue(Setting.TCP_RTO_INITIAL_NS),
                Timers.GRANULARITY_NS);
            connections[i] = new TcpConnection(
                i, algorithm.newController(), rtt, new TcpSocketOptions(settings), ranges, ranges);
            free[capacity - 1 - i] = i;
        }
        freeCount = capacity;
        indexByKey = new Long2LongHashMap(capacity * 2, 0.65f, MISSING);
    }

    /**
     * @return the key of a connection by its peer and local port.
     */
    static long key(final int remoteAddress, final int remotePort, final int localPort)
    {
        return ((remoteAddress & 0xFFFF_FFFFL) << 32) | ((long)remotePort << 16) | localPort;
    }

    int capacity()
    {
        return connections.length;
    }

    /**
     * @return connections in use.
     */
    int live()
    {
        return live;
    }

    TcpConnection get(final int index)
    {
        return connections[index];
    }

    /**
     * Take a free slot, lowest index first after a release, with its stream allocated.
     *
     * @return the connection, not yet indexed, or {@code null} when every slot is in use.
     */
    TcpConnection allocate()
    {
        if (freeCount == 0)
        {
            return null;
        }
        final TcpConnection connection = connections[free[--freeCount]];
        if (connection.stream == null)
        {
            connection.stream = new TcpStream(sendCapacity, receiveCapacity);
            connection.rack = new Rack(sendCapacity / TRANSMIT_LOG_BYTES_PER_ENTRY, ranges);
        }
        live++;
        return connection;
    }

    /**
     * @return {@code false} when another connection already has the key.
     */
    boolean index(final TcpConnection connection)
    {
        if (indexByKey.get(connection.key) != MISSING)
        {
            return false;
        }
        indexByKey.put(connection.key, connection.index);
        return true;
    }

    boolean contains(final long key)
    {
        return indexByKey.get(key) != MISSING;
    }

    /**
     * @return the connection with this key and local address, or {@code null}.
     */
    TcpConnection lookup(final long key, final int localAddress)
    {
        final long index = indexByKey.get(key);
        if (index == MISSING)
        {
            return null;
        }
        final TcpConnection connection = connections[(int)index];
        return connection.localAddress == localAddress ? connection : null;
    }

    /**
     * Take the connection out of the index: segments for its pair no longer find it.
     */
    void unindex(final TcpConnection connection)
    {
        if (indexByKey.get(connection.key) == connection.index)
        {
            indexByKey.remove(connection.key);
        }
    }

    /**
     * Return the connection's slot; it must be out of the index.
     */
    void free(final TcpConnection connection)
    {
        free[freeCount++] = connection.index;
        live--;
    }
}
