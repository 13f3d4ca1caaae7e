package io.ringstack.engine;

import io.ringstack.tcp.TcpOperation;
import io.ringstack.tcp.TcpSocketBoard;

/**
 * The layout of a command from an application thread to the engine, carried as one message of the engine's
 * many-to-one command ring; the message type is the operation code.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                         Slot                                  |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                       Argument 0 (address)                    |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                       Argument 1 (port, length)               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                         (padding)                             |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                     Call sequence (64)                        |
 *  +                                                               +
 *  |                                                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                     Payload (sends only) ...                  |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * The engine answers each command in the caller's slot of the {@link ResponseBoard}, tagged with the sequence,
 * except a command posted with the sequence {@link #UNANSWERED}: a UDP send the caller does not wait for, whose
 * result goes to the journal and, when it is an error, becomes the socket's pending error
 * ({@link io.ringstack.udp.UdpEndpoint#takeError}), as Linux reports a failure it finds after {@code sendto}
 * returned.
 */
public final class Command
{
    public static final int UDP_OPEN = 1;
    public static final int UDP_BIND = 2;
    public static final int UDP_CONNECT = 3;
    public static final int UDP_SEND = 4;
    public static final int UDP_CLOSE = 5;
    public static final int UDP_LOCAL_ADDRESS = 6;
    public static final int PING = 7;
    public static final int TCP_OPEN = TcpOperation.OPEN;
    public static final int TCP_BIND = TcpOperation.BIND;
    public static final int TCP_LISTEN = TcpOperation.LISTEN;
    public static final int TCP_CONNECT = TcpOperation.CONNECT;
    public static final int TCP_ACCEPT = TcpOperation.ACCEPT;
    public static final int TCP_SHUTDOWN = TcpOperation.SHUTDOWN;
    public static final int TCP_CLOSE = TcpOperation.CLOSE;
    public static final int TCP_SET_OPTION = TcpOperation.SET_OPTION;
    public static final int TCP_LOCAL_ADDRESS = TcpOperation.LOCAL_ADDRESS;
    /**
     * Not on the command ring: the doorbell a socket rings on its engine's TCP socket board after moving bytes in
     * its rings ({@code io.ringstack.tcp.TcpSocketBoard}); same layout, slot only, never answered. The engine
     * reports each to its tap as a command, so the journal sees when the engine learnt of the bytes.
     */
    public static final int TCP_RING_MOVED = TcpSocketBoard.DOORBELL;

    public static final int SLOT_OFFSET = 0;
    public static final int ARG0_OFFSET = 4;
    public static final int ARG1_OFFSET = 8;
    /** Written as zero, so that a journaled command's bytes depend only on what the caller asked. */
    public static final int PADDING_OFFSET = 12;
    public static final int SEQUENCE_OFFSET = 16;
    public static final int PAYLOAD_OFFSET = 24;

    /** The sequence of a command nobody waits for; answered calls count from 1 in each slot. */
    public static final long UNANSWERED = 0;

    private Command()
    {
    }
}
