package io.ringstack.socket.local;

import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import java.nio.charset.StandardCharsets;

import static io.ringstack.errno.Errno.EAGAIN;
import static io.ringstack.errno.Errno.EBADF;
import static io.ringstack.errno.Errno.ECONNREFUSED;
import static io.ringstack.errno.Errno.ENOTCONN;
import static io.ringstack.errno.Errno.EPERM;
import static io.ringstack.errno.Errno.EPIPE;
import static io.ringstack.errno.Errno.EPROTOTYPE;
import static io.ringstack.socket.SocketConstants.SOCK_DGRAM;

/**
 * A local datagram socket. Only a named socket can be sent to, so the receive queue ({@link DatagramQueue}) is
 * made by {@code bind}; an unnamed socket can still send, and its messages arrive unnamed.
 * <p>
 * As Linux's {@code AF_UNIX}: a message goes whole into the receiver's queue or not at all ({@code EAGAIN} when
 * the queue is full, {@code EMSGSIZE} when it is larger than the queue takes); a name nobody holds, or whose
 * socket is closed, gives {@code ECONNREFUSED}, and one held by a stream socket {@code EPROTOTYPE}; a socket
 * connected to another cannot be sent to ({@code EPERM}). {@code connect} sets the default destination and
 * {@code connect} to an {@code AF_UNSPEC} address dissolves it. {@code shutdown} works on any datagram socket:
 * after {@code SHUT_RD} an empty queue reads as {@code 0}, which wakes a blocked receiver; after {@code SHUT_WR}
 * sends give {@code EPIPE}.
 */
final class LocalDatagramSocket extends LocalSocket
{
    private static final byte[] UNNAMED = new byte[0];

    private volatile byte[] encodedName = UNNAMED;
    private volatile DatagramQueue queue;
    private volatile LocalDatagramSocket peer;
    private volatile boolean sendShut;
    private volatile boolean receiveShut;
    private volatile boolean closed;

    LocalDatagramSocket(final LocalSockets family, final int statusFlags, final int descriptorFlags)
    {
        super(family, SOCK_DGRAM, statusFlags, descriptorFlags);
    }

    /**
     * Take the name and make the receive queue; until the queue exists the name refuses messages as if it were
     * not yet bound.
     */
    public synchronized int bind(final SockAddr address)
    {
        if (closed)
        {
            return -EBADF;
        }
        final int result = claimName(address);
        if (result == 0)
        {
            encodedName = name().getBytes(StandardCharsets.UTF_8);
            queue = new DatagramQueue(family.datagramQueueCapacity());
        }
        return result;
    }

    public int connect(final SockAddr address)
    {
        if (closed)
        {
            return -EBADF;
        }
        if (address.family() == SocketConstants.AF_UNSPEC)
        {
            peer = null;
            return 0;
        }
        final int valid = LocalNames.check(address);
        if (valid < 0)
        {
            return valid;
        }
        final LocalSocket target = family.names().find(address.path());
        final int refusal = refusal(target);
        if (refusal < 0)
        {
            return refusal;
        }
        peer = (LocalDatagramSocket)target;
        return 0;
    }

    /**
     * @param destination a name, or {@code null} for the connected peer ({@code ENOTCONN} when there is none).
     */
    public int sendTo(final byte[] src, final int offset, final int length, final SockAddr destination)
    {
        if (closed)
        {
            return -EBADF;
        }
        if (sendShut)
        {
            return -EPIPE;
        }
        final LocalSocket target;
        if (destination == null)
        {
            target = peer;
            if (target == null)
            {
                return -ENOTCONN;
            }
        }
        else
        {
            final int valid = LocalNames.check(destination);
            if (valid < 0)
            {
                return valid;
            }
            target = family.names().find(destination.path());
        }
        final int refusal = refusal(target);
        return refusal < 0 ? refusal : ((LocalDatagramSocket)target).queue.offer(src, offset, length, encodedName);
    }

    /**
     * @param source filled with the sender's name, or an unnamed local address.
     */
    public int receiveFrom(final byte[] dst, final int offset, final int length, final SockAddr source)
    {
        if (closed)
        {
            return -EBADF;
        }
        final boolean stopped = receiveShut;
        final DatagramQueue current = queue;
        final int result = current == null ? -EAGAIN : current.poll(dst, offset, length, source);
        return result == -EAGAIN && stopped ? 0 : result;
    }

    public boolean isReadable()
    {
        final DatagramQueue current = queue;
        return receiveShut || (current != null && !current.isEmpty());
    }

    public synchronized int close()
    {
        if (closed)
        {
            return -EBADF;
        }
        closed = true;
        releaseName();
        return 0;
    }

    int shutdown(final boolean reading, final boolean writing)
    {
        if (closed)
        {
            return -EBADF;
        }
        if (reading)
        {
            receiveShut = true;
        }
        if (writing)
        {
            sendShut = true;
        }
        return 0;
    }

    /**
     * @return {@code 0} when this socket may send to {@code target}, else why not.
     */
    private int refusal(final LocalSocket target)
    {
        if (!(target instanceof LocalDatagramSocket))
        {
            return target == null ? -ECONNREFUSED : -EPROTOTYPE;
        }
        final LocalDatagramSocket receiver = (LocalDatagramSocket)target;
        if (receiver.closed || receiver.queue == null)
        {
            return -ECONNREFUSED;
        }
        final LocalDatagramSocket receiversPeer = receiver.peer;
        return receiversPeer == null || receiversPeer == this ? 0 : -EPERM;
    }
}
