package io.ringstack.tcp;

import io.ringstack.iface.EngineCounters;
import io.ringstack.iface.TimerListener;
import io.ringstack.iface.Timers;
import io.ringstack.wire.TcpSegment;

import static io.ringstack.tcp.SequenceNumbers.after;
import static io.ringstack.tcp.SequenceNumbers.before;
import static io.ringstack.tcp.SequenceNumbers.beforeOrAt;
import static io.ringstack.tcp.SequenceNumbers.max;

/**
 * Fast retransmit and fast recovery for one connection at a time:
 * <ul>
 *   <li>entry (RFC 5681 3.2, RFC 6582 3.2 step 2), past the recovery point of the last recovery: with SACK, when
 *       {@link Rack} deems a segment lost (RFC 8985 section 6); without, three duplicate ACKs. The controller
 *       reduces its window (a controller that loss does not reduce, BBR, conserves packets instead), SND.MAX becomes
 *       the recovery point and the first lost segment is resent;</li>
 *   <li>without SACK, NewReno (RFC 6582): each duplicate ACK inflates the window by one segment, each partial ACK
 *       resends the next hole and deflates it by what was acknowledged;</li>
 *   <li>with SACK (RFC 6675 with RACK's losses): the sender resends what RACK deemed lost, in sequence order, then
 *       new data, as much as {@link ProportionalRateReduction} lets each ACK send (RFC 6937); RACK finds a lost
 *       retransmission as it finds any lost segment, and its reordering timer waits out the reordering window; after
 *       a retransmission timeout every hole is lost and goes the same way, as slow start opens the window
 *       (RFC 6675 section 5.1);</li>
 *   <li>exit: an ACK at or past the recovery point (RFC 6582 3.2 step 3); with SACK cwnd is ssthresh (RFC 6937),
 *       grown by what that ACK delivered as Linux grows it, without it NewReno's window deflates to the flight
 *       (RFC 6582 3.2 step 3, second option).</li>
 * </ul>
 * Engine thread only; nothing allocates.
 */
final class LossRecovery
{
    private final TcpSender sender;
    private final EngineCounters counters;
    private final Timers timers;
    private final TimerListener timerListener;

    LossRecovery(
        final TcpSender sender, final EngineCounters counters, final Timers timers, final TimerListener timerListener)
    {
        this.sender = sender;
        this.counters = counters;
        this.timers = timers;
        this.timerListener = timerListener;
    }

    /**
     * RFC 6582 section 3.2 step 5: a partial acknowledgment in recovery retransmits the first unacknowledged
     * segment and deflates the window by the amount acknowledged, adding one segment back when at least one was
     * acknowledged.
     */
    void onPartialAck(final TcpConnection connection, final int ack, final int acked, final long nowNs)
    {
        if (connection.sackPermitted)
        {
            return;
        }
        if (beforeOrAt(connection.retransmitHighest, ack))
        {
            sender.retransmit(connection, ack, TcpSender.payloadCapacity(connection), nowNs);
        }
        final int segment = TcpSender.payloadCapacity(connection);
        final int addBack = acked >= segment ? segment : 0;
        connection.recoveryWindow = Math.max(connection.recoveryWindow - acked + addBack, segment);
    }

    /**
     * RFC 5681 section 2: an ACK that acknowledges nothing new, carries no data, SYN or FIN, leaves the window
     * alone, while data is outstanding. An ACK with new SACK information counts even when the window moved, as
     * RFC 6675 (and Linux) count it: the receiver's window changes as its application reads.
     */
    static boolean isDuplicateAck(
        final TcpConnection connection, final TcpSegment segment, final int ack, final long window,
        final boolean newSack)
    {
        return ack == connection.sendUnacknowledged && segment.payloadLength() == 0 && !segment.isSyn() &&
            !segment.isFin() && (window == connection.sendWindow || newSack) &&
            connection.sendMax != connection.sendUnacknowledged;
    }

    void onDuplicateAck(final TcpConnection connection, final int ack, final long nowNs)
    {
        connection.duplicateAcks++;
        if (connection.sackPermitted)
        {
            return;
        }
        if (connection.inRecovery)
        {
            connection.recoveryWindow += TcpSender.payloadCapacity(connection);
        }
        else if (connection.duplicateAcks >= SackScoreboard.DUP_THRESHOLD && after(ack, connection.recoveryPoint))
        {
            enterRecovery(connection, ack, nowNs);
        }
    }

    /**
     * RACK's part of an ACK with new information (RFC 8985 section 6.2): update RACK from what it delivered, mark
     * what is lost, start a recovery for it past the last recovery point, and arm the reordering timer when a
     * segment may yet be lost.
     */
    void onRackAck(final TcpConnection connection, final boolean hasEcho, final int echo, final long nowNs)
    {
        connection.rack.onAck(connection, hasEcho, echo, nowNs);
        connection.rack.lost.removeBefore(connection.sendUnacknowledged);
        detectLoss(connection, nowNs);
    }

    /**
     * The peer reported a duplicate (RFC 2883): data sent twice arrived twice, so a retransmission was spurious or
     * the network duplicated; RACK takes it as reordering and widens its window (RFC 8985 section 6.2 step 4).
     */
    void onDsack(final TcpConnection connection, final int left, final int right, final long nowNs)
    {
        counters.tcpDsacksReceived.incrementRelease();
        connection.rack.onDsack(left, connection.sendUnacknowledged, connection.sendNext, nowNs);
        RecoveryUndo.onDsack(connection, left, right, counters);
    }

    /**
     * The reordering timer expired (RFC 8985 section 6.3): detect losses again.
     */
    void onReorderingTimer(final TcpConnection connection, final long nowNs)
    {
        connection.rackTimerArmed = false;
        detectLoss(connection, nowNs);
    }

    private void detectLoss(final TcpConnection connection, final long nowNs)
    {
        final Rack rack = connection.rack;
        final boolean dupThreshSacked = connection.scoreboard.isLost(connection.sendUnacknowledged,
            TcpSender.payloadCapacity(connection));
        final long windowNs = rack.reorderingWindowNs(
            connection.inRecovery, dupThreshSacked, connection.rtt.smoothedRttNs());
        final long timeoutNs = rack.detectLoss(windowNs, nowNs, counters, connection.deliveryRate);
        if (!connection.inRecovery && rack.lost.count() > 0 && after(connection.sendUnacknowledged,
            connection.recoveryPoint))
        {
            enterRecovery(connection, connection.sendUnacknowledged, nowNs);
        }
        if (timeoutNs > 0)
        {
            TailLossProbe.armReorderingTimer(connection, nowNs + timeoutNs, timers, timerListener);
        }
    }

    /**
     * Fast retransmit (RFC 5681 section 3.2, RFC 6582 section 3.2 step 2): reduce the window, remember SND.MAX as
     * the recovery point, retransmit the first unacknowledged segment. A probe timeout that runs starts again from
     * the repair ({@link TailLossProbe}).
     */
    void enterRecovery(final TcpConnection connection, final int ack, final long nowNs)
    {
        counters.tcpFastRetransmits.incrementRelease();
        RecoveryUndo.begin(connection, nowNs);
        connection.congestion.onLoss(connection.sendMax - connection.sendUnacknowledged, nowNs);
        if (connection.sackPermitted && connection.congestion.reducesOnCongestion())
        {
            ProportionalRateReduction.start(connection);
        }
        connection.inRecovery = true;
        connection.recoveryPoint = connection.sendMax;
        connection.recoveryWindow = Math.min(connection.congestion.slowStartThreshold(),
            connection.congestion.congestionWindow()) +
            (long)SackScoreboard.DUP_THRESHOLD * TcpSender.payloadCapacity(connection);
        connection.retransmitHighest = ack;
        if (connection.lossProbeArmed)
        {
            TailLossProbe.armTimer(connection, nowNs, timers, timerListener);
        }
        if (!connection.sackPermitted)
        {
            sender.retransmit(connection, ack, TcpSender.payloadCapacity(connection), nowNs);
        }
        else if (nextLost(connection) != connection.sendMax)
        {
            sender.retransmitLost(connection, nowNs);
        }
    }

    /**
     * @return the first byte RACK deemed lost that the peer does not hold, or SND.MAX when there is none; ranges of
     * the lost set the peer has since SACKed whole leave it.
     */
    static int nextLost(final TcpConnection connection)
    {
        final SequenceRanges lost = connection.rack.lost;
        while (lost.count() > 0)
        {
            final int from = connection.scoreboard.skipSacked(max(lost.start(0), connection.sendUnacknowledged));
            if (before(from, lost.end(0)))
            {
                return from;
            }
            lost.removeBefore(lost.end(0));
        }
        return connection.sendMax;
    }

    /**
     * RFC 6675 pipe: bytes outstanding, less what the peer SACKed, less what RACK deemed lost and is not resent
     * yet.
     */
    static long pipe(final TcpConnection connection)
    {
        return (connection.sendMax - connection.sendUnacknowledged) - connection.scoreboard.sackedBytes() -
            connection.rack.lost.totalLength();
    }
}
