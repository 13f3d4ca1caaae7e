package io.ringstack.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;

/**
 * The kernel's UDP echo over 127.0.0.1, the peer of {@link RingstackUdpEcho}: two {@code java.nio}
 * {@link DatagramChannel}s, each connected to the other, and a thread that reads each datagram from the server's and
 * writes it back. {@link #client()} is the other end, for the caller to use.
 */
final class KernelUdpEcho implements AutoCloseable
{
    /**
     * The receive buffer each channel asks for: 1 MiB, as the engine's socket rings in the latency runs (the kernel
     * may grant less, up to its {@code net.core.rmem_max}).
     */
    static final int RECEIVE_BUFFER = 1 << 20;

    private final DatagramChannel server;
    private final DatagramChannel client;
    private final Thread thread;
    private volatile long echoed;
    private volatile IOException error;

    /**
     * Bind both channels to ephemeral ports of 127.0.0.1, connect each to the other and start echoing.
     *
     * @param maxPayload the longest datagram to echo whole.
     */
    KernelUdpEcho(final int maxPayload) throws IOException
    {
        final InetAddress loopback = InetAddress.getLoopbackAddress();
        server = DatagramChannel.open().bind(new InetSocketAddress(loopback, 0));
        client = DatagramChannel.open().bind(new InetSocketAddress(loopback, 0));
        server.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER);
        client.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER);
        server.connect(client.getLocalAddress());
        client.connect(server.getLocalAddress());
        final ByteBuffer buffer = ByteBuffer.allocateDirect(maxPayload);
        thread = new Thread(() -> echo(buffer), "kernel-udp-echo");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * @return the client's channel: blocking, connected to the echo.
     */
    DatagramChannel client()
    {
        return client;
    }

    /**
     * @return the datagrams echoed so far.
     */
    long echoed()
    {
        return echoed;
    }

    private void echo(final ByteBuffer buffer)
    {
        try
        {
            while (true)
            {
                buffer.clear();
                server.read(buffer);
                buffer.flip();
                server.write(buffer);
                echoed++;
            }
        }
        catch (final ClosedChannelException ex)
        {
            // closed: the end of the run
        }
        catch (final IOException ex)
        {
            error = ex;
        }
    }

    /**
     * Close both channels, which ends the echo thread.
     *
     * @throws IOException if the echo failed before it was closed.
     */
    public void close() throws IOException
    {
        client.close();
        server.close();
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        if (null != error)
        {
            throw error;
        }
    }
}
