package io.ringstack.services;

import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.Sockets;

import java.util.concurrent.TimeUnit;

/**
 * The echo service of RFC 862 over UDP: each datagram received on the port is sent back to its sender.
 */
public final class UdpEchoService implements Service
{
    public static final int PORT = 7;
    private static final long POLL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int MAX_DATAGRAM = 65_535;

    private final Sockets sockets;
    private final int port;
    private volatile boolean running;
    private Thread thread;
    private int fd = -1;

    public UdpEchoService(final Sockets sockets, final int port)
    {
        this.sockets = sockets;
        this.port = port;
    }

    public String description()
    {
        return "udp echo :" + port;
    }

    public int start()
    {
        fd = sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0);
        if (fd < 0)
        {
            return fd;
        }
        final int bound = sockets.bind(fd, SockAddr.inet(SocketConstants.INADDR_ANY, port));
        if (bound < 0)
        {
            sockets.close(fd);
            return bound;
        }
        sockets.setReceiveTimeout(fd, POLL_NS);
        running = true;
        thread = new Thread(this::serve, "udp-echo-" + port);
        thread.setDaemon(true);
        thread.start();
        return 0;
    }

    private void serve()
    {
        final byte[] buffer = new byte[MAX_DATAGRAM];
        final SockAddr peer = new SockAddr();
        while (running)
        {
            final int received = sockets.recvfrom(fd, buffer, 0, buffer.length, 0, peer);
            if (received >= 0)
            {
                sockets.sendto(fd, buffer, 0, received, 0, peer);
            }
        }
    }

    public void close()
    {
        running = false;
        if (thread != null)
        {
            try
            {
                thread.join(TimeUnit.NANOSECONDS.toMillis(POLL_NS) * 10);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        if (fd >= 0)
        {
            sockets.close(fd);
        }
    }
}
