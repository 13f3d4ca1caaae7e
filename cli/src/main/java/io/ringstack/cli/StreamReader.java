package io.ringstack.cli;

import io.ringstack.errno.Errno;
import io.ringstack.socket.Sockets;

/**
 * Reads a TCP socket into a {@link Sha256Sink} until the peer closes or, when a length is known, until that many
 * bytes have come; each read waits no longer than the socket's receive timeout. Runs on its own thread or the
 * caller's.
 */
final class StreamReader implements Runnable
{
    private static final int CHUNK_BYTES = 64 * 1024;

    private final Sockets sockets;
    private final int fd;
    private final Sha256Sink sink;
    private final long length;
    private volatile int end = 1;

    /**
     * @param length how many bytes to read, or -1 to read until the peer closes.
     */
    StreamReader(final Sockets sockets, final int fd, final Sha256Sink sink, final long length)
    {
        this.sockets = sockets;
        this.fd = fd;
        this.sink = sink;
        this.length = length;
    }

    public void run()
    {
        final byte[] buffer = new byte[CHUNK_BYTES];
        int read = 0;
        while (length < 0 || sink.count() < length)
        {
            final int wanted = length < 0 ? buffer.length : (int)Math.min(buffer.length, length - sink.count());
            read = sockets.read(fd, buffer, 0, wanted);
            if (read <= 0)
            {
                break;
            }
            sink.accept(buffer, 0, read);
        }
        end = Math.min(read, 0);
    }

    /**
     * @return the sink once the read ended as it should.
     * @throws IllegalStateException saying how it ended otherwise: still running, an error, a deadline, or the
     *                               peer closing before {@code length} bytes.
     */
    Sha256Sink result(final String what, final int timeoutSeconds)
    {
        final int ended = end;
        if (ended > 0)
        {
            throw new IllegalStateException(what + ": still receiving after " + sink.count() + " bytes");
        }
        if (ended == -Errno.EAGAIN)
        {
            throw new IllegalStateException(what + ": nothing came for " + timeoutSeconds + " s after " +
                sink.count() + " bytes");
        }
        if (ended < 0)
        {
            throw new IllegalStateException(what + ": " + Errno.name(ended) + " after " + sink.count() + " bytes");
        }
        if (length >= 0 && sink.count() < length)
        {
            throw new IllegalStateException(what + ": the peer closed after " + sink.count() + " of " + length +
                " bytes");
        }
        return sink;
    }
}
