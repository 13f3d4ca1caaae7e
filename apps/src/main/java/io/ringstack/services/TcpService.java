package io.ringstack.services;

import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.Sockets;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A TCP service: a listener on one port, an accept loop, and one thread per connection up to a bound; a
 * connection beyond the bound is closed at once. Subclasses say what a connection does.
 */
public abstract class TcpService implements Service
{
    private static final long POLL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long IDLE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    private static final int BACKLOG = 64;
    private static final int MAX_CONNECTIONS = 64;

    protected final Sockets sockets;
    private final int port;
    private final String name;
    private final Semaphore connections = new Semaphore(MAX_CONNECTIONS);
    private volatile boolean running;
    private Thread acceptor;
    private int listener = -1;

    protected TcpService(final Sockets sockets, final int port, final String name)
    {
        this.sockets = sockets;
        this.port = port;
        this.name = name;
    }

    public String description()
    {
        return "tcp " + name + " :" + port;
    }

    public int start()
    {
        listener = sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_STREAM, 0);
        if (listener < 0)
        {
            return listener;
        }
        int result = sockets.bind(listener, SockAddr.inet(SocketConstants.INADDR_ANY, port));
        if (result >= 0)
        {
            result = sockets.listen(listener, BACKLOG);
        }
        if (result < 0)
        {
            sockets.close(listener);
            return result;
        }
        sockets.setReceiveTimeout(listener, POLL_NS);
        running = true;
        acceptor = new Thread(this::acceptLoop, "tcp-" + name + "-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
        return 0;
    }

    private void acceptLoop()
    {
        while (running)
        {
            final int fd = sockets.accept(listener, null);
            if (fd < 0)
            {
                continue;
            }
            if (!connections.tryAcquire())
            {
                sockets.close(fd);
                continue;
            }
            sockets.setReceiveTimeout(fd, IDLE_TIMEOUT_NS);
            final Thread connection = new Thread(() -> serveAndClose(fd), "tcp-" + name + "-" + port + "-fd" + fd);
            connection.setDaemon(true);
            connection.start();
        }
    }

    private void serveAndClose(final int fd)
    {
        try
        {
            serve(fd);
        }
        finally
        {
            sockets.close(fd);
            connections.release();
        }
    }

    /**
     * Serve one accepted connection until it ends; the caller closes it.
     */
    protected abstract void serve(int fd);

    /**
     * Write all of {@code bytes}.
     *
     * @return {@code false} if the connection failed first.
     */
    protected final boolean writeFully(final int fd, final byte[] bytes, final int offset, final int length)
    {
        int written = 0;
        while (written < length)
        {
            final int result = sockets.write(fd, bytes, offset + written, length - written);
            if (result <= 0)
            {
                return false;
            }
            written += result;
        }
        return true;
    }

    protected final boolean isRunning()
    {
        return running;
    }

    public void close()
    {
        running = false;
        if (acceptor != null)
        {
            try
            {
                acceptor.join(TimeUnit.NANOSECONDS.toMillis(POLL_NS) * 10);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        if (listener >= 0)
        {
            sockets.close(listener);
        }
    }
}
