package io.ringstack.socket.local;

import io.ringstack.ring.ByteRing;
import io.ringstack.socket.FdTable;
import io.ringstack.socket.SocketFamily;
import java.util.concurrent.TimeUnit;
import org.agrona.BitUtil;

import static io.ringstack.errno.Errno.EINVAL;
import static io.ringstack.errno.Errno.EPROTONOSUPPORT;
import static io.ringstack.socket.SocketConstants.SOCK_DGRAM;
import static io.ringstack.socket.SocketConstants.SOCK_STREAM;

/**
 * The {@code AF_UNIX} family: local stream and datagram sockets that bypass IP, with the namespace their names
 * live in. Stream data crosses in one off-heap {@link ByteRing} per direction, datagrams in an off-heap many-to-one
 * queue per bound receiver. Every operation is one non-blocking attempt; {@code Sockets} waits.
 * <p>
 * Deliberate departures from Linux, each the result the seed's {@code unix_socket_test} expects:
 * {@code socketpair} makes {@code SOCK_STREAM} pairs only, {@code SOCK_DGRAM} gives {@code EINVAL} (Linux would
 * make a datagram pair); a non-zero protocol gives {@code EINVAL} from {@code socketpair} and
 * {@code EPROTONOSUPPORT} from {@code socket} (Linux accepts {@code PF_UNIX}, 1, in both). The stream socket's
 * own differences are described on its {@code accept} and {@code shutdown}.
 */
public final class LocalSockets implements SocketFamily
{
    /** Bytes per direction of a stream connection: the seed kernel's {@code UNIX_SOCKET_BUFFER_SIZE}. */
    public static final int DEFAULT_STREAM_BUFFER_CAPACITY = 65536;
    /** Bytes of records a bound datagram socket queues; a message may be up to an eighth of it. */
    public static final int DEFAULT_DATAGRAM_QUEUE_CAPACITY = 256 * 1024;
    /** How long blocking calls wait until the application sets a timeout of its own. */
    public static final long DEFAULT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private final LocalNames names = new LocalNames();
    private final int streamBufferCapacity;
    private final int datagramQueueCapacity;
    private final long defaultTimeoutNs;

    public LocalSockets()
    {
        this(DEFAULT_STREAM_BUFFER_CAPACITY, DEFAULT_DATAGRAM_QUEUE_CAPACITY, DEFAULT_TIMEOUT_NS);
    }

    /**
     * @param streamBufferCapacity bytes per direction of a stream connection, a power of two.
     * @param datagramQueueCapacity bytes of a bound datagram socket's queue, a power of two of at least 64.
     * @param defaultTimeoutNs how long blocking calls on these sockets wait by default, positive.
     */
    public LocalSockets(final int streamBufferCapacity, final int datagramQueueCapacity, final long defaultTimeoutNs)
    {
        if (!BitUtil.isPowerOfTwo(streamBufferCapacity))
        {
            throw new IllegalArgumentException("stream buffer capacity must be a power of two: " +
                streamBufferCapacity);
        }
        if (!BitUtil.isPowerOfTwo(datagramQueueCapacity) || datagramQueueCapacity < 64)
        {
            throw new IllegalArgumentException("datagram queue capacity must be a power of two of at least 64: " +
                datagramQueueCapacity);
        }
        if (defaultTimeoutNs <= 0)
        {
            throw new IllegalArgumentException("default timeout must be positive: " + defaultTimeoutNs);
        }
        this.streamBufferCapacity = streamBufferCapacity;
        this.datagramQueueCapacity = datagramQueueCapacity;
        this.defaultTimeoutNs = defaultTimeoutNs;
    }

    /**
     * @param protocol must be 0, else {@code -EPROTONOSUPPORT}; a type other than stream or datagram gives
     * {@code -EINVAL}.
     */
    public int open(
        final FdTable fds, final int type, final int protocol, final int statusFlags, final int descriptorFlags)
    {
        if (protocol != 0)
        {
            return -EPROTONOSUPPORT;
        }
        switch (type)
        {
            case SOCK_STREAM:
                return fds.install(new LocalStreamSocket(this, statusFlags, descriptorFlags));
            case SOCK_DGRAM:
                return fds.install(new LocalDatagramSocket(this, statusFlags, descriptorFlags));
            default:
                return -EINVAL;
        }
    }

    /**
     * A connected stream pair. {@code SOCK_DGRAM} and a non-zero protocol give {@code -EINVAL}, as the seed
     * expects.
     */
    public int openPair(
        final FdTable fds,
        final int type,
        final int protocol,
        final int statusFlags,
        final int descriptorFlags,
        final int[] sv)
    {
        if (type != SOCK_STREAM || protocol != 0)
        {
            return -EINVAL;
        }
        final LocalStreamSocket first = new LocalStreamSocket(this, statusFlags, descriptorFlags);
        final LocalStreamSocket second = new LocalStreamSocket(this, statusFlags, descriptorFlags);
        LocalStreamSocket.join(first, second);
        final int firstFd = fds.install(first);
        if (firstFd < 0)
        {
            return firstFd;
        }
        final int secondFd = fds.install(second);
        if (secondFd < 0)
        {
            fds.remove(firstFd);
            return secondFd;
        }
        sv[0] = firstFd;
        sv[1] = secondFd;
        return 0;
    }

    LocalNames names()
    {
        return names;
    }

    int streamBufferCapacity()
    {
        return streamBufferCapacity;
    }

    int datagramQueueCapacity()
    {
        return datagramQueueCapacity;
    }

    long defaultTimeoutNs()
    {
        return defaultTimeoutNs;
    }
}
