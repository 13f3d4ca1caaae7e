package io.ringstack.socket.inet;

import io.ringstack.socket.Errno;
import io.ringstack.socket.FdTable;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.SocketFamily;
import io.ringstack.stack.EngineClient;

/**
 * The {@code AF_INET} family over an engine: UDP sockets whose calls travel to the engine as commands and whose
 * received datagrams come back through a per-socket ring. TCP ({@code SOCK_STREAM}) arrives with the TCP engine;
 * until then it is {@code EPROTONOSUPPORT}.
 */
public final class InetSockets implements SocketFamily
{
    private final EngineClient client;
    private final int receiveRingCapacity;
    private final long timeoutNs;

    /**
     * @param receiveRingCapacity bytes of unread datagrams each socket may hold, a power of two.
     * @param timeoutNs default timeout of blocking calls, and how long a call waits for the engine to answer.
     */
    public InetSockets(final EngineClient client, final int receiveRingCapacity, final long timeoutNs)
    {
        this.client = client;
        this.receiveRingCapacity = receiveRingCapacity;
        this.timeoutNs = timeoutNs;
    }

    public int open(final FdTable fds, final int type, final int protocol, final int statusFlags,
        final int descriptorFlags)
    {
        if (type == SocketConstants.SOCK_DGRAM)
        {
            if (protocol != 0 && protocol != SocketConstants.IPPROTO_UDP)
            {
                return -Errno.EPROTONOSUPPORT;
            }
            return UdpSocketFile.open(fds, client, receiveRingCapacity, statusFlags, descriptorFlags, timeoutNs);
        }
        return type == SocketConstants.SOCK_STREAM ? -Errno.EPROTONOSUPPORT : -Errno.EINVAL;
    }

    public int openPair(final FdTable fds, final int type, final int protocol, final int statusFlags,
        final int descriptorFlags, final int[] sv)
    {
        return -Errno.EOPNOTSUPP;
    }
}
