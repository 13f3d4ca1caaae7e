package io.ringstack.socket;

import io.ringstack.engine.Progress;

import static io.ringstack.errno.Errno.EAFNOSUPPORT;
import static io.ringstack.errno.Errno.EAGAIN;
import static io.ringstack.errno.Errno.EBADF;
import static io.ringstack.errno.Errno.EFAULT;
import static io.ringstack.errno.Errno.EINPROGRESS;
import static io.ringstack.errno.Errno.EINVAL;
import static io.ringstack.errno.Errno.ETIMEDOUT;
import static io.ringstack.socket.SocketConstants.AF_INET;
import static io.ringstack.socket.SocketConstants.AF_UNIX;
import static io.ringstack.socket.SocketConstants.FD_CLOEXEC;
import static io.ringstack.socket.SocketConstants.F_GETFD;
import static io.ringstack.socket.SocketConstants.F_GETFL;
import static io.ringstack.socket.SocketConstants.F_SETFD;
import static io.ringstack.socket.SocketConstants.F_SETFL;
import static io.ringstack.socket.SocketConstants.MSG_DONTWAIT;
import static io.ringstack.socket.SocketConstants.O_NONBLOCK;
import static io.ringstack.socket.SocketConstants.SOCK_CLOEXEC;
import static io.ringstack.socket.SocketConstants.SOCK_NONBLOCK;
import static io.ringstack.socket.SocketConstants.SOCK_STREAM;
import static io.ringstack.socket.SocketConstants.SOCK_TYPE_MASK;

/**
 * The socket API for application threads, shaped like POSIX: integer descriptors and results that are
 * {@code >= 0} on success and {@code -errno} on failure ({@link Errno}). Nothing here throws for a user mistake.
 * <p>
 * Blocking calls are loops of non-blocking attempts with a deadline: the socket's receive or send timeout,
 * always finite. A receive or accept that times out returns {@code -EAGAIN} (as Linux does with
 * {@code SO_RCVTIMEO}); a connect that times out returns {@code -ETIMEDOUT}.
 */
public final class Sockets
{
    /** The timeout options as Linux numbers them, to say which timeout {@link #setTimeout} sets. */
    private static final int SO_RCVTIMEO = 20;
    private static final int SO_SNDTIMEO = 21;

    private final FdTable fds;
    private final SocketFamily local;
    private final SocketFamily inet;
    private final Progress progress;

    /**
     * @param local the {@code AF_UNIX} family, or {@code null} when not offered.
     * @param inet the {@code AF_INET} family, or {@code null} when not offered.
     */
    public Sockets(final FdTable fds, final SocketFamily local, final SocketFamily inet, final Progress progress)
    {
        this.fds = fds;
        this.local = local;
        this.inet = inet;
        this.progress = progress;
    }

    public FdTable descriptors()
    {
        return fds;
    }

    public int socket(final int domain, final int type, final int protocol)
    {
        final SocketFamily family = family(domain);
        if (family == null)
        {
            return -EAFNOSUPPORT;
        }
        if (!validType(type))
        {
            return -EINVAL;
        }
        return family.open(fds, type & SOCK_TYPE_MASK, protocol, statusFlagsOf(type), descriptorFlagsOf(type));
    }

    /**
     * @param sv receives the two descriptors; {@code null} stands for a bad pointer and gives {@code -EFAULT}.
     */
    public int socketpair(final int domain, final int type, final int protocol, final int[] sv)
    {
        if (domain != AF_UNIX)
        {
            return -EAFNOSUPPORT;
        }
        if (sv == null || sv.length < 2)
        {
            return -EFAULT;
        }
        if (local == null)
        {
            return -EAFNOSUPPORT;
        }
        if (!validType(type))
        {
            return -EINVAL;
        }
        return local.openPair(
            fds, type & SOCK_TYPE_MASK, protocol, statusFlagsOf(type), descriptorFlagsOf(type), sv);
    }

    public int bind(final int fd, final SockAddr address)
    {
        final SocketFile file = fds.get(fd);
        if (file == null)
        {
            return -EBADF;
        }
        return address == null ? -EFAULT : file.bind(address);
    }

    public int listen(final int fd, final int backlog)
    {
        final SocketFile file = fds.get(fd);
        return file == null ? -EBADF : file.listen(backlog);
    }

    public int accept(final int fd, final SockAddr peer)
    {
        return accept4(fd, peer, 0);
    }

    public int accept4(final int fd, final SockAddr peer, final int flags)
    {
        final SocketFile file = fds.get(fd);
        if (file == null)
        {
            return -EBADF;
        }
        int result = file.accept(fds, peer, flags);
        if (result == -EAGAIN && !file.isNonBlocking())
        {
            final long sinceNs = System.nanoTime();
            final long deadlineNs = sinceNs + file.receiveTimeoutNs();
            for (int attempt = 0; result == -EAGAIN && awaitReady(file, false, attempt, sinceNs, deadlineNs); attempt++)
            {
                result = file.accept(fds, peer, flags);
            }
            file.wakeWhenReadable(null);
        }
        return result;
    }

    public int connect(final int fd, final SockAddr address)
    {
        final SocketFile file = fds.get(fd);
        if (file == null)
        {
            return -EBADF;
        }
        if (address == null)
        {
            return -EFAULT;
        }
        final int started = file.connect(address);
        if (started != -EINPROGRESS || file.isNonBlocking())
        {
            return started;
        }
        final long sinceNs = System.nanoTime();
        final long deadlineNs = sinceNs + file.sendTimeoutNs();
        int result = file.connectResult();
        for (int attempt = 0; result == -EINPROGRESS; attempt++)
        {
            if (!awaitProgress(attempt, sinceNs, deadlineNs))
            {
                return -ETIMEDOUT;
            }
            result = file.connectResult();
        }
        return result;
    }

    public int read(final int fd, final byte[] dst, final int offset, final int length)
    {
        return recvfrom(fd, dst, offset, length, 0, null);
    }

    public int recv(final int fd, final byte[] dst, final int offset, final int length, final int flags)
    {
        return recvfrom(fd, dst, offset, length, flags, null);
    }

    /**
     * @param source filled with the sender's address when not {@code null}.
     */
    public int recvfrom(
        final int fd, final byte[] dst, final int offset, final int length, final int flags, final SockAddr source)
    {
        final SocketFile file = fds.get(fd);
        if (file == null)
        {
            return -EBADF;
        }
        if (!validRange(dst, offset, length))
        {
            return -EFAULT;
        }
        int result = file.receiveFrom(dst, offset, length, source);
        if (result == -EAGAIN && !nonBlocking(file, flags))
        {
            final long sinceNs = System.nanoTime();
            final long deadlineNs = sinceNs + file.receiveTimeoutNs();
            for (int attempt = 0; result == -EAGAIN && awaitReady(file, false, attempt, sinceNs, deadlineNs); attempt++)
            {
                result = file.receiveFrom(dst, offset, length, source);
            }
            file.wakeWhenReadable(null);
        }
        return result;
    }

    /**
     * Receive up to {@code count} datagrams in one call, the counterpart of Linux {@code recvmmsg} with
     * {@code MSG_WAITFORONE}: a blocking call waits, up to the receive timeout, for the first datagram only, then
     * takes those already there. Datagram i goes into {@code buffers[i]}, truncated to its length, with its length
     * in {@code lengths[i]} and its sender in {@code sources[i]} when {@code sources} is not {@code null}. Only
     * datagram sockets support it.
     *
     * @return datagrams received (at least 1), or {@code -errno}: {@code -EAGAIN} when none came in time,
     * {@code -EINVAL} for a {@code count} below 1, {@code -EFAULT} when an array is missing or shorter than
     * {@code count}.
     */
    public int recvmmsg(
        final int fd, final byte[][] buffers, final int[] lengths, final SockAddr[] sources, final int count,
        final int flags)
    {
        final SocketFile file = fds.get(fd);
        if (file == null)
        {
            return -EBADF;
        }
        if (count < 1)
        {
            return -EINVAL;
        }
        if (!validBatch(buffers, lengths, sources, count))
        {
            return -EFAULT;
        }
        int result = file.receiveBatch(buffers, lengths, sources, count);
        if (result == -EAGAIN && !nonBlocking(file, flags))
        {
            final long sinceNs = System.nanoTime();
            final long deadlineNs = sinceNs + file.receiveTimeoutNs();
            for (int attempt = 0; result == -EAGAIN && awaitReady(file, false, attempt, sinceNs, deadlineNs); attempt++)
            {
                result = file.receiveBatch(buffers, lengths, sources, count);
            }
            file.wakeWhenReadable(null);
        }
        return result;
    }

    public int write(final int fd, final byte[] src, final int offset, final int length)
    {
        return sendto(fd, src, offset, length, 0, null);
    }

    public int send(final int fd, final byte[] src, final int offset, final int length, final int flags)
    {
        return sendto(fd, src, offset, length, flags, null);
    }

    /**
     * Send bytes. A blocking stream socket sends them all unless the send timeout passes first, and then reports
     * how many it sent; a datagram goes whole or not at all.
     *
     * @param destination {@code null} for the connected peer.
     */
    public int sendto(
        final int fd, final byte[] src, final int offset, final int length, final int flags,
        final SockAddr destination)
    {
        final SocketFile file = fds.get(fd);
        if (file == null)
        {
            return -EBADF;
        }
        if (!validRange(src, offset, length))
        {
            return -EFAULT;
        }
        final boolean nonBlocking = nonBlocking(file, flags);
        final boolean stream = file.type() == SOCK_STREAM;
        long sinceNs = 0;
        long deadlineNs = 0;
        int sent = 0;
        for (int attempt = 0; ; attempt++)
        {
            final int result = file.sendTo(src, offset + sent, length - sent, destination);
            if (result >= 0)
            {
                sent += result;
                if (!stream || nonBlocking || sent == length)
                {
                    return sendDone(file, attempt, stream ? sent : result);
                }
            }
            else if (result != -EAGAIN || nonBlocking)
            {
                return sendDone(file, attempt, sent > 0 ? sent : result);
            }
            if (attempt == 0)
            {
                sinceNs = System.nanoTime();
                deadlineNs = sinceNs + file.sendTimeoutNs();
            }
            if (!awaitReady(file, true, attempt, sinceNs, deadlineNs))
            {
                return sendDone(file, attempt, sent > 0 ? sent : -EAGAIN);
            }
        }
    }

    /**
     * A send returns: a call that waited clears the name of its thread, which it gave the socket to be woken by.
     */
    private static int sendDone(final SocketFile file, final int attempt, final int result)
    {
        if (attempt > 0)
        {
            file.wakeWhenWritable(null);
        }
        return result;
    }

    public int shutdown(final int fd, final int how)
    {
        final SocketFile file = fds.get(fd);
        if (file == null)
        {
            return -EBADF;
        }
        return how < 0 || how > SocketConstants.SHUT_RDWR ? -EINVAL : file.shutdown(how);
    }

    public int close(final int fd)
    {
        final SocketFile file = fds.remove(fd);
        return file == null ? -EBADF : file.close();
    }

    public int getsockname(final int fd, final SockAddr address)
    {
        final SocketFile file = fds.get(fd);
        if (file == null)
        {
            return -EBADF;
        }
        return address == null ? -EFAULT : file.localAddress(address);
    }

    /**
     * The counterpart of {@code getsockopt(fd, SOL_SOCKET, SO_ERROR)}: take the socket's pending error, such as a UDP
     * send that failed in the engine after {@code sendto} had returned.
     *
     * @return the pending error number (positive, as {@code SO_ERROR} gives it), 0 when none is pending, or
     * {@code -EBADF} for a descriptor that is not open.
     */
    public int socketError(final int fd)
    {
        final SocketFile file = fds.get(fd);
        return file == null ? -EBADF : -file.takeError();
    }

    /**
     * {@code F_GETFD}/{@code F_SETFD} ({@code FD_CLOEXEC}) and {@code F_GETFL}/{@code F_SETFL} ({@code O_NONBLOCK}).
     */
    public int fcntl(final int fd, final int command, final int argument)
    {
        final SocketFile file = fds.get(fd);
        if (file == null)
        {
            return -EBADF;
        }
        switch (command)
        {
            case F_GETFD:
                return file.descriptorFlags();
            case F_SETFD:
                file.descriptorFlags(argument & FD_CLOEXEC);
                return 0;
            case F_GETFL:
                return file.statusFlags();
            case F_SETFL:
                file.statusFlags(argument & O_NONBLOCK);
                return 0;
            default:
                return -EINVAL;
        }
    }

    /**
     * The counterpart of {@code SO_RCVTIMEO}: how long blocking receives and accepts wait.
     */
    public int setReceiveTimeout(final int fd, final long timeoutNs)
    {
        return setTimeout(fd, SO_RCVTIMEO, timeoutNs);
    }

    /**
     * The counterpart of {@code SO_SNDTIMEO}: how long blocking sends and connects wait.
     */
    public int setSendTimeout(final int fd, final long timeoutNs)
    {
        return setTimeout(fd, SO_SNDTIMEO, timeoutNs);
    }

    /**
     * @param option {@link #SO_RCVTIMEO} or {@link #SO_SNDTIMEO}.
     */
    private int setTimeout(final int fd, final int option, final long timeoutNs)
    {
        final SocketFile file = fds.get(fd);
        if (file == null)
        {
            return -EBADF;
        }
        if (timeoutNs <= 0)
        {
            return -EINVAL;
        }
        if (option == SO_RCVTIMEO)
        {
            file.receiveTimeoutNs(timeoutNs);
        }
        else
        {
            file.sendTimeoutNs(timeoutNs);
        }
        return 0;
    }

    /**
     * Between two attempts of a blocking call: wait for the engine's progress unless {@code deadlineNs} has passed.
     *
     * @return {@code false} once the deadline has passed, and the call gives up.
     */
    private boolean awaitProgress(final int attempt, final long sinceNs, final long deadlineNs)
    {
        if (System.nanoTime() - deadlineNs >= 0)
        {
            return false;
        }
        progress.await(attempt, sinceNs, deadlineNs);
        return true;
    }

    /**
     * {@link #awaitProgress} for a receive or, {@code sending}, a send: ask the socket to wake this thread when it
     * becomes readable or writable, and wait only if it is not yet, so that a datagram landing (or room made) between
     * the attempt and the request is not slept through; long, when the engine wakes the socket's waiters.
     */
    private boolean awaitReady(
        final SocketFile file, final boolean sending, final int attempt, final long sinceNs, final long deadlineNs)
    {
        if (System.nanoTime() - deadlineNs >= 0)
        {
            return false;
        }
        final Thread thread = Thread.currentThread();
        final boolean ready;
        if (sending)
        {
            file.wakeWhenWritable(thread);
            ready = file.isWritable();
        }
        else
        {
            file.wakeWhenReadable(thread);
            ready = file.isReadable();
        }
        if (!ready)
        {
            if (file.wakesWaiters(sending))
            {
                progress.awaitWoken(attempt, sinceNs, deadlineNs);
            }
            else
            {
                progress.await(attempt, sinceNs, deadlineNs);
            }
        }
        return true;
    }

    private SocketFamily family(final int domain)
    {
        switch (domain)
        {
            case AF_UNIX:
                return local;
            case AF_INET:
                return inet;
            default:
                return null;
        }
    }

    private static boolean validType(final int type)
    {
        return (type & ~(SOCK_TYPE_MASK | SOCK_NONBLOCK | SOCK_CLOEXEC)) == 0;
    }

    private static boolean nonBlocking(final SocketFile file, final int flags)
    {
        return file.isNonBlocking() || (flags & MSG_DONTWAIT) != 0;
    }

    private static int statusFlagsOf(final int type)
    {
        return (type & SOCK_NONBLOCK) != 0 ? O_NONBLOCK : 0;
    }

    private static int descriptorFlagsOf(final int type)
    {
        return (type & SOCK_CLOEXEC) != 0 ? FD_CLOEXEC : 0;
    }

    private static boolean validBatch(
        final byte[][] buffers, final int[] lengths, final SockAddr[] sources, final int count)
    {
        if (buffers == null || lengths == null || buffers.length < count || lengths.length < count ||
            (sources != null && sources.length < count))
        {
            return false;
        }
        for (int i = 0; i < count; i++)
        {
            if (buffers[i] == null || (sources != null && sources[i] == null))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean validRange(final byte[] bytes, final int offset, final int length)
    {
        return bytes != null && offset >= 0 && length >= 0 && offset <= bytes.length - length;
    }
}
