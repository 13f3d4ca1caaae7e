package io.ringstack.tcp;

import io.ringstack.iface.TimerListener;
import io.ringstack.iface.Timers;
import java.util.concurrent.TimeUnit;

/**
 * The tail loss probe of RFC 8985 section 7: while a SACK connection outside recovery has data outstanding, its
 * retransmission timer first runs the probe timeout
 * <pre>
 *   PTO = 2 SRTT                                    (section 7.2)
 *   PTO += WCDelAckT (200 ms) when one segment is outstanding, as the peer may delay its ACK
 *   PTO = min(PTO, RTO), at least the timer's granularity
 * </pre>
 * and when it expires sends one probe, new data if the windows allow, else the last segment sent again (7.3), so
 * that a lost tail is repaired by the ACK the probe draws instead of a retransmission timeout. One probe per
 * episode: the next is allowed once an ACK acknowledges new data. Engine thread only; nothing allocates.
 */
final class TailLossProbe
{
    /** RFC 8985 section 7.2, WCDelAckT: the worst case delayed ACK timer. */
    static final long WORST_CASE_DELAYED_ACK_NS = TimeUnit.MILLISECONDS.toNanos(200);

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
        long ptoNs = 2 * connection.rtt.smoothedRttNs();
        if (connection.sendMax - connection.sendUnacknowledged <= TcpSender.payloadCapacity(connection))
        {
            ptoNs += WORST_CASE_DELAYED_ACK_NS;
        }
        return Math.max(ptoNs, Timers.GRANULARITY_NS);
    }

    /**
     * RFC 8985 section 7.2: SACK on, not in recovery nor backing off after a timeout, an RTT sample taken, and no
     * probe of this episode sent yet.
     */
    private static boolean isAllowed(final TcpConnection connection)
    {
        return connection.sackPermitted && !connection.inRecovery && connection.retransmissions == 0 &&
            !connection.persisting && !connection.lossProbeSent && connection.rtt.smoothedRttNs() > 0;
    }
}
