package io.ringstack.socket.inet;

import io.ringstack.engine.Command;
import io.ringstack.engine.EngineClient;
import io.ringstack.errno.Errno;
import io.ringstack.socket.FdTable;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.SocketFile;
import io.ringstack.socket.Sockets;
import io.ringstack.tcp.TcpSocketBoard;
import io.ringstack.tcp.TcpSocketOptions;
import io.ringstack.tcp.TcpStream;

/**
 * A TCP socket as the application holds it. Calls that change connection state (bind, listen, connect, accept,
 * shutdown, close, options) are commands the engine answers at once; bytes never take a command: a write copies
 * into the connection's send ring and rings the doorbell when the engine may not be looking, a read copies out of
 * the receive ring. Every method is one attempt; {@link io.ringstack.socket.Sockets} makes blocking calls of them.
 * <p>
 * Results are Linux's, with the seed's two exceptions the engine applies ({@code listen} on an unbound socket and
 * {@code accept} on a socket that is not listening). As on Linux, the error that ended a connection
 * ({@code ECONNRESET}, {@code ETIMEDOUT}, {@code ECONNREFUSED}...) is reported once, after the bytes received
 * before it; later reads give end of stream and later writes {@code EPIPE}.
 */
public final class TcpSocketFile extends SocketFile
{
    private static final int UNCONNECTED = 0;
    private static final int LISTENING = 1;
    private static final int CONNECTING = 2;
    private static final int CONNECTED = 3;
    private static final int CLOSED = 4;

    private final EngineClient client;
    private final TcpSocketBoard board;
    private final int slot;
    private final long callTimeoutNs;
    private final Object readLock = new Object();
    private final Object writeLock = new Object();
    private volatile int state;
    private volatile TcpStream stream;
    private volatile boolean readShut;
    private volatile boolean writeShut;
    private int peerAddress;
    private int peerPort;

    private TcpSocketFile(
        final EngineClient client,
        final TcpSocketBoard board,
        final int slot,
        final int statusFlags,
        final int descriptorFlags,
        final long timeoutNs)
    {
        super(SocketConstants.SOCK_STREAM, statusFlags, descriptorFlags, timeoutNs);
        this.client = client;
        this.board = board;
        this.slot = slot;
        this.callTimeoutNs = timeoutNs;
    }

    static int open(
        final FdTable fds,
        final EngineClient client,
        final TcpSocketBoard board,
        final int statusFlags,
        final int descriptorFlags,
        final long timeoutNs)
    {
        final int slot = client.allocateSlot();
        if (slot < 0)
        {
            return slot;
        }
        final long opened = client.call(Command.TCP_OPEN, slot, 0, 0, null, 0, 0, timeoutNs);
        if (opened < 0)
        {
            client.freeSlot(slot);
            return (int)opened;
        }
        return install(fds, new TcpSocketFile(client, board, slot, statusFlags, descriptorFlags, timeoutNs));
    }

    private static int install(final FdTable fds, final TcpSocketFile file)
    {
        final int fd = fds.install(file);
        if (fd < 0)
        {
            file.close();
        }
        return fd;
    }

    /**
     * {@code setsockopt} for a TCP descriptor of {@code sockets}: {@link TcpSocketOptions} names the options.
     *
     * @return 0, {@code -EBADF}, {@code -ENOTSOCK}-like {@code -EOPNOTSUPP} for a descriptor that is not TCP, or
     * {@code -EINVAL} for an unknown option or a bad value.
     */
    public static int setOption(final Sockets sockets, final int fd, final int level, final int name, final int value)
    {
        final SocketFile file = sockets.descriptors().get(fd);
        if (file == null)
        {
            return -Errno.EBADF;
        }
        return file instanceof TcpSocketFile ? ((TcpSocketFile)file).setOption(level, name, value) : -Errno.EOPNOTSUPP;
    }

    public synchronized int setOption(final int level, final int name, final int value)
    {
        return state == CLOSED ? -Errno.EBADF : call(Command.TCP_SET_OPTION, TcpSocketOptions.optionId(level, name),
            value);
    }

    public synchronized int bind(final SockAddr address)
    {
        if (address.family() != SocketConstants.AF_INET)
        {
            return -Errno.EAFNOSUPPORT;
        }
        return state == CLOSED ? -Errno.EBADF : call(Command.TCP_BIND, address.ipv4(), address.port());
    }

    public synchronized int listen(final int backlog)
    {
        if (state != UNCONNECTED && state != LISTENING)
        {
            return state == CLOSED ? -Errno.EBADF : -Errno.EINVAL;
        }
        final int result = call(Command.TCP_LISTEN, backlog, 0);
        if (result == 0)
        {
            state = LISTENING;
        }
        return result;
    }

    /**
     * Take the oldest connection of the listener's accept queue into a new descriptor. The descriptor is reserved
     * before the connection is taken, so that a full table never costs a connection: as on Linux, {@code accept}
     * then gives {@code -EMFILE} and the connection stays queued (it still counts against the backlog) until a
     * descriptor is free.
     *
     * @param peer filled with the peer's address; for a connect to 127.0.0.1 that is 127.0.0.1.
     * @return the new descriptor; {@code -EMFILE} when the descriptor table or the engine's socket slots are full,
     * {@code -EAGAIN} when no connection waits.
     */
    public int accept(final FdTable fds, final SockAddr peer, final int flags)
    {
        if ((flags & ~(SocketConstants.SOCK_NONBLOCK | SocketConstants.SOCK_CLOEXEC)) != 0)
        {
            return -Errno.EINVAL;
        }
        final int current = state;
        if (current == CLOSED)
        {
            return -Errno.EBADF;
        }
        final int fd = fds.reserve();
        if (fd < 0)
        {
            return fd;
        }
        final int result = acceptInto(fds, fd, current, peer, flags);
        if (result < 0)
        {
            fds.cancel(fd);
        }
        return result;
    }

    /**
     * Take a connection into the reserved descriptor {@code fd}.
     *
     * @return {@code fd}, or {@code -errno} with {@code fd} left reserved.
     */
    private int acceptInto(
        final FdTable fds, final int fd, final int current, final SockAddr peer, final int flags)
    {
        if (current == LISTENING && board.pendingAccepts(slot) == 0)
        {
            return -Errno.EAGAIN;
        }
        final int newSlot = client.allocateSlot();
        if (newSlot < 0)
        {
            return newSlot;
        }
        final long accepted;
        synchronized (this)
        {
            accepted = client.call(Command.TCP_ACCEPT, slot, newSlot, 0, null, 0, 0, callTimeoutNs);
        }
        if (accepted < 0)
        {
            client.freeSlot(newSlot);
            return (int)accepted;
        }
        final TcpSocketFile connection = new TcpSocketFile(client, board, newSlot,
            (flags & SocketConstants.SOCK_NONBLOCK) != 0 ? SocketConstants.O_NONBLOCK : 0,
            (flags & SocketConstants.SOCK_CLOEXEC) != 0 ? SocketConstants.FD_CLOEXEC : 0, callTimeoutNs);
        connection.peerAddress = (int)(accepted >>> 16);
        connection.peerPort = (int)(accepted & 0xFFFF);
        connection.stream = board.stream(newSlot);
        connection.state = CONNECTED;
        if (peer != null)
        {
            peer.setInet(connection.peerAddress, connection.peerPort);
        }
        fds.fill(fd, connection);
        return fd;
    }

    /**
     * Start a connection: {@code -EINPROGRESS}, then {@link #connectResult()}. A connect while one is under way
     * gives {@code -EALREADY}, or its outcome once it has one, as on Linux; on a connected socket
     * {@code -EISCONN}.
     */
    public synchronized int connect(final SockAddr address)
    {
        switch (state)
        {
            case CONNECTED:
            case LISTENING:
                return -Errno.EISCONN;
            case CONNECTING:
                final int result = connectResult();
                return result == -Errno.EINPROGRESS ? -Errno.EALREADY : result;
            case CLOSED:
                return -Errno.EBADF;
            default:
                break;
        }
        if (address.family() != SocketConstants.AF_INET)
        {
            return -Errno.EAFNOSUPPORT;
        }
        final int result = call(Command.TCP_CONNECT, address.ipv4(), address.port());
        if (result == -Errno.EINPROGRESS)
        {
            peerAddress = address.ipv4();
            peerPort = address.port();
            stream = board.stream(slot);
            state = CONNECTING;
        }
        return result;
    }

    public synchronized int connectResult()
    {
        if (state != CONNECTING)
        {
            return 0;
        }
        final TcpStream current = stream;
        switch (current.status())
        {
            case TcpStream.CONNECTED:
                state = CONNECTED;
                return 0;
            case TcpStream.CLOSED:
                state = UNCONNECTED;
                stream = null;
                final int error = current.takeError();
                return error != 0 ? -error : -Errno.ECONNABORTED;
            default:
                return -Errno.EINPROGRESS;
        }
    }

    /**
     * Queue bytes in the send ring, as many as fit.
     *
     * @return bytes queued; {@code -EAGAIN} when the ring is full or the connection is still being made;
     * {@code -EPIPE} after {@code SHUT_WR}, on an unconnected socket, or once the connection is over.
     */
    public int sendTo(final byte[] src, final int offset, final int length, final SockAddr destination)
    {
        final TcpStream current = connectedStream();
        if (current == null)
        {
            return state == CONNECTING ? -Errno.EAGAIN : state == CLOSED ? -Errno.EBADF : -Errno.EPIPE;
        }
        if (writeShut)
        {
            return -Errno.EPIPE;
        }
        final int error = current.takeError();
        if (error != 0)
        {
            return -error;
        }
        if (current.isSendStopped() || current.status() == TcpStream.CLOSED)
        {
            return -Errno.EPIPE;
        }
        final int written;
        synchronized (writeLock)
        {
            written = current.sendRing().write(src, offset, length);
        }
        if (written > 0 && current.raiseDoorbell())
        {
            board.ring(slot);
            client.progress().rang();
        }
        return written > 0 || length == 0 ? written : -Errno.EAGAIN;
    }

    /**
     * Read what the receive ring holds.
     *
     * @return bytes read; 0 at the end of the peer's stream or after {@code SHUT_RD} once the ring is empty;
     * {@code -EAGAIN} when nothing is there yet; {@code -ENOTCONN} on a socket that was never connected.
     */
    public int receiveFrom(final byte[] dst, final int offset, final int length, final SockAddr source)
    {
        final TcpStream current = connectedStream();
        if (current == null)
        {
            return state == CONNECTING ? -Errno.EAGAIN : state == CLOSED ? -Errno.EBADF : -Errno.ENOTCONN;
        }
        // Loaded before the ring: every byte the engine published before the end is then visible to the read.
        final boolean ended = current.isPeerFinished() || current.status() == TcpStream.CLOSED;
        final int read;
        synchronized (readLock)
        {
            read = current.receiveRing().read(dst, offset, length);
        }
        if (read > 0)
        {
            if (current.claimWindowUpdate())
            {
                board.ring(slot);
                client.progress().rang();
            }
            if (source != null)
            {
                source.setInet(peerAddress, peerPort);
            }
            return read;
        }
        if (length == 0 || readShut)
        {
            return 0;
        }
        final int error = current.takeError();
        if (error != 0)
        {
            return -error;
        }
        return ended ? 0 : -Errno.EAGAIN;
    }

    /**
     * {@code SHUT_WR} sends a FIN after the queued bytes and makes later writes {@code EPIPE}; {@code SHUT_RD}
     * makes reads return what is queued, then end of stream. On an unconnected socket: {@code -ENOTCONN}.
     */
    public synchronized int shutdown(final int how)
    {
        if (state == CLOSED)
        {
            return -Errno.EBADF;
        }
        if (state == UNCONNECTED)
        {
            return -Errno.ENOTCONN;
        }
        if (how != SocketConstants.SHUT_RD)
        {
            writeShut = true;
        }
        if (how != SocketConstants.SHUT_WR)
        {
            readShut = true;
        }
        return call(Command.TCP_SHUTDOWN, how, 0);
    }

    public synchronized int localAddress(final SockAddr address)
    {
        if (state == CLOSED)
        {
            return -Errno.EBADF;
        }
        final long packed = client.call(Command.TCP_LOCAL_ADDRESS, slot, 0, 0, null, 0, 0, callTimeoutNs);
        if (packed < 0)
        {
            return (int)packed;
        }
        address.setInet((int)(packed >>> 16), (int)(packed & 0xFFFF));
        return 0;
    }

    public void wakeWhenReadable(final Thread thread)
    {
        if (state == LISTENING)
        {
            board.acceptor(slot).name(thread);
            return;
        }
        final TcpStream connected = connectedStream();
        if (connected != null)
        {
            connected.reader().name(thread);
        }
    }

    /**
     * @return whether the engine wakes this socket's waiters: a listener's as it queues a connection, a connected
     * socket's as its rings move; not while a connect is under way.
     */
    public boolean wakesWaiters(final boolean sending)
    {
        return state == LISTENING || state == CONNECTED;
    }

    public void wakeWhenWritable(final Thread thread)
    {
        final TcpStream connected = connectedStream();
        if (connected != null)
        {
            connected.writer().name(thread);
        }
    }

    public boolean isWritable()
    {
        final TcpStream connected = connectedStream();
        return connected != null && (connected.sendRing().isWritable() || connected.isSendStopped() ||
            connected.status() == TcpStream.CLOSED);
    }

    public boolean isReadable()
    {
        final int current = state;
        if (current == LISTENING)
        {
            return board.pendingAccepts(slot) > 0;
        }
        final TcpStream connected = connectedStream();
        return connected != null && (connected.receiveRing().size() > 0 || connected.isPeerFinished() ||
            connected.status() == TcpStream.CLOSED);
    }

    public synchronized int close()
    {
        if (state == CLOSED)
        {
            return -Errno.EBADF;
        }
        state = CLOSED;
        stream = null;
        final int result = call(Command.TCP_CLOSE, 0, 0);
        client.freeSlot(slot);
        return result;
    }

    /**
     * @return the stream once the connection is made (a connecting socket is promoted when it is), else
     * {@code null}.
     */
    private TcpStream connectedStream()
    {
        final int current = state;
        if (current == CONNECTED)
        {
            return stream;
        }
        if (current == CONNECTING)
        {
            synchronized (this)
            {
                if (state == CONNECTING && connectResult() == 0)
                {
                    return stream;
                }
            }
        }
        return null;
    }

    private int call(final int operation, final int arg0, final int arg1)
    {
        return (int)client.call(operation, slot, arg0, arg1, null, 0, 0, callTimeoutNs);
    }
}
