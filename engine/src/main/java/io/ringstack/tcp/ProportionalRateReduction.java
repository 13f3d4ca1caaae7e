package io.ringstack.tcp;

/**
 * Proportional Rate Reduction (RFC 6937 section 3), as Linux runs it ({@code tcp_init_cwnd_reduction},
 * {@code tcp_cwnd_reduction}): while a window reduction runs, each ACK lets the sender send in proportion to what
 * it delivered, so that the flight falls from RecoverFS to ssthresh over one round trip, neither at once (no burst of
 * retransmissions on entry, no half window of silence as RFC 6675's pipe rule waits for the flight to drain) nor
 * below it:
 * <pre>
 *   start:         RecoverFS = SND.MAX - SND.UNA, prr_delivered = prr_out = 0
 *   every ACK:     DeliveredData = change in SND.UNA + change in SACKed bytes; prr_delivered += DeliveredData
 *                  pipe &gt; ssthresh:  sndcnt = ceil(prr_delivered * ssthresh / RecoverFS) - prr_out
 *                  else (PRR-SSRB):  sndcnt = min(ssthresh - pipe, max(prr_delivered - prr_out, DeliveredData) + MSS)
 *   every segment: prr_out += its data (retransmissions and new data alike)
 *   end:           cwnd = ssthresh
 * </pre>
 * As Linux sets cwnd to the packets in flight plus sndcnt, each ACK sets the window the sender sends against to the
 * pipe plus sndcnt in whole segments (a sndcnt of part of a segment lets one go; prr_out then runs ahead by less
 * than a segment and the next ACK's sndcnt is that much smaller): what the pipe loses without an ACK, to RACK's
 * reordering timer, may go again at once. An ACK that delivers nothing leaves the window; until something was sent,
 * sndcnt is at least one segment (the fast retransmit always goes).
 * <p>
 * A SACK fast recovery ({@link LossRecovery#enterRecovery}) runs through it; so can any reduction the controller
 * makes without a loss (an ECN congestion signal, RFC 3168's CWR): {@link #start} after the controller lowered
 * ssthresh, {@link #end} where the reduction ends; a retransmission timeout or an undo ends it too. The state lives
 * in the connection; engine thread only; nothing allocates.
 */
final class ProportionalRateReduction
{
    private ProportionalRateReduction()
    {
    }

    /**
     * A reduction begins: the controller has set ssthresh. Nothing is sent here; the window is the pipe until an ACK
     * delivers data.
     */
    static void start(final TcpConnection connection)
    {
        connection.prrActive = true;
        connection.prrRecoverFs = Math.max(1, connection.sendMax - connection.sendUnacknowledged);
        connection.prrDelivered = 0;
        connection.prrOut = 0;
        connection.prrWindow = LossRecovery.pipe(connection);
    }

    /**
     * An ACK in the reduction delivered {@code delivered} bytes (cumulatively or by SACK): compute sndcnt.
     */
    static void onAck(final TcpConnection connection, final long delivered)
    {
        if (delivered <= 0)
        {
            return;
        }
        connection.prrDelivered += delivered;
        final long threshold = connection.congestion.slowStartThreshold();
        final long pipe = LossRecovery.pipe(connection);
        final int segment = TcpSender.payloadCapacity(connection);
        long sendable;
        if (pipe > threshold)
        {
            sendable = (connection.prrDelivered * threshold + connection.prrRecoverFs - 1) / connection.prrRecoverFs -
                connection.prrOut;
        }
        else
        {
            sendable = Math.min(threshold - pipe,
                Math.max(connection.prrDelivered - connection.prrOut, delivered) + segment);
        }
        if (connection.prrOut == 0)
        {
            sendable = Math.max(sendable, 1);
        }
        connection.prrWindow = pipe + (sendable <= 0 ? 0 : (sendable + segment - 1) / segment * segment);
    }

    /**
     * {@code bytes} of data went out, sent again or new.
     */
    static void onSent(final TcpConnection connection, final int bytes)
    {
        connection.prrOut += bytes;
    }

    /**
     * The reduction ends: at its end point cwnd = ssthresh, which the controller set at the start and does not grow
     * while the reduction runs, so the window stays where it is, not deflated to the flight as RFC 6582 does; a
     * retransmission timeout (slow start of its own) or an undo (the prior window restored) takes over from it.
     */
    static void end(final TcpConnection connection)
    {
        connection.prrActive = false;
    }
}
