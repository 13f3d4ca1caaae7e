package io.ringstack.udp;

import io.ringstack.errno.Errno;
import io.ringstack.iface.EphemeralPorts;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.iface.Ipv4Addresses;

/**
 * The engine's UDP sockets, by slot and by local port. Engine thread only.
 * <p>
 * Ports are exclusive (no {@code SO_REUSEADDR}); port 0 binds an ephemeral port from 49152-65535 (RFC 6335),
 * as does the first send on an unbound socket.
 */
public final class UdpTable
{
    private static final int PORTS = 0x1_0000;

    private final UdpEndpoint[] endpoints;
    /** The socket bound to each port, indexed by the port itself: one load per received datagram, no hashing. */
    private final UdpEndpoint[] endpointByPort = new UdpEndpoint[PORTS];
    private final InterfaceConfig config;
    private final EphemeralPorts ephemeralPorts = new EphemeralPorts();

    public UdpTable(final int capacity, final InterfaceConfig config)
    {
        endpoints = new UdpEndpoint[capacity];
        this.config = config;
    }

    public int capacity()
    {
        return endpoints.length;
    }

    public void open(final int slot, final UdpEndpoint endpoint)
    {
        endpoints[slot] = endpoint;
    }

    public UdpEndpoint endpoint(final int slot)
    {
        return slot >= 0 && slot < endpoints.length ? endpoints[slot] : null;
    }

    /**
     * @return 0, or {@code -EINVAL} (already bound, bad port), {@code -EADDRNOTAVAIL} (not our address),
     * {@code -EADDRINUSE}.
     */
    public int bind(final int slot, final int address, final int port)
    {
        final UdpEndpoint endpoint = endpoint(slot);
        if (endpoint == null)
        {
            return -Errno.EBADF;
        }
        if (endpoint.isBound() || port < 0 || port > 0xFFFF)
        {
            return -Errno.EINVAL;
        }
        if (address != 0 && address != config.address() && !Ipv4Addresses.isLoopback(address))
        {
            return -Errno.EADDRNOTAVAIL;
        }
        final int chosen = port == 0 ? freeEphemeralPort() : port;
        if (chosen == 0)
        {
            return -Errno.EADDRINUSE;
        }
        if (endpointByPort[chosen] != null)
        {
            return -Errno.EADDRINUSE;
        }
        endpointByPort[chosen] = endpoint;
        endpoint.localAddress = address;
        endpoint.localPort = chosen;
        return 0;
    }

    /**
     * Set the default peer; binds an ephemeral port first if the socket is unbound. Port 0 dissolves the
     * association, as {@code AF_UNSPEC} does.
     */
    public int connect(final int slot, final int address, final int port)
    {
        final UdpEndpoint endpoint = endpoint(slot);
        if (endpoint == null)
        {
            return -Errno.EBADF;
        }
        if (port < 0 || port > 0xFFFF)
        {
            return -Errno.EINVAL;
        }
        if (!endpoint.isBound())
        {
            final int bound = bind(slot, 0, 0);
            if (bound < 0)
            {
                return bound;
            }
        }
        endpoint.remoteAddress = port == 0 ? 0 : address;
        endpoint.remotePort = port;
        return 0;
    }

    public void close(final int slot)
    {
        final UdpEndpoint endpoint = endpoint(slot);
        if (endpoint != null)
        {
            if (endpoint.isBound())
            {
                endpointByPort[endpoint.localPort] = null;
            }
            endpoints[slot] = null;
        }
    }

    /**
     * @param port a port as the wire carries it, 0-65535.
     * @return the socket bound to {@code port}, or {@code null}.
     */
    public UdpEndpoint lookup(final int port)
    {
        return endpointByPort[port & 0xFFFF];
    }

    private int freeEphemeralPort()
    {
        for (int i = 0; i < EphemeralPorts.COUNT; i++)
        {
            final int port = ephemeralPorts.next();
            if (endpointByPort[port] == null)
            {
                return port;
            }
        }
        return 0;
    }
}
