package io.ringstack.socket.local;

import io.ringstack.socket.FdTable;
import io.ringstack.socket.SockAddr;
import java.util.ArrayDeque;

import static io.ringstack.errno.Errno.EAGAIN;
import static io.ringstack.errno.Errno.EBADF;
import static io.ringstack.errno.Errno.ECONNREFUSED;
import static io.ringstack.errno.Errno.EINVAL;
import static io.ringstack.errno.Errno.EISCONN;
import static io.ringstack.errno.Errno.ENOTCONN;
import static io.ringstack.errno.Errno.EOPNOTSUPP;
import static io.ringstack.errno.Errno.EPROTOTYPE;
import static io.ringstack.socket.SocketConstants.FD_CLOEXEC;
import static io.ringstack.socket.SocketConstants.O_NONBLOCK;
import static io.ringstack.socket.SocketConstants.SOCK_CLOEXEC;
import static io.ringstack.socket.SocketConstants.SOCK_NONBLOCK;
import static io.ringstack.socket.SocketConstants.SOCK_STREAM;

/**
 * A local stream socket: unconnected (perhaps bound), listening, or one end of a connection made of two
 * {@link StreamPipe}s, one per direction.
 * <p>
 * As Linux's {@code AF_UNIX}: {@code listen} needs a bound name ({@code EINVAL} otherwise); {@code connect} to a
 * listener completes at once, the new connection waiting in the listener's queue until accepted; a listener
 * holding {@code backlog} pending connections refuses more with {@code ECONNREFUSED}, as the seed's kernel does
 * (Linux would make the connector wait); a read on an unconnected socket gives {@code EINVAL}, a write
 * {@code ENOTCONN}. Two deliberate differences, both the seed's expected results: {@code accept} on a socket
 * that is not listening gives {@code EOPNOTSUPP} (Linux: {@code EINVAL}), and {@code shutdown} on an
 * unconnected socket gives {@code ENOTCONN}, as POSIX says (Linux accepts it silently).
 * <p>
 * Connection state changes under the socket's monitor; the data path only reads the volatile {@code state},
 * which publishes the pipes, and then works on the pipes.
 */
final class LocalStreamSocket extends LocalSocket
{
    /** Linux's default {@code somaxconn}: the longest queue of pending connections. */
    static final int MAX_BACKLOG = 4096;

    private static final int UNCONNECTED = 0;
    private static final int LISTENING = 1;
    private static final int CONNECTED = 2;
    private static final int CLOSED = 3;

    private volatile int state = UNCONNECTED;
    private StreamPipe rx;
    private StreamPipe tx;
    private String peerName;
    private ArrayDeque<LocalStreamSocket> pending;
    private int backlog;

    LocalStreamSocket(final LocalSockets family, final int statusFlags, final int descriptorFlags)
    {
        super(family, SOCK_STREAM, statusFlags, descriptorFlags);
    }

    /**
     * Connect two sockets that are not yet shared with other threads, or whose monitors the caller holds: what
     * {@code socketpair} makes, and what a {@code connect} makes of a client and a listener's new socket.
     */
    static void join(final LocalStreamSocket a, final LocalStreamSocket b)
    {
        final int capacity = a.family.streamBufferCapacity();
        final StreamPipe aToB = new StreamPipe(capacity);
        final StreamPipe bToA = new StreamPipe(capacity);
        a.establish(bToA, aToB, b.name());
        b.establish(aToB, bToA, a.name());
    }

    public synchronized int bind(final SockAddr address)
    {
        return state == CLOSED ? -EBADF : claimName(address);
    }

    /**
     * @param backlog how many connections may wait to be accepted; below 1 counts as 1, a negative value or one
     * above {@link #MAX_BACKLOG} as {@link #MAX_BACKLOG}, as Linux clamps it.
     */
    public synchronized int listen(final int backlog)
    {
        if (state == CLOSED)
        {
            return -EBADF;
        }
        if (state == CONNECTED || name() == null)
        {
            return -EINVAL;
        }
        this.backlog = backlog < 0 || backlog > MAX_BACKLOG ? MAX_BACKLOG : Math.max(backlog, 1);
        if (pending == null)
        {
            pending = new ArrayDeque<>();
        }
        state = LISTENING;
        return 0;
    }

    /**
     * Take the oldest pending connection. A socket that is not listening gives {@code -EOPNOTSUPP}, the seed's
     * expected result (Linux gives {@code EINVAL}). {@code peer} gets the connecting socket's name, usually
     * unnamed.
     */
    public synchronized int accept(final FdTable fds, final SockAddr peer, final int flags)
    {
        if ((flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0)
        {
            return -EINVAL;
        }
        if (state != LISTENING)
        {
            return state == CLOSED ? -EBADF : -EOPNOTSUPP;
        }
        final LocalStreamSocket connection = pending.peek();
        if (connection == null)
        {
            return -EAGAIN;
        }
        connection.statusFlags((flags & SOCK_NONBLOCK) != 0 ? O_NONBLOCK : 0);
        connection.descriptorFlags((flags & SOCK_CLOEXEC) != 0 ? FD_CLOEXEC : 0);
        final int fd = fds.install(connection);
        if (fd >= 0)
        {
            pending.poll();
            if (peer != null)
            {
                peer.setLocal(connection.peerName);
            }
        }
        return fd;
    }

    public synchronized int connect(final SockAddr address)
    {
        switch (state)
        {
            case CONNECTED:
                return -EISCONN;
            case LISTENING:
                return -EINVAL;
            case CLOSED:
                return -EBADF;
            default:
                break;
        }
        final int valid = LocalNames.check(address);
        if (valid < 0)
        {
            return valid;
        }
        final LocalSocket target = family.names().find(address.path());
        if (target == null)
        {
            return -ECONNREFUSED;
        }
        if (!(target instanceof LocalStreamSocket))
        {
            return -EPROTOTYPE;
        }
        return ((LocalStreamSocket)target).admit(this);
    }

    /**
     * Send to the connected peer; an explicit destination gives {@code EISCONN} when connected and
     * {@code EOPNOTSUPP} when not, as on Linux.
     */
    public int sendTo(final byte[] src, final int offset, final int length, final SockAddr destination)
    {
        final int current = state;
        if (current != CONNECTED)
        {
            return current == CLOSED ? -EBADF : destination != null ? -EOPNOTSUPP : -ENOTCONN;
        }
        return destination != null ? -EISCONN : tx.write(src, offset, length);
    }

    /**
     * @param source filled with the peer's name (usually unnamed) when bytes arrive.
     */
    public int receiveFrom(final byte[] dst, final int offset, final int length, final SockAddr source)
    {
        final int current = state;
        if (current != CONNECTED)
        {
            return current == CLOSED ? -EBADF : -EINVAL;
        }
        final int count = rx.read(dst, offset, length);
        if (count > 0 && source != null)
        {
            source.setLocal(peerName);
        }
        return count;
    }

    public boolean isReadable()
    {
        switch (state)
        {
            case CONNECTED:
                return rx.isReadable();
            case LISTENING:
                synchronized (this)
                {
                    return !pending.isEmpty();
                }
            default:
                return false;
        }
    }

    public synchronized int close()
    {
        final int previous = state;
        if (previous == CLOSED)
        {
            return -EBADF;
        }
        releaseName();
        state = CLOSED;
        if (previous == CONNECTED)
        {
            rx.shutdownRead();
            tx.shutdownWrite();
        }
        else if (previous == LISTENING)
        {
            for (final LocalStreamSocket connection : pending)
            {
                connection.close();
            }
            pending.clear();
        }
        return 0;
    }

    int shutdown(final boolean reading, final boolean writing)
    {
        final int current = state;
        if (current != CONNECTED)
        {
            return current == CLOSED ? -EBADF : -ENOTCONN;
        }
        if (reading)
        {
            rx.shutdownRead();
        }
        if (writing)
        {
            tx.shutdownWrite();
        }
        return 0;
    }

    /**
     * The listener's side of {@code connect}: queue a new socket joined to {@code client}. The client holds its
     * own monitor, so locks are always taken client first, then listener.
     */
    private synchronized int admit(final LocalStreamSocket client)
    {
        if (state != LISTENING || pending.size() >= backlog)
        {
            return -ECONNREFUSED;
        }
        final LocalStreamSocket connection = new LocalStreamSocket(family, 0, 0);
        connection.inheritName(name());
        join(client, connection);
        pending.add(connection);
        return 0;
    }

    private void establish(final StreamPipe rx, final StreamPipe tx, final String peerName)
    {
        this.rx = rx;
        this.tx = tx;
        this.peerName = peerName;
        state = CONNECTED;
    }
}
