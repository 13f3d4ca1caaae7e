package io.ringstack.socket;

import static io.ringstack.errno.Errno.EOPNOTSUPP;

/**
 * One open socket as the application sees it, behind a descriptor of a {@link FdTable}.
 * <p>
 * Every operation is a single non-blocking attempt that returns a result code: {@code >= 0} on success and
 * {@code -errno} on failure, {@code -EAGAIN} when it would have to wait. {@link Sockets} turns attempts into
 * blocking calls with deadlines for descriptors that are not {@code O_NONBLOCK}. An operation a socket family
 * does not support returns {@code -EOPNOTSUPP}, as Linux does.
 */
public abstract class SocketFile
{
    private final int type;
    private volatile int statusFlags;
    private volatile int descriptorFlags;
    private volatile long receiveTimeoutNs;
    private volatile long sendTimeoutNs;

    /**
     * @param type {@link SocketConstants#SOCK_STREAM} or {@link SocketConstants#SOCK_DGRAM}.
     * @param defaultTimeoutNs how long blocking calls wait until the application sets other timeouts.
     */
    protected SocketFile(final int type, final int statusFlags, final int descriptorFlags, final long defaultTimeoutNs)
    {
        this.type = type;
        this.statusFlags = statusFlags;
        this.descriptorFlags = descriptorFlags;
        this.receiveTimeoutNs = defaultTimeoutNs;
        this.sendTimeoutNs = defaultTimeoutNs;
    }

    public int bind(final SockAddr address)
    {
        return -EOPNOTSUPP;
    }

    public int listen(final int backlog)
    {
        return -EOPNOTSUPP;
    }

    /**
     * Take one pending connection and install it in {@code fds}.
     *
     * @param peer filled with the peer's address when not {@code null}.
     * @param flags {@link SocketConstants#SOCK_NONBLOCK} and {@link SocketConstants#SOCK_CLOEXEC} for the new one.
     * @return the new descriptor, {@code -EAGAIN} when none is pending, or another {@code -errno}.
     */
    public int accept(final FdTable fds, final SockAddr peer, final int flags)
    {
        return -EOPNOTSUPP;
    }

    /**
     * Start or complete a connection. Stream sockets whose connection needs the network return
     * {@code -EINPROGRESS} first; {@link #connectResult()} then tells how it ended.
     */
    public int connect(final SockAddr address)
    {
        return -EOPNOTSUPP;
    }

    /**
     * @return {@code 0} once an in-progress connect has completed, {@code -EINPROGRESS} while it is under way,
     * or the {@code -errno} that ended it.
     */
    public int connectResult()
    {
        return 0;
    }

    /**
     * Send to an explicit destination; {@code null} means the connected peer.
     */
    public int sendTo(final byte[] src, final int offset, final int length, final SockAddr destination)
    {
        return -EOPNOTSUPP;
    }

    /**
     * Receive into {@code dst}; {@code source} is filled with the sender when not {@code null}.
     *
     * @return bytes received, {@code 0} at end of stream, {@code -EAGAIN} when nothing is there yet.
     */
    public int receiveFrom(final byte[] dst, final int offset, final int length, final SockAddr source)
    {
        return -EOPNOTSUPP;
    }

    /**
     * Receive up to {@code count} datagrams: datagram i into {@code buffers[i]} (truncated to its length), its
     * length into {@code lengths[i]}, its sender into {@code sources[i]} when {@code sources} is not {@code null}.
     *
     * @return datagrams received, {@code -EAGAIN} when none is there yet.
     */
    public int receiveBatch(final byte[][] buffers, final int[] lengths, final SockAddr[] sources, final int count)
    {
        return -EOPNOTSUPP;
    }

    public int shutdown(final int how)
    {
        return -EOPNOTSUPP;
    }

    /**
     * Fill {@code address} with the local address; an unbound socket gives its family's unnamed or unspecified
     * address.
     */
    public int localAddress(final SockAddr address)
    {
        return -EOPNOTSUPP;
    }

    /**
     * Release what the socket holds. Called once, when its descriptor is closed.
     */
    public abstract int close();

    /**
     * Take the socket's pending error ({@code SO_ERROR}): one the socket learnt of after the call that caused it had
     * returned.
     *
     * @return {@code -errno}, or 0 when none is pending; none remains pending afterwards.
     */
    public int takeError()
    {
        return 0;
    }

    /**
     * Name the thread to wake when the socket becomes readable, or {@code null} once it no longer waits; a family
     * whose engine sends no wake-ups ignores it, and its readers wake when their back-off runs out.
     */
    public void wakeWhenReadable(final Thread thread)
    {
    }

    /**
     * @return {@code true} when a read would not block: data, end of stream, a pending connection or an error.
     */
    public boolean isReadable()
    {
        return false;
    }

    /**
     * @param sending whether the wait is a send's, for a thread named with {@link #wakeWhenWritable}, or a
     *                receive's, named with {@link #wakeWhenReadable}.
     * @return whether that thread is unparked by the engine as the socket becomes ready now, so that its wait may
     * sleep until then ({@code Progress.awaitWoken}).
     */
    public boolean wakesWaiters(final boolean sending)
    {
        return false;
    }

    /**
     * Name the thread to wake when the socket can take more to send, or {@code null} once it no longer waits; as
     * {@link #wakeWhenReadable}, a family whose engine sends no wake-ups ignores it.
     */
    public void wakeWhenWritable(final Thread thread)
    {
    }

    /**
     * @return {@code true} when a send would not block: room to send, or an error or end it would report.
     */
    public boolean isWritable()
    {
        return false;
    }

    public final int type()
    {
        return type;
    }

    public final int statusFlags()
    {
        return statusFlags;
    }

    public final void statusFlags(final int flags)
    {
        statusFlags = flags;
    }

    public final int descriptorFlags()
    {
        return descriptorFlags;
    }

    public final void descriptorFlags(final int flags)
    {
        descriptorFlags = flags;
    }

    public final boolean isNonBlocking()
    {
        return (statusFlags & SocketConstants.O_NONBLOCK) != 0;
    }

    /**
     * @return how long a blocking receive, accept or connect waits before it gives up; always finite.
     */
    public final long receiveTimeoutNs()
    {
        return receiveTimeoutNs;
    }

    public final void receiveTimeoutNs(final long timeoutNs)
    {
        receiveTimeoutNs = timeoutNs;
    }

    public final long sendTimeoutNs()
    {
        return sendTimeoutNs;
    }

    public final void sendTimeoutNs(final long timeoutNs)
    {
        sendTimeoutNs = timeoutNs;
    }
}
