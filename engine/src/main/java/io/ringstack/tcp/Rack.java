package io.ringstack.tcp;

import io.ringstack.iface.EngineCounters;

import static io.ringstack.tcp.SequenceNumbers.after;
import static io.ringstack.tcp.SequenceNumbers.afterOrAt;
import static io.ringstack.tcp.SequenceNumbers.before;
import static io.ringstack.tcp.SequenceNumbers.beforeOrAt;
import static io.ringstack.tcp.SequenceNumbers.max;

/**
 * RACK, time-based loss detection (RFC 8985 section 6), for one connection: a segment is lost once a segment sent
 * after it was delivered and more than RACK.rtt + RACK.reo_wnd has passed since it went out.
 * <pre>
 *   per ACK (6.2):  step 2  RACK.xmit_ts, RACK.end_seq, RACK.rtt from the newest segment delivered (a
 *                           retransmitted one only if its ACK is unambiguous: RTT not below min_RTT, and for one
 *                           the cumulative ACK covers, TSecr not before it)
 *                   step 3  reordering seen: an original segment delivered below RACK.fack
 *                   step 4  reo_wnd = 0 before reordering is seen while in recovery or DupThresh segments are
 *                           SACKed, else max(min(reo_wnd_mult * min_RTT / 4, SRTT), lateness); a D-SACK round raises
 *                           reo_wnd_mult, and each D-SACK measures how late the duplicate came (lateness); 16
 *                           recoveries without a D-SACK round bring both back
 *                   step 5  for each segment sent before RACK's: lost when
 *                           xmit_ts + RACK.rtt + reo_wnd - now &lt;= 0, else the reordering timer waits the rest
 * </pre>
 * A retransmission is logged again with its own time, so a lost retransmission is found the same way. min_RTT is
 * the smallest RTT RACK measured on the connection. The measured lateness lets the window pass SRTT, where RFC 8985
 * caps it so as not to delay the repair of real losses: a path that delays a quarter of its segments by 10 ms keeps
 * SRTT at a few milliseconds, and a window held below the lateness D-SACKs report resends every late segment, each
 * resend a spurious reduction. Engine thread only; nothing allocates.
 */
final class Rack
{
    /** RFC 8985 section 6.2 step 4: recoveries a raised reordering window persists without D-SACK. */
    static final int REORDERING_WINDOW_PERSIST = 16;

    final TransmitLog log;
    /** The earlier transmissions that retransmissions replaced, with the times they went out. */
    private final TransmitLog replaced;
    /** What RACK deemed lost and the sender has not resent yet (RFC 6675's lost segments). */
    final SequenceRanges lost;
    /** What the current undo episode resent ({@link RecoveryUndo}). */
    final SequenceRanges retransmitted;
    private long xmitNs;
    private int endSequence;
    private boolean delivered;
    private long rttNs;
    private long minRttNs;
    private int forwardAck;
    private boolean hasForwardAck;
    private boolean reorderingSeen;
    private int reorderingWindowMultiplier;
    private int reorderingWindowPersist;
    private long reorderingExtentNs;
    private boolean dsackRoundOpen;
    private int dsackRoundEnd;

    Rack(final int logCapacity, final int lostRanges)
    {
        log = new TransmitLog(logCapacity);
        replaced = new TransmitLog(lostRanges);
        lost = new SequenceRanges(lostRanges);
        retransmitted = new SequenceRanges(lostRanges);
        reset();
    }

    void reset()
    {
        log.clear();
        replaced.clear();
        lost.clear();
        retransmitted.clear();
        delivered = false;
        rttNs = 0;
        minRttNs = Long.MAX_VALUE;
        hasForwardAck = false;
        reorderingSeen = false;
        reorderingWindowMultiplier = 1;
        reorderingWindowPersist = 0;
        reorderingExtentNs = 0;
        dsackRoundOpen = false;
    }

    /**
     * Log a transmission of {@code [start, end)}; a retransmission replaces what it resends.
     */
    void onSent(final int start, final int end, final long nowNs, final boolean retransmission,
        final DeliveryRate rate)
    {
        log.onSent(start, end, nowNs, retransmission, replaced, rate);
    }

    long rttNs()
    {
        return rttNs;
    }

    long minRttNs()
    {
        return minRttNs;
    }

    boolean reorderingSeen()
    {
        return reorderingSeen;
    }

    int reorderingWindowMultiplier()
    {
        return reorderingWindowMultiplier;
    }

    /**
     * Steps 2 and 3: take every logged segment that the connection's SND.UNA and scoreboard show delivered, and hand
     * each to the connection's {@link DeliveryRate}. A log {@linkplain TransmitLog#isInSequenceOrder() in sequence
     * order} is walked only up to the first entry past both SND.UNA and the highest SACKed byte: no entry from there
     * on can be delivered, so an ACK costs what it delivers, not the whole flight.
     *
     * @param echo the timestamp the ACK echoes, when {@code hasEcho}: a cumulative ACK echoing a time before a
     *             retransmission was for the original (RFC 8985 section 6.2 step 2). A SACK says nothing by its
     *             echo: the receiver echoes the segment that last advanced RCV.NXT (RFC 7323 section 4.3), older
     *             than any retransmission delivered out of order, so a SACKed retransmission is ambiguous only by
     *             its RTT, as Linux judges it ({@code tcp_rack_advance}). Judged by the echo, a delivered loss
     *             probe never advanced RACK, and the hole below it waited for the RTO.
     */
    void onAck(final TcpConnection connection, final boolean hasEcho, final int echo, final long nowNs)
    {
        final TransmitLog log = this.log;
        final int ack = connection.sendUnacknowledged;
        final boolean inSequenceOrder = log.isInSequenceOrder();
        final int reported = max(ack, connection.scoreboard.highestSacked(ack));
        for (int entry = log.first(); entry != log.last(); entry++)
        {
            if (!log.isLive(entry))
            {
                continue;
            }
            if (inSequenceOrder && afterOrAt(log.start(entry), reported))
            {
                break;
            }
            final int end = log.end(entry);
            if (beforeOrAt(end, ack) || isSacked(connection, log.start(entry), end))
            {
                final long sentNs = log.sentNs(entry);
                final boolean ambiguous = log.is(entry, TransmitLog.RETRANSMITTED) && (nowNs - sentNs < minRttNs ||
                    (hasEcho && beforeOrAt(end, ack) && before(echo, TcpSender.timestampClock(connection, sentNs))));
                onDelivered(sentNs, end, log.is(entry, TransmitLog.RETRANSMITTED), ambiguous, nowNs);
                connection.deliveryRate.onDelivered(log.delivered(entry), log.deliveredNs(entry),
                    log.firstSentNs(entry), sentNs, log.is(entry, TransmitLog.APP_LIMITED),
                    log.is(entry, TransmitLog.RETRANSMITTED), nowNs);
                log.retire(entry);
            }
        }
        log.onCumulativeAck(ack);
    }

    /**
     * @return {@code true} when the peer SACKed the bytes of {@code [start, end)}. A receiver may leave the FIN out
     * of its SACK blocks (ringstack's does; Linux's takes it in), so the segment that carries the FIN counts by its
     * data: without that, the delivery of the last segment was never seen, and a lost segment before it waited for
     * the loss probe and the RTO.
     */
    private static boolean isSacked(final TcpConnection connection, final int start, final int end)
    {
        if (connection.scoreboard.holds(start, end))
        {
            return true;
        }
        final int dataEnd = end - 1;
        return connection.finQueued && end == connection.finSequence + 1 && dataEnd != start &&
            connection.scoreboard.holds(start, dataEnd);
    }

    /**
     * An RTT sample from a cumulative ACK of {@code ack}, as Linux takes it ({@code tcp_clean_rtx_queue}): the time
     * since the oldest segment it newly acknowledges went out, unless it acknowledges a retransmission, whose ACK is
     * ambiguous (Karn). Take it before {@link #onAck} forgets what the ACK delivered.
     *
     * @return the sample, or -1 when the ACK gives none.
     */
    long cumulativeRttNs(final int ack, final long nowNs)
    {
        final TransmitLog log = this.log;
        final boolean inSequenceOrder = log.isInSequenceOrder();
        long oldestNs = -1;
        for (int entry = log.first(); entry != log.last(); entry++)
        {
            if (!log.isLive(entry))
            {
                continue;
            }
            if (after(log.end(entry), ack))
            {
                if (inSequenceOrder)
                {
                    break;
                }
                continue;
            }
            if (log.is(entry, TransmitLog.RETRANSMITTED))
            {
                return -1;
            }
            if (oldestNs < 0)
            {
                oldestNs = log.sentNs(entry);
            }
        }
        return oldestNs < 0 ? -1 : nowNs - oldestNs;
    }

    private void onDelivered(
        final long sentNs, final int end, final boolean retransmitted, final boolean ambiguous, final long nowNs)
    {
        if (!retransmitted)
        {
            if (hasForwardAck && before(end, forwardAck))
            {
                reorderingSeen = true;
            }
            else
            {
                forwardAck = end;
                hasForwardAck = true;
            }
        }
        if (ambiguous)
        {
            return;
        }
        final long rtt = nowNs - sentNs;
        minRttNs = Math.min(minRttNs, rtt);
        if (!delivered || isSentAfter(sentNs, end, xmitNs, endSequence))
        {
            delivered = true;
            xmitNs = sentNs;
            endSequence = end;
            rttNs = rtt;
        }
    }

    long reorderingExtentNs()
    {
        return reorderingExtentNs;
    }

    /**
     * Step 4's D-SACK rule: the first D-SACK of a round (until SND.UNA passes the SND.NXT of its arrival) widens the
     * reordering window by one quarter of min_RTT, for the next {@value #REORDERING_WINDOW_PERSIST} recoveries. The
     * D-SACK also measures how late the duplicate came: {@code [left, right)} was sent before the retransmission
     * that replaced it, and its copy was delivered now, so a window of its time since it went out less RACK.rtt,
     * and a quarter of min_RTT more, would have waited for it. The window reaches the lateness measured, as long as
     * the persistence lasts. Only the repair of a segment RACK deemed lost measures: a segment sent after it was
     * delivered first, so the original was late. The original of a timeout's or a loss probe's retransmission
     * ({@link TransmitLog#UNPROMPTED}) may have arrived long before it, with only its ACKs lost; taken as reordering
     * that late, its D-SACK held RACK's repairs past the RTO for the next recoveries.
     */
    void onDsack(final int left, final int sendUnacknowledged, final int sendNext, final long nowNs)
    {
        final int entry = replaced.findSent(left);
        if (entry >= 0 && !replaced.is(entry, TransmitLog.UNPROMPTED) && minRttNs != Long.MAX_VALUE)
        {
            final long latenessNs = nowNs - replaced.sentNs(entry) - rttNs;
            if (latenessNs > 0)
            {
                reorderingExtentNs = Math.max(reorderingExtentNs, latenessNs + minRttNs / 4);
            }
        }
        if (dsackRoundOpen && afterOrAt(sendUnacknowledged, dsackRoundEnd))
        {
            dsackRoundOpen = false;
        }
        if (!dsackRoundOpen)
        {
            dsackRoundOpen = true;
            dsackRoundEnd = sendNext;
            reorderingWindowMultiplier++;
            reorderingWindowPersist = REORDERING_WINDOW_PERSIST;
        }
    }

    /**
     * Step 4: a recovery ended without a D-SACK round widening the window again.
     */
    void onRecoveryEnd()
    {
        if (--reorderingWindowPersist <= 0)
        {
            reorderingWindowMultiplier = 1;
            reorderingExtentNs = 0;
        }
    }

    /**
     * A recovery was undone: its retransmissions were spurious, so what arrived late was reordered (step 3), and
     * the losses marked since are judged again.
     */
    void onSpuriousRetransmission()
    {
        reorderingSeen = true;
        lost.clear();
        for (int entry = log.first(); entry != log.last(); entry++)
        {
            log.unmark(entry, TransmitLog.LOST | TransmitLog.TIMED_OUT);
        }
    }

    /**
     * A retransmission timeout (RFC 6675 section 5.1, as Linux enters its loss state): every byte outstanding that
     * the peer has not SACKed is lost, and goes again in sequence order as the window allows, SACKed data skipped.
     *
     * @return {@code sendMax} when {@link #lost} holds every hole, else the start of the first hole it could not
     * hold, from where the sender goes back and resends what is not SACKed.
     */
    int onTimeout(final SackScoreboard scoreboard, final int sendUnacknowledged, final int sendMax)
    {
        lost.clear();
        for (int entry = log.first(); entry != log.last(); entry++)
        {
            log.mark(entry, TransmitLog.LOST | TransmitLog.TIMED_OUT);
        }
        int hole = scoreboard.skipSacked(sendUnacknowledged);
        while (before(hole, sendMax))
        {
            final int end = scoreboard.nextSackedAfter(hole, sendMax);
            if (lost.add(hole, end) < 0)
            {
                return hole;
            }
            hole = scoreboard.skipSacked(end);
        }
        return sendMax;
    }

    /**
     * Step 4: the reordering window.
     */
    long reorderingWindowNs(final boolean inRecovery, final boolean dupThreshSacked, final long smoothedRttNs)
    {
        if (!reorderingSeen && (inRecovery || dupThreshSacked) || minRttNs == Long.MAX_VALUE)
        {
            return 0;
        }
        return Math.max(Math.min(reorderingWindowMultiplier * minRttNs / 4, smoothedRttNs), reorderingExtentNs);
    }

    /**
     * Step 5: mark lost every live entry sent before RACK's segment whose time is up, and add its range to
     * {@link #lost}, counting it under {@code tcp_rack_losses} (and {@code tcp_lost_retransmissions} when it was a
     * retransmission) and telling {@code rate} how many bytes it deemed lost.
     *
     * @return how long until the next entry's time is up (the reordering timer), or 0 when none waits.
     */
    long detectLoss(
        final long reorderingWindowNs, final long nowNs, final EngineCounters counters, final DeliveryRate rate)
    {
        if (!delivered)
        {
            return 0;
        }
        long timeoutNs = 0;
        final TransmitLog log = this.log;
        for (int entry = log.first(); entry != log.last(); entry++)
        {
            if (!log.isLive(entry) || log.is(entry, TransmitLog.LOST))
            {
                continue;
            }
            final long sentNs = log.sentNs(entry);
            if (sentNs - xmitNs > 0)
            {
                break;
            }
            if (!isSentAfter(xmitNs, endSequence, sentNs, log.end(entry)))
            {
                continue;
            }
            final long remainingNs = sentNs + rttNs + reorderingWindowNs - nowNs;
            if (remainingNs <= 0)
            {
                log.mark(entry, TransmitLog.LOST);
                lost.add(log.start(entry), log.end(entry));
                rate.onLost(log.end(entry) - log.start(entry));
                counters.tcpRackLosses.incrementRelease();
                if (log.is(entry, TransmitLog.RETRANSMITTED))
                {
                    counters.tcpLostRetransmissions.incrementRelease();
                }
            }
            else
            {
                timeoutNs = Math.max(timeoutNs, remainingNs);
            }
        }
        return timeoutNs;
    }

    /**
     * RFC 8985 section 6.2, RACK_sent_after: sent later, or at the same time and ending higher.
     */
    static boolean isSentAfter(final long t1, final int seq1, final long t2, final int seq2)
    {
        return t1 - t2 > 0 || (t1 == t2 && after(seq1, seq2));
    }

}
