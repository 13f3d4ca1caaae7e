package io.ringstack.services;

import io.ringstack.socket.Sockets;

/**
 * The echo service of RFC 862 over TCP: every byte received is sent back, until the client closes.
 */
public final class TcpEchoService extends TcpService
{
    public static final int PORT = 7;

    public TcpEchoService(final Sockets sockets, final int port)
    {
        super(sockets, port, "echo");
    }

    protected void serve(final int fd)
    {
        final byte[] buffer = new byte[64 * 1024];
        while (isRunning())
        {
            final int read = sockets.read(fd, buffer, 0, buffer.length);
            if (read <= 0 || !writeFully(fd, buffer, 0, read))
            {
                return;
            }
        }
    }
}
