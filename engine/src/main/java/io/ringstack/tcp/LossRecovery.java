package io.ringstack.tcp;

import io.ringstack.iface.EngineCounters;
import io.ringstack.wire.TcpSegment;

import static io.ringstack.tcp.SequenceNumbers.after;
import static io.ringstack.tcp.SequenceNumbers.before;
import static io.ringstack.tcp.SequenceNumbers.beforeOrAt;
import static io.ringstack.tcp.SequenceNumbers.max;

/**
 * Fast retransmit and fast recovery for one connection at a time:
 * <ul>
 *   <li>entry (RFC 5681 3.2, RFC 6582 3.2 step 2): three duplicate ACKs, or SACK showing the first unacknowledged
 *       byte lost (RFC 6675 IsLost), past the recovery point of the last recovery; the controller reduces its
 *       window, SND.MAX becomes the recovery point and the first unacknowledged segment is resent;</li>
 *   <li>without SACK, NewReno (RFC 6582): each duplicate ACK inflates the window by one segment, each partial ACK
 *       resends the next hole and deflates it by what was acknowledged;</li>
 *   <li>with SACK (RFC 6675, simplified): the sender resends the holes below the highest SACKed byte in order,
 *       then new data, while the pipe estimate stays below cwnd;</li>
 *   <li>exit: an ACK at or past the recovery point (RFC 6582 3.2 step 3).</li>
 * </ul>
 * Engine thread only; nothing allocates.
 */
final class LossRecovery
{
    private final TcpSender sender;
    private final EngineCounters counters;

    LossRecovery(final TcpSender sender, final EngineCounters counters)
    {
        this.sender = sender;
        this.counters = counters;
    }

    /**
     * RFC 6582 section 3.2 step 5: a partial acknowledgment in recovery retransmits the first unacknowledged
     * segment and deflates the window by the amount acknowledged, adding one segment back when at least one was
     * acknowledged.
     */
    void onPartialAck(final TcpConnection connection, final int ack, final int acked, final long nowNs)
    {
        if (beforeOrAt(connection.retransmitHighest, ack))
        {
            sender.retransmit(connection, ack, TcpSender.payloadCapacity(connection), nowNs);
        }
        if (!connection.sackPermitted)
        {
            final int segment = TcpSender.payloadCapacity(connection);
            final int addBack = acked >= segment ? segment : 0;
            connection.recoveryWindow = Math.max(connection.recoveryWindow - acked + addBack, segment);
        }
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
        if (connection.inRecovery)
        {
            if (!connection.sackPermitted)
            {
                connection.recoveryWindow += TcpSender.payloadCapacity(connection);
            }
            return;
        }
        final boolean lost = connection.duplicateAcks >= SackScoreboard.DUP_THRESHOLD ||
            (connection.sackPermitted && connection.scoreboard.isLost(ack, TcpSender.payloadCapacity(connection))) ||
            isProbeDelivered(connection);
        if (lost && after(ack, connection.recoveryPoint))
        {
            enterRecovery(connection, ack, nowNs);
        }
    }

    /**
     * The tail loss probe's segment, the last sent, is SACKed while bytes below it are missing: they went out at
     * least a probe timeout (two smoothed RTTs) before it, so RACK (RFC 8985 section 6.2) deems them lost.
     */
    private static boolean isProbeDelivered(final TcpConnection connection)
    {
        return connection.lossProbeSent && connection.sackPermitted &&
            connection.scoreboard.highestSacked(connection.sendUnacknowledged) == connection.sendMax;
    }

    /**
     * Fast retransmit (RFC 5681 section 3.2, RFC 6582 section 3.2 step 2): reduce the window, remember SND.MAX as
     * the recovery point, retransmit the first unacknowledged segment.
     */
    void enterRecovery(final TcpConnection connection, final int ack, final long nowNs)
    {
        counters.tcpFastRetransmits.incrementRelease();
        connection.congestion.onLoss(connection.sendMax - connection.sendUnacknowledged, nowNs);
        connection.inRecovery = true;
        connection.recoveryPoint = connection.sendMax;
        connection.recoveryWindow = connection.congestion.slowStartThreshold() +
            (long)SackScoreboard.DUP_THRESHOLD * TcpSender.payloadCapacity(connection);
        connection.retransmitHighest = ack;
        connection.recoveryPassStartNs = nowNs;
        connection.recoveryPassEdge = connection.sendMax;
        final int holeEnd = connection.scoreboard.nextSackedAfter(ack, connection.sendMax);
        sender.retransmit(connection, ack, Math.min(TcpSender.payloadCapacity(connection), holeEnd - ack), nowNs);
    }

    /**
     * Lost retransmissions, as RACK finds them (RFC 8985 section 6.2) but per pass over the holes rather than per
     * segment: data sent after the pass's first retransmission is SACKed, at least SRTT + SRTT / 4 (RACK's
     * reordering window of a quarter of an RTT) after the pass began, while a hole the pass resent is still
     * missing. Those retransmissions were lost as well; a new pass resends the holes, without a second reduction
     * of the window, instead of leaving them to the retransmission timer.
     */
    void detectLostRetransmissions(final TcpConnection connection, final long nowNs)
    {
        if (!connection.inRecovery || !connection.sackPermitted ||
            !after(connection.scoreboard.highestSacked(connection.sendUnacknowledged), connection.recoveryPassEdge))
        {
            return;
        }
        final long smoothedRttNs = connection.rtt.smoothedRttNs();
        final int firstHole = connection.scoreboard.skipSacked(connection.sendUnacknowledged);
        if (nowNs - connection.recoveryPassStartNs >= smoothedRttNs + smoothedRttNs / 4 &&
            before(firstHole, connection.retransmitHighest))
        {
            counters.tcpLostRetransmissions.incrementRelease();
            connection.retransmitHighest = connection.sendUnacknowledged;
            connection.recoveryPassStartNs = nowNs;
            connection.recoveryPassEdge = connection.sendMax;
        }
    }

    /**
     * @return the next byte to retransmit in SACK recovery: the first byte at or after the recovery's
     * retransmission point that the peer does not hold and that lies below the highest SACKed byte; or SND.MAX
     * when there is none.
     */
    static int nextHole(final TcpConnection connection)
    {
        final int from = connection.scoreboard.skipSacked(
            max(connection.retransmitHighest, connection.sendUnacknowledged));
        final int highest = connection.scoreboard.highestSacked(connection.sendUnacknowledged);
        return before(from, highest) ? from : connection.sendMax;
    }

    /**
     * RFC 6675 pipe, simplified: bytes outstanding, less what the peer SACKed, less the holes not yet retransmitted
     * below the highest SACKed byte (deemed lost).
     */
    static long pipe(final TcpConnection connection)
    {
        final SackScoreboard scoreboard = connection.scoreboard;
        final int highest = scoreboard.highestSacked(connection.sendUnacknowledged);
        final int retransmitted = max(connection.retransmitHighest, connection.sendUnacknowledged);
        long lost = 0;
        if (before(retransmitted, highest))
        {
            lost = (highest - retransmitted) - scoreboard.sackedBytesFrom(retransmitted);
        }
        return (connection.sendMax - connection.sendUnacknowledged) - scoreboard.sackedBytes() - lost;
    }
}
