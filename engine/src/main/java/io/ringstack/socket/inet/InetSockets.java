package io.ringstack.socket.inet;

import io.ringstack.engine.EngineClient;
import io.ringstack.errno.Errno;
import io.ringstack.socket.FdTable;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.SocketFamily;
import io.ringstack.tcp.TcpSocketBoard;

/**
 * The {@code AF_INET} family over an engine: UDP sockets whose calls travel to the engine as commands and whose
 * received datagrams come back through a per-socket ring; TCP sockets whose state changes are commands and whose
 * bytes move through the connection's rings ({@link TcpSocketFile}).
 */
public final class InetSockets implements SocketFamily
{
    private final EngineClient client;
    private final TcpSocketBoard tcpBoard;
    private final int receiveRingCapacity;
    private final long timeoutNs;

    /**
     * @param tcpBoard where TCP connections' rings and doorbells are shared with the engine, or {@code null} for an
     *                 engine without TCP.
     * @param receiveRingCapacity bytes of unread datagrams each socket may hold, a power of two.
     * @param timeoutNs default timeout of blocking calls, and how long a call waits for the engine to answer.
     */
    public InetSockets(
        final EngineClient client, final TcpSocketBoard tcpBoard, final int receiveRingCapacity, final long timeoutNs)
    {
        this.client = client;
        this.tcpBoard = tcpBoard;
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
        if (type == SocketConstants.SOCK_STREAM)
        {
            if (protocol != 0 && protocol != SocketConstants.IPPROTO_TCP)
            {
                return -Errno.EPROTONOSUPPORT;
            }
            if (tcpBoard == null)
            {
                return -Errno.EPROTONOSUPPORT;
            }
            return TcpSocketFile.open(fds, client, tcpBoard, statusFlags, descriptorFlags, timeoutNs);
        }
        return -Errno.EINVAL;
    }

    public int openPair(final FdTable fds, final int type, final int protocol, final int statusFlags,
        final int descriptorFlags, final int[] sv)
    {
        return -Errno.EOPNOTSUPP;
    }
}
