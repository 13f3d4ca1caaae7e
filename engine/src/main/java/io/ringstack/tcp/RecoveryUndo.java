package io.ringstack.tcp;

import io.ringstack.iface.EngineCounters;

import static io.ringstack.tcp.SequenceNumbers.after;
import static io.ringstack.tcp.SequenceNumbers.before;

/**
 * Undoing a window reduction that a spurious retransmission caused. A fast recovery or a retransmission timeout
 * opens an episode that remembers cwnd and ssthresh before the reduction, SND.UNA and the timestamp of the first
 * retransmission; the episode's retransmissions are counted. It is undone, cwnd and ssthresh restored (never
 * lowered) and counted under {@code tcp_undo}, when
 * <ul>
 *   <li>D-SACK (RFC 2883, RFC 3708): the peer reported every retransmission of the episode as a duplicate, so
 *       the originals all arrived; or</li>
 *   <li>Eifel (RFC 3522 section 3.2): the first ACK for data past SND.UNA of the episode echoes a timestamp older
 *       than the first retransmission's, so the original segment is what the peer acknowledges.</li>
 * </ul>
 * RACK then counts the reordering as seen (RFC 8985 section 6.2 step 3) and forgets the losses it marked, to judge
 * them again with its window. A new recovery or timeout starts a new episode. Engine thread only; nothing
 * allocates.
 */
final class RecoveryUndo
{
    private RecoveryUndo()
    {
    }

    /**
     * A reduction is about to happen: open an episode. A retransmission timeout within a fast recovery keeps the
     * recovery's episode, whose values are the older ones; so does a recovery that starts less than one RTO after
     * the open episode last resent: on a reordering path the D-SACKs that would undo it come a reordering delay
     * after its retransmissions, often after the next spurious recovery has begun, and an episode restarted there
     * would restore only the window that the last reduction left.
     */
    static void begin(final TcpConnection connection, final long nowNs)
    {
        if (connection.undoOpen &&
            (connection.inRecovery || nowNs - connection.undoLastRetransmissionNs < connection.rtt.rtoNs()))
        {
            return;
        }
        connection.undoOpen = true;
        connection.undoEifelPending = connection.timestamps;
        connection.undoWindow = connection.congestion.congestionWindow();
        connection.undoThreshold = connection.congestion.slowStartThreshold();
        connection.undoMarker = connection.sendUnacknowledged;
        connection.undoStamp = TcpSender.timestampClock(connection, nowNs);
        connection.undoRetransmissions = 0;
        connection.rack.retransmitted.clear();
    }

    /**
     * The episode resent {@code [start, end)}; an episode that cannot remember it can no longer be undone.
     */
    static void onRetransmission(final TcpConnection connection, final int start, final int end, final long nowNs)
    {
        if (connection.undoOpen)
        {
            connection.undoLastRetransmissionNs = nowNs;
            connection.undoRetransmissions += segments(connection, start, end);
            if (connection.rack.retransmitted.add(start, end) < 0)
            {
                connection.undoOpen = false;
            }
        }
    }

    /**
     * A D-SACK for {@code [left, right)}: when the episode resent it, fewer retransmissions are left to account
     * for; a duplicate the network made is no evidence.
     */
    static void onDsack(
        final TcpConnection connection, final int left, final int right, final EngineCounters counters)
    {
        if (!connection.undoOpen || before(left, connection.undoMarker) ||
            !connection.rack.retransmitted.holds(left, right))
        {
            return;
        }
        connection.undoRetransmissions -= segments(connection, left, right);
        if (connection.undoRetransmissions <= 0)
        {
            undo(connection, counters);
        }
    }

    /**
     * Eifel's test, on an ACK that acknowledged new data: once per episode, on the first ACK past its SND.UNA.
     */
    static void onNewAck(
        final TcpConnection connection, final int ack, final boolean hasEcho, final int echo,
        final EngineCounters counters)
    {
        if (!connection.undoOpen || !connection.undoEifelPending || !after(ack, connection.undoMarker) ||
            connection.undoRetransmissions == 0)
        {
            return;
        }
        connection.undoEifelPending = false;
        if (hasEcho && before(echo, connection.undoStamp))
        {
            undo(connection, counters);
        }
    }

    private static int segments(final TcpConnection connection, final int start, final int end)
    {
        final int segment = TcpSender.payloadCapacity(connection);
        return Math.max(1, (end - start + segment - 1) / segment);
    }

    private static void undo(final TcpConnection connection, final EngineCounters counters)
    {
        connection.undoOpen = false;
        counters.tcpUndo.incrementRelease();
        connection.congestion.undo(connection.undoWindow, connection.undoThreshold);
        connection.inRecovery = false;
        ProportionalRateReduction.end(connection);
        connection.duplicateAcks = 0;
        connection.rack.onSpuriousRetransmission();
    }
}
