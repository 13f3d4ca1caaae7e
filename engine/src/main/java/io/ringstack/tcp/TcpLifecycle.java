package io.ringstack.tcp;

import io.ringstack.config.Setting;
import io.ringstack.config.Settings;
import io.ringstack.errno.Errno;
import io.ringstack.iface.EngineCounters;
import io.ringstack.iface.TimerListener;
import io.ringstack.iface.Timers;

/**
 * A connection's life between the states that change who holds it (RFC 9293 3.3.2):
 * <pre>
 *   SYN-SENT / SYN-RECEIVED ──establish──► ESTABLISHED (an active open's application learns it from the stream;
 *                                          a passive open joins its listener's accept queue)
 *   any ──RST / abort / timeout──► CLOSED with the errno its application reads
 *   LAST-ACK acknowledged, orphan FIN-WAIT-2 timed out ──finish──► CLOSED
 *   both FINs acknowledged ──► TIME-WAIT, a compact entry in the {@link TimeWaitTable}; the slot is done
 *   CLOSED, held by no socket and no accept queue ──► slot back to the {@link TcpConnectionTable}
 * </pre>
 * It also arms the idle timer for the state a connection is in: keepalive while established, the orphan timeout
 * in FIN-WAIT-2. Engine thread only; nothing allocates.
 */
final class TcpLifecycle
{
    private final EngineCounters counters;
    private final Timers timers;
    private final TimerListener timerListener;
    private final TcpConnectionTable table;
    private final TcpPortTable ports;
    private final TimeWaitTable timeWait;
    private final TcpListeners listeners;
    private final TcpSender sender;
    private final TcpOutputQueue output;
    private final long timeWaitNs;
    private final long finWait2TimeoutNs;

    TcpLifecycle(
        final Settings settings,
        final EngineCounters counters,
        final Timers timers,
        final TimerListener timerListener,
        final TcpConnectionTable table,
        final TcpPortTable ports,
        final TimeWaitTable timeWait,
        final TcpListeners listeners,
        final TcpSender sender,
        final TcpOutputQueue output)
    {
        this.counters = counters;
        this.timers = timers;
        this.timerListener = timerListener;
        this.table = table;
        this.ports = ports;
        this.timeWait = timeWait;
        this.listeners = listeners;
        this.sender = sender;
        this.output = output;
        timeWaitNs = settings.longValue(Setting.TCP_TIME_WAIT_NS);
        finWait2TimeoutNs = settings.longValue(Setting.TCP_FIN_WAIT_2_TIMEOUT_NS);
    }

    /**
     * The handshake completed: ESTABLISHED.
     */
    void establish(final TcpConnection connection, final long nowNs)
    {
        connection.state = TcpState.ESTABLISHED;
        connection.lastReceiveNs = nowNs;
        connection.stream.status(TcpStream.CONNECTED);
        armIdleTimer(connection, nowNs);
        if (connection.passive)
        {
            counters.tcpPassiveOpens.incrementRelease();
            listeners.enqueue(connection);
        }
        output.mark(connection);
    }

    /**
     * Arm the idle timer for the connection's state: keepalive while established, the orphan timeout in
     * FIN-WAIT-2 once no application holds the connection.
     */
    void armIdleTimer(final TcpConnection connection, final long nowNs)
    {
        if (connection.state == TcpState.FIN_WAIT_2 && !connection.attached)
        {
            connection.idleTimer.arm(nowNs + finWait2TimeoutNs, timers, timerListener);
        }
        else if (connection.options.keepAlive && connection.state.sendsData())
        {
            connection.idleTimer.arm(
                connection.lastReceiveNs + connection.options.keepAliveIdleNs, timers, timerListener);
        }
        else
        {
            connection.idleTimer.disarm();
        }
    }

    /**
     * An acceptable RST arrived: the connection ends with the error Linux reports for its state.
     */
    void onReset(final TcpConnection connection)
    {
        final int errno;
        switch (connection.state)
        {
            case SYN_SENT:
            case SYN_RECEIVED:
                errno = connection.passive ? 0 : Errno.ECONNREFUSED;
                break;
            case CLOSE_WAIT:
                errno = Errno.EPIPE;
                break;
            default:
                errno = Errno.ECONNRESET;
                break;
        }
        terminate(connection, errno);
    }

    /**
     * End the connection with an RST: its application aborted it, or data arrived after the application closed.
     */
    void resetAndAbort(final TcpConnection connection, final long nowNs)
    {
        sender.sendReset(connection, nowNs);
        terminate(connection, Errno.ECONNRESET);
    }

    /**
     * The connection gave up: a retransmission, SYN or keepalive limit was reached. Its application reads the soft
     * error an ICMP message left, if any, else {@code ETIMEDOUT} (RFC 1122 4.2.3.9, Linux's {@code tcp_write_err}).
     */
    void timeOut(final TcpConnection connection)
    {
        counters.tcpConnectionTimeouts.incrementRelease();
        terminate(connection, connection.softError != 0 ? connection.softError : Errno.ETIMEDOUT);
    }

    /**
     * An ICMP destination unreachable ended a connect: its application reads {@code errno}.
     */
    void failConnect(final TcpConnection connection, final int errno)
    {
        counters.tcpIcmpConnectFailures.incrementRelease();
        terminate(connection, errno);
    }

    /**
     * The connection closed normally in both directions (LAST-ACK acknowledged, orphan FIN-WAIT-2 timed out), or
     * its application gave it up before the handshake ended.
     */
    void finish(final TcpConnection connection)
    {
        terminate(connection, 0);
    }

    /**
     * Both FINs are acknowledged, ours by the peer and the peer's by a segment already sent: hand the pair to the
     * TIME-WAIT table for 2 MSL; the connection slot is done.
     */
    void enterTimeWait(final TcpConnection connection, final long nowNs)
    {
        connection.state = TcpState.TIME_WAIT;
        final int window = Math.min(connection.advertisedEdge - connection.receiveNext,
            0xFFFF << connection.receiveWindowShift) >>> connection.receiveWindowShift;
        if (timeWait.add(connection, window, nowNs + timeWaitNs, timers, timerListener) >= 0)
        {
            ports.connectionAdded(connection.localPort);
        }
        else
        {
            counters.tcpTimeWaitOverflows.incrementRelease();
        }
        terminate(connection, 0);
    }

    /**
     * The connection is CLOSED, with {@code errno} for its application when it ended abnormally or 0: publish
     * that, take it off the table and the port, and free its slot unless an application or an accept queue still
     * holds it. A passive connection that ends in SYN-RECEIVED never reached its listener's accept queue (it joins
     * it when established), so its listener does not hold it: kept for the listener, it stayed in the table for
     * good.
     */
    private void terminate(final TcpConnection connection, final int errno)
    {
        final TcpStream stream = connection.stream;
        if (errno != 0)
        {
            stream.fail(errno);
            stream.stopSending();
        }
        stream.status(TcpStream.CLOSED);
        if (connection.state == TcpState.SYN_RECEIVED && connection.passive)
        {
            connection.listenerSlot = -1;
        }
        connection.state = TcpState.CLOSED;
        connection.retransmissionTimer.cancel(timers);
        connection.delayedAckTimer.cancel(timers);
        connection.idleTimer.cancel(timers);
        connection.pacingTimer.cancel(timers);
        if (connection.indexed)
        {
            table.unindex(connection);
            ports.connectionRemoved(connection.localPort);
            connection.indexed = false;
        }
        freeIfUnheld(connection);
    }

    /**
     * Return a CLOSED connection's slot to the table once no application and no accept queue holds it.
     */
    void freeIfUnheld(final TcpConnection connection)
    {
        if (connection.inUse && !connection.attached && connection.listenerSlot < 0 &&
            connection.state == TcpState.CLOSED)
        {
            connection.release(timers);
            table.free(connection);
        }
    }
}
