package io.ringstack.tcp;

import io.ringstack.errno.Errno;
import io.ringstack.iface.EphemeralPorts;
import org.agrona.collections.Int2IntHashMap;

/**
 * Who uses each local TCP port: bound sockets (listeners among them) and connections, TIME-WAIT included. A port
 * is free to bind when nobody uses it; with {@code SO_REUSEADDR} a port that only connections use (typically a
 * restarted server's old connections in TIME-WAIT) may be bound too, as on Linux. Ephemeral ports come from
 * 49152-65535 (RFC 6335), like UDP's. Engine thread only.
 */
final class TcpPortTable
{
    private static final int NONE = -1;

    private final Int2IntHashMap socketUsers;
    private final Int2IntHashMap connectionUsers;
    private final Int2IntHashMap listenerSlots;
    private final EphemeralPorts ephemeralPorts = new EphemeralPorts();

    TcpPortTable(final int expectedPorts)
    {
        socketUsers = new Int2IntHashMap(expectedPorts, 0.65f, 0);
        connectionUsers = new Int2IntHashMap(expectedPorts, 0.65f, 0);
        listenerSlots = new Int2IntHashMap(expectedPorts, 0.65f, NONE);
    }

    /**
     * Bind a socket to {@code port}, or to an ephemeral port when it is 0.
     *
     * @return the port, or {@code -EADDRINUSE}.
     */
    int bind(final int port, final boolean reuseAddress)
    {
        final int chosen = port == 0 ? freeEphemeralPort() : port;
        if (chosen == 0 || socketUsers.get(chosen) > 0 || (!reuseAddress && connectionUsers.get(chosen) > 0))
        {
            return -Errno.EADDRINUSE;
        }
        socketUsers.put(chosen, 1);
        return chosen;
    }

    void unbind(final int port)
    {
        socketUsers.remove(port);
    }

    void listen(final int port, final int slot)
    {
        listenerSlots.put(port, slot);
    }

    void stopListening(final int port)
    {
        listenerSlots.remove(port);
    }

    /**
     * @return the slot of the listener on {@code port}, or -1.
     */
    int listener(final int port)
    {
        return listenerSlots.get(port);
    }

    void connectionAdded(final int port)
    {
        connectionUsers.put(port, connectionUsers.get(port) + 1);
    }

    void connectionRemoved(final int port)
    {
        final int users = connectionUsers.get(port) - 1;
        if (users <= 0)
        {
            connectionUsers.remove(port);
        }
        else
        {
            connectionUsers.put(port, users);
        }
    }

    private int freeEphemeralPort()
    {
        for (int i = 0; i < EphemeralPorts.COUNT; i++)
        {
            final int port = ephemeralPorts.next();
            if (socketUsers.get(port) == 0 && connectionUsers.get(port) == 0)
            {
                return port;
            }
        }
        return 0;
    }
}
