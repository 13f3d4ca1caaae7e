package io.ringstack.tcp;

import io.ringstack.config.Setting;
import io.ringstack.config.Settings;
import io.ringstack.iface.EngineCounters;
import io.ringstack.iface.TimerListener;
import io.ringstack.iface.Timers;

/**
 * What a connection's timers do when they expire, and the acknowledgment policy that arms the delayed ACK:
 * <ul>
 *   <li>retransmission (RFC 6298 5.4-5.7): resend from SND.UNA with the loss window (with SACK, every hole the
 *       scoreboard shows is lost and goes again in order as the window opens, RFC 6675 5.1), back off, give up with
 *       {@code ETIMEDOUT} after the configured count; SYN and SYN-ACK likewise (RFC 6298 5.7); from the fourth
 *       timeout of full-size segments on, send with the base MSS of a path MTU black hole (RFC 8899 4.3);</li>
 *   <li>persist (RFC 9293 3.8.6.1): a zero-window probe, or the segment silly window avoidance held back;</li>
 *   <li>delayed ACK (RFC 9293 3.8.6.3, RFC 5681 4.2);</li>
 *   <li>idle: keepalive probes (RFC 1122 4.2.3.6) while established, the orphan FIN-WAIT-2 timeout after a
 *       close.</li>
 * </ul>
 * Engine thread only; nothing allocates.
 */
final class TcpTimeouts
{
    private static final int SEGMENTS_PER_INLINE_ACK = 16;
    private static final int BLACK_HOLE_TIMEOUTS = 3;

    private final TcpSender sender;
    private final LossRecovery recovery;
    private final TcpLifecycle lifecycle;
    private final TcpOutputQueue output;
    private final Timers timers;
    private final TimerListener timerListener;
    private final EngineCounters counters;
    private final long delayedAckNs;
    private final int maxRetransmissions;
    private final int synRetries;

    TcpTimeouts(
        final Settings settings,
        final EngineCounters counters,
        final Timers timers,
        final TimerListener timerListener,
        final TcpSender sender,
        final LossRecovery recovery,
        final TcpLifecycle lifecycle,
        final TcpOutputQueue output)
    {
        this.sender = sender;
        this.recovery = recovery;
        this.lifecycle = lifecycle;
        this.output = output;
        this.timers = timers;
        this.timerListener = timerListener;
        this.counters = counters;
        delayedAckNs = settings.longValue(Setting.TCP_DELAYED_ACK_NS);
        maxRetransmissions = settings.intValue(Setting.TCP_MAX_RETRANSMISSIONS);
        synRetries = settings.intValue(Setting.TCP_SYN_RETRIES);
    }

    /**
     * Account for an in-order data segment: acknowledge every second one (or every one when delayed ACKs are off)
     * at the end of the duty cycle, so that one ACK answers a batch, and at once every
     * {@value #SEGMENTS_PER_INLINE_ACK}th, so that a long batch still clocks the sender and one lost ACK cannot
     * stall it; a lone segment arms the delayed ACK timer, unless it left less than a segment of the window last
     * advertised: the sender can send no full segment until it hears from us, and would wait out the timer (one
     * 64 KiB segment fills the first window of a loopback connection). A segment longer than the MSS, one a device
     * took in whole for the sender's many (segmentation offload), counts as the MSS-sized segments it holds, as Linux
     * acknowledges at once more than one full-sized segment's worth (RFC 9293 section 3.8.6.3).
     */
    void onDataReceived(final TcpConnection connection, final int length, final long nowNs)
    {
        connection.segmentsSinceAck += Math.max(1, (length + connection.receiveMss - 1) / connection.receiveMss);
        if (connection.segmentsSinceAck >= SEGMENTS_PER_INLINE_ACK)
        {
            sender.sendAck(connection, nowNs);
            return;
        }
        if (delayedAckNs == 0 || connection.segmentsSinceAck >= 2 ||
            connection.advertisedEdge - connection.receiveNext < connection.receiveMss)
        {
            connection.ackNow = true;
        }
        else if (!connection.delayedAckTimer.isArmed())
        {
            connection.delayedAckTimer.arm(nowNs + delayedAckNs, timers, timerListener);
        }
        output.mark(connection);
    }

    void onDelayedAckTimer(final TcpConnection connection, final long nowNs)
    {
        if (connection.segmentsSinceAck > 0 && connection.state != TcpState.CLOSED)
        {
            connection.ackNow = true;
            output.mark(connection);
        }
    }

    void onRetransmissionTimer(final TcpConnection connection, final long nowNs)
    {
        final TcpState state = connection.state;
        if (state == TcpState.SYN_SENT || state == TcpState.SYN_RECEIVED)
        {
            if (connection.retransmissions >= synRetries)
            {
                lifecycle.timeOut(connection);
                return;
            }
            connection.retransmissions++;
            counters.tcpRetransmittedSegments.incrementRelease();
            connection.rtt.backOff();
            sender.sendSyn(connection, nowNs);
            return;
        }
        if (state == TcpState.CLOSED)
        {
            return;
        }
        if (connection.persisting)
        {
            onPersistTimer(connection, nowNs);
            return;
        }
        if (connection.sendMax == connection.sendUnacknowledged)
        {
            return;
        }
        if (connection.rackTimerArmed)
        {
            TailLossProbe.armTimer(connection, nowNs, timers, timerListener);
            recovery.onReorderingTimer(connection, nowNs);
            output.mark(connection);
            return;
        }
        if (connection.lossProbeArmed)
        {
            onLossProbeTimer(connection, nowNs);
            return;
        }
        if (++connection.retransmissions > maxRetransmissions)
        {
            lifecycle.timeOut(connection);
            return;
        }
        counters.tcpRetransmissionTimeouts.incrementRelease();
        if (isBlackHole(connection) && TcpNegotiation.fallBackToBaseMss(connection))
        {
            counters.tcpPathMtuBlackHoles.incrementRelease();
        }
        RecoveryUndo.begin(connection, nowNs);
        connection.congestion.onTimeout(connection.sendMax - connection.sendUnacknowledged, nowNs);
        connection.inRecovery = false;
        ProportionalRateReduction.end(connection);
        connection.duplicateAcks = 0;
        connection.recoveryPoint = connection.sendMax;
        connection.sendNext = connection.sackPermitted ?
            connection.rack.onTimeout(connection.scoreboard, connection.sendUnacknowledged, connection.sendMax) :
            connection.sendUnacknowledged;
        connection.rtt.stopTiming();
        connection.rtt.backOff();
        connection.lossProbeArmed = false;
        connection.retransmissionTimer.arm(nowNs + connection.rtt.rtoNs(), timers, timerListener);
        if (sender.sendNextSegment(connection, nowNs, true) == TcpSender.BLOCKED)
        {
            output.mark(connection);
        }
    }

    /**
     * RFC 2923 section 2.1, RFC 8899 section 4.3: {@value #BLACK_HOLE_TIMEOUTS} retransmissions timed out without an
     * ACK (Linux's {@code tcp_retries1}) while a full-size segment is in flight: full-size segments may be what the
     * path drops without a word.
     */
    private static boolean isBlackHole(final TcpConnection connection)
    {
        return connection.retransmissions > BLACK_HOLE_TIMEOUTS &&
            connection.sendMax - connection.sendUnacknowledged >= TcpSender.payloadCapacity(connection);
    }

    /**
     * RFC 8985 section 7.3: the probe timeout expired: send new data if the windows allow, else the last segment
     * again, then wait for the RTO. In fast recovery, with nothing new to send, the probe is the first hole the peer
     * has not SACKed: the last segment may be SACKed already, and the repair at SND.UNA is what a silent recovery
     * waits on (its ACKs lost, or the repair itself).
     */
    private void onLossProbeTimer(final TcpConnection connection, final long nowNs)
    {
        connection.lossProbeArmed = false;
        connection.lossProbeSent = true;
        counters.tcpLossProbes.incrementRelease();
        int result = sender.sendNextSegment(connection, nowNs, true);
        if (result == TcpSender.NOTHING && connection.inRecovery)
        {
            final int hole = connection.scoreboard.skipSacked(connection.sendUnacknowledged);
            final int end = connection.scoreboard.nextSackedAfter(hole, connection.sendMax);
            result = sender.retransmit(connection, hole, Math.min(end - hole,
                TcpSender.payloadCapacity(connection)), nowNs);
        }
        if (result == TcpSender.NOTHING)
        {
            final int capacity = TcpSender.payloadCapacity(connection);
            final int from = connection.sendMax - connection.sendUnacknowledged > capacity ?
                connection.sendMax - capacity : connection.sendUnacknowledged;
            result = sender.retransmit(connection, from, connection.sendMax - from, nowNs);
        }
        if (!connection.retransmissionTimer.isArmed())
        {
            connection.retransmissionTimer.arm(nowNs + connection.rtt.rtoNs(), timers, timerListener);
        }
        if (result == TcpSender.BLOCKED)
        {
            output.mark(connection);
        }
    }

    /**
     * The persist timer: send what the window allows now, ignoring Nagle, or probe a closed window; back off.
     */
    private void onPersistTimer(final TcpConnection connection, final long nowNs)
    {
        connection.rtt.backOff();
        if (connection.sendWindowEdge() - connection.sendNext > 0)
        {
            connection.persisting = false;
            if (TcpSender.wentOut(sender.sendNextSegment(connection, nowNs, true)))
            {
                return;
            }
        }
        counters.tcpWindowProbes.incrementRelease();
        sender.sendProbe(connection, nowNs);
        connection.persisting = true;
        connection.retransmissionTimer.arm(nowNs + connection.rtt.rtoNs(), timers, timerListener);
    }

    void onIdleTimer(final TcpConnection connection, final long nowNs)
    {
        if (connection.state == TcpState.FIN_WAIT_2 && !connection.attached)
        {
            lifecycle.finish(connection);
            return;
        }
        if (!connection.options.keepAlive || !connection.state.sendsData())
        {
            return;
        }
        final long idleNs = nowNs - connection.lastReceiveNs;
        if (connection.keepAliveProbesSent == 0 &&
            (idleNs < connection.options.keepAliveIdleNs || connection.sendMax != connection.sendUnacknowledged))
        {
            connection.idleTimer.arm(Math.max(connection.lastReceiveNs + connection.options.keepAliveIdleNs,
                nowNs + connection.options.keepAliveIntervalNs / 8), timers, timerListener);
            return;
        }
        if (connection.keepAliveProbesSent >= connection.options.keepAliveProbes)
        {
            lifecycle.timeOut(connection);
            return;
        }
        connection.keepAliveProbesSent++;
        counters.tcpKeepAliveProbes.incrementRelease();
        sender.sendProbe(connection, nowNs);
        connection.idleTimer.arm(nowNs + connection.options.keepAliveIntervalNs, timers, timerListener);
    }
}
