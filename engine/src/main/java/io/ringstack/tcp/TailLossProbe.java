package io.ringstack.tcp;

import io.ringstack.iface.TimerListener;
import io.ringstack.iface.Timers;
import java.util.concurrent.TimeUnit;

/**
 * The tail loss probe of RFC 8985 section 7: while a SACK connection has data outstanding, its retransmission timer
 * first runs the probe timeout
 * <pre>
 *   PTO = 2 SRTT                                    (section 7.2)
 *   PTO += WCDelAckT (200 ms) when one segment is outstanding and the peer holds nothing out of order, as it may
 *          delay its ACK, else 2 ms, so that an ACK a busy peer or path holds back a little does not draw a probe
 *          (as Linux adds); a peer holding out-of-order data acknowledges each segment at once (RFC 5681 4.2)
 *   PTO = min(PTO, RTO)
 * </pre>
 * restarted by every transmission of new data and every ACK of new data (7.2), so that it runs from the newest
 * segment sent, and when it expires sends one probe, new data if the peer's window allows, else the last segment
 * sent again (7.3), so that a lost tail is repaired by the ACK the probe draws instead of a retransmission timeout.
 * One probe per episode: the next is allowed once an ACK acknowledges new data. The first SRTT may come from the
 * handshake, either way (RFC 6298 section 2.2), so probes start with the first flight.
 * <p>
 * Section 7.2 schedules no probe in fast recovery; here the probe runs there too. A recovery of a small window has
 * a few segments in flight (the repair and one or two new ones, at a cwnd of 2 after the reductions of a lossy path),
 * and a receiver acknowledges them in one or two ACKs (Linux compresses its SACKs after the third duplicate): when
 * those are lost, nothing is left to draw an ACK and the connection waited out the 200 ms RTO with its data
 * delivered: both timeouts of a 2 MiB download through the relay at 5 % loss both ways, and two of the six timeouts of
 * forty such transfers on the virtual clock. The probe's ACK ends the recovery, or shows RACK the repair lost (a probe
 * of new data is sent after it and delivered).
 * Engine thread only; nothing allocates.
 */
final class TailLossProbe
{
    /** RFC 8985 section 7.2, WCDelAckT: the worst case delayed ACK timer. */
    static final long WORST_CASE_DELAYED_ACK_NS = TimeUnit.MILLISECONDS.toNanos(200);
    /** What the PTO adds to 2 SRTT when more than one segment is outstanding: Linux's TCP_TIMEOUT_MIN. */
    static final long MIN_ACK_SLACK_NS = TimeUnit.MILLISECONDS.toNanos(2);

    private TailLossProbe()
    {
    }

    /**
     * Arm the connection's retransmission timer: the probe timeout when a probe is allowed and sooner than the RTO,
     * else the RTO.
     */
    static void armTimer(
        final TcpConnection connection, final long nowNs, final Timers timers, final TimerListener listener)
    {
        final long rtoNs = connection.rtt.rtoNs();
        final long ptoNs = isAllowed(connection) ? probeTimeoutNs(connection) : rtoNs;
        connection.lossProbeArmed = ptoNs < rtoNs;
        connection.rackTimerArmed = false;
        connection.retransmissionTimer.arm(nowNs + Math.min(ptoNs, rtoNs), timers, listener);
    }

    /**
     * RFC 8985 section 7.2: new data went out, so the probe timeout runs again from now when a probe is allowed,
     * the timer runs the probe timeout or would run it sooner than the RTO it runs, and the PTO is below the RTO.
     */
    static void onNewDataSent(
        final TcpConnection connection, final long nowNs, final Timers timers, final TimerListener listener)
    {
        if (connection.rackTimerArmed || !isAllowed(connection))
        {
            return;
        }
        final long ptoNs = probeTimeoutNs(connection);
        final ConnectionTimer timer = connection.retransmissionTimer;
        if (ptoNs < connection.rtt.rtoNs() && (connection.lossProbeArmed || nowNs + ptoNs - timer.deadlineNs() < 0))
        {
            connection.lossProbeArmed = true;
            timer.arm(nowNs + ptoNs, timers, listener);
        }
    }

    /**
     * Let the retransmission timer run RACK's reordering timer (RFC 8985 section 6.3) when it expires sooner than
     * what the timer runs now; the probe or RTO is armed again when it has run.
     */
    static void armReorderingTimer(
        final TcpConnection connection, final long deadlineNs, final Timers timers, final TimerListener listener)
    {
        final ConnectionTimer timer = connection.retransmissionTimer;
        if (!timer.isArmed() || deadlineNs - timer.deadlineNs() < 0)
        {
            connection.lossProbeArmed = false;
            connection.rackTimerArmed = true;
            timer.arm(deadlineNs, timers, listener);
        }
    }

    /**
     * @return the probe timeout of RFC 8985 section 7.2, before the RTO caps it.
     */
    static long probeTimeoutNs(final TcpConnection connection)
    {
        final boolean oneSegment = connection.scoreboard.isEmpty() &&
            connection.sendMax - connection.sendUnacknowledged <= TcpSender.payloadCapacity(connection);
        return 2 * connection.rtt.smoothedRttNs() + (oneSegment ? WORST_CASE_DELAYED_ACK_NS : MIN_ACK_SLACK_NS);
    }

    /**
     * RFC 8985 section 7.2: SACK on, not backing off after a timeout, an RTT sample taken, and no probe of this
     * episode sent yet; in fast recovery too (above).
     */
    private static boolean isAllowed(final TcpConnection connection)
    {
        return connection.sackPermitted && connection.retransmissions == 0 &&
            !connection.persisting && !connection.lossProbeSent && connection.rtt.smoothedRttNs() > 0;
    }
}
