package io.ringstack.services;

import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.Sockets;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP service: a listener on one port, an accept loop, and up to {@value #MAX_WORKERS} worker threads, each serving
 * one connection at a time. Accepted connections wait for a worker in a bounded {@link ConnectionQueue}; one that
 * finds the queue full, or waits in it {@value #QUEUE_TIMEOUT_SECONDS} s, is {@link #refuse refused} (HTTP answers
 * 503) instead of being closed unread or left hanging. Subclasses say what a connection does.
 */
public abstract class TcpService implements Service
{
    private static final long POLL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long IDLE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    private static final int BACKLOG = 1024;
    private static final int MAX_WORKERS = 64;
    private static final int QUEUE_CAPACITY = 1024;
    private static final int QUEUE_TIMEOUT_SECONDS = 5;
    private static final long QUEUE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(QUEUE_TIMEOUT_SECONDS);

    protected final Sockets sockets;
    private final int port;
    private final String name;
    private final ConnectionQueue waiting = new ConnectionQueue(QUEUE_CAPACITY);
    private final long queueTimeoutNs;
    private final AtomicLong refused = new AtomicLong();
    private int workers;
    private volatile boolean running;
    private Thread acceptor;
    private int listener = -1;

    protected TcpService(final Sockets sockets, final int port, final String name)
    {
        this(sockets, port, name, QUEUE_TIMEOUT_NS);
    }

    /**
     * @param queueTimeoutNs how long an accepted connection may wait for a worker before it is refused.
     */
    protected TcpService(final Sockets sockets, final int port, final String name, final long queueTimeoutNs)
    {
        this.sockets = sockets;
        this.port = port;
        this.name = name;
        this.queueTimeoutNs = queueTimeoutNs;
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
            if (fd >= 0)
            {
                if (waiting.offer(fd, System.nanoTime()))
                {
                    startWorkerIfNeeded();
                }
                else
                {
                    refuseAndClose(fd);
                }
            }
            for (int old = waiting.pollExpired(System.nanoTime(), queueTimeoutNs); old >= 0;
                old = waiting.pollExpired(System.nanoTime(), queueTimeoutNs))
            {
                refuseAndClose(old);
            }
        }
    }

    private void startWorkerIfNeeded()
    {
        if (workers < MAX_WORKERS)
        {
            workers++;
            final Thread worker = new Thread(this::workLoop, "tcp-" + name + "-" + port + "-worker" + workers);
            worker.setDaemon(true);
            worker.start();
        }
    }

    private void workLoop()
    {
        while (running)
        {
            final int fd = waiting.take(POLL_NS);
            if (fd >= 0)
            {
                sockets.setReceiveTimeout(fd, IDLE_TIMEOUT_NS);
                serveAndClose(fd);
            }
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
        }
    }

    private void refuseAndClose(final int fd)
    {
        refused.incrementAndGet();
        try
        {
            refuse(fd);
        }
        finally
        {
            sockets.close(fd);
        }
    }

    /**
     * Answer a connection no worker will serve: the queue was full or it waited too long. The caller closes it.
     * By default nothing is said; a protocol with a way to say "busy" overrides this.
     */
    protected void refuse(final int fd)
    {
    }

    /**
     * @return connections refused so far: queue full or waited too long.
     */
    public final long refusedConnections()
    {
        return refused.get();
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
        for (int fd = waiting.take(0); fd >= 0; fd = waiting.take(0))
        {
            sockets.close(fd);
        }
    }
}
