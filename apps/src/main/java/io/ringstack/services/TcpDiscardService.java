package io.ringstack.services;

import io.ringstack.socket.Sockets;

/**
 * The discard service of RFC 863 over TCP: everything received is thrown away, until the client closes.
 */
public final class TcpDiscardService extends TcpService
{
    public static final int PORT = 9;

    public TcpDiscardService(final Sockets sockets, final int port)
    {
        super(sockets, port, "discard");
    }

    protected void serve(final int fd)
    {
        final byte[] buffer = new byte[64 * 1024];
        while (isRunning() && sockets.read(fd, buffer, 0, buffer.length) > 0)
        {
            // discarded, as RFC 863 says
        }
    }
}
