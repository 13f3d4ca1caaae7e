package io.ringstack.bench;

import io.ringstack.errno.Errno;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.Sockets;
import java.util.concurrent.TimeUnit;

/**
 * A UDP echo server on a ringstack socket, on a thread of its own: a blocking {@code recvfrom}, then a
 * {@code sendto} of the same bytes back to the sender, until closed. The socket is opened and bound by the thread
 * that makes the echo, before the echo thread starts; with an embedded engine that thread hands the engine over, and
 * the echo thread's blocking calls run its duty cycles from then on.
 */
final class RingstackUdpEcho implements AutoCloseable
{
    /** How long one {@code recvfrom} waits before the thread looks whether it is to stop. */
    static final long RECEIVE_TIMEOUT_NS = TimeUnit.MILLISECONDS.toNanos(100);
    /** How long {@link #close} waits for the thread to stop. */
    static final long STOP_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(10);

    private final Sockets sockets;
    private final int fd;
    private final byte[] buffer;
    private final SockAddr source = SockAddr.inet(0, 0);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long echoed;
    private volatile int error;

    /**
     * Open and bind the socket, and start echoing.
     *
     * @param port          the UDP port to bind, on every address of the engine.
     * @param maxPayload    the longest datagram to echo whole.
     */
    RingstackUdpEcho(final Sockets sockets, final int port, final int maxPayload)
    {
        this.sockets = sockets;
        buffer = new byte[maxPayload];
        fd = Checks.errno(sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0), "socket");
        Checks.errno(sockets.bind(fd, SockAddr.inet(SocketConstants.INADDR_ANY, port)), "bind");
        Checks.errno(sockets.setReceiveTimeout(fd, RECEIVE_TIMEOUT_NS), "setReceiveTimeout");
        thread = new Thread(this::run, "udp-echo-" + port);
        thread.setDaemon(true);
        thread.start();
    }

    private void run()
    {
        while (running)
        {
            final int received = sockets.recvfrom(fd, buffer, 0, buffer.length, 0, source);
            if (received >= 0)
            {
                final int sent = sockets.sendto(fd, buffer, 0, received, 0, source);
                if (sent != received)
                {
                    error = sent < 0 ? sent : -Errno.EMSGSIZE;
                    return;
                }
                echoed++;
            }
            else if (received != -Errno.EAGAIN)
            {
                error = received;
                return;
            }
        }
    }

    /**
     * @return the datagrams echoed so far.
     */
    long echoed()
    {
        return echoed;
    }

    /**
     * Stop echoing and close the socket.
     *
     * @throws IllegalStateException if the thread did not stop in time or a call failed.
     */
    public void close()
    {
        running = false;
        try
        {
            thread.join(STOP_TIMEOUT_MS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive())
        {
            throw new IllegalStateException(thread.getName() + " did not stop in " + STOP_TIMEOUT_MS + " ms");
        }
        sockets.close(fd);
        if (0 != error)
        {
            throw new IllegalStateException(thread.getName() + " failed: " + Errno.describe(error));
        }
    }
}
