package io.ringstack.tcp;

/**
 * The operations on a TCP socket that {@link TcpEngine#onCommand} carries out, with what their two arguments mean.
 * Each answers at once: {@code >= 0} on success, {@code -errno} on failure. The engine's application commands use the
 * same codes.
 */
public final class TcpOperation
{
    /** Make the slot a fresh, unbound TCP socket. */
    public static final int OPEN = 16;
    /** Bind to address {@code arg0} (0 for any), port {@code arg1} (0 for an ephemeral one). */
    public static final int BIND = 17;
    /** Listen with backlog {@code arg0}. */
    public static final int LISTEN = 18;
    /** Connect to address {@code arg0}, port {@code arg1}: answers {@code -EINPROGRESS}, or an error. */
    public static final int CONNECT = 19;
    /** Accept into the new socket's slot {@code arg0}: answers the peer as {@code address << 16 | port}. */
    public static final int ACCEPT = 20;
    /** Shut down direction {@code arg0}: one of {@link #SHUT_RD}, {@link #SHUT_WR}, {@link #SHUT_RDWR}. */
    public static final int SHUTDOWN = 21;
    /** Close: a graceful FIN, or an RST with linger 0 or unread bytes. */
    public static final int CLOSE = 22;
    /** Set socket option {@code arg0} ({@link TcpSocketOptions}) to {@code arg1}. */
    public static final int SET_OPTION = 23;
    /** Answer the bound address and port as {@code address << 16 | port}. */
    public static final int LOCAL_ADDRESS = 24;

    /** POSIX {@code shutdown(2)} directions, with POSIX's values. */
    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;

    private TcpOperation()
    {
    }
}
