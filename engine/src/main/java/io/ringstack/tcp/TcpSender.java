package io.ringstack.tcp;

import io.ringstack.iface.EngineCounters;
import io.ringstack.iface.TimerListener;
import io.ringstack.iface.Timers;
import io.ringstack.iface.TxResult;
import io.ringstack.wire.TcpOptions;
import io.ringstack.wire.TcpSegment;

import static io.ringstack.tcp.SequenceNumbers.after;
import static io.ringstack.tcp.SequenceNumbers.before;
import static io.ringstack.tcp.SequenceNumbers.max;
import static io.ringstack.tcp.SequenceNumbers.min;

/**
 * What a connection sends, and when (RFC 9293 3.8.6, RFC 7323, RFC 2018):
 * <ul>
 *   <li>data from the send ring, cut to the MSS less the options (the MSS following the path MTU, RFC 1191),
 *       within {@code min(SND.WND, cwnd - in flight)}, first the holes RACK or a timeout deemed lost
 *       ({@link LossRecovery}); Nagle's algorithm and sender-side silly window avoidance (3.8.6.2.1) hold back
 *       small segments, and cwnd never cuts one short; the one segment a timer forces out (the RTO's, the loss
 *       probe's, the persist timer's) is bound by SND.WND alone; the FIN follows the last byte; a stalled window
 *       starts the persist timer;</li>
 *   <li>on a device that cuts segments itself ({@link io.ringstack.config.Setting#SEGMENT_OFFLOAD_BYTES}), new data,
 *       and data sent again in order after a timeout, in segments of up to 64 KiB, whole multiples of the MSS but
 *       for the last of the data, that the device cuts into the MSS-sized segments the connection would have sent:
 *       the same windows, Nagle and silly window avoidance bound them, the RACK log holds each piece as a transmission
 *       of its own and the scoreboard and SACK work on its bytes. What loss recovery sends again (RACK's lost holes, fast
 *       retransmit, the loss probe, the timeout's forced segment) and every segment a timer forces stays one MSS,
 *       as Linux sends them;</li>
 *   <li>acknowledgments with the window to advertise: scaled, never shrinking, moved only by enough to matter
 *       (receiver silly window avoidance, 3.8.6.2.2), with timestamps and SACK blocks;</li>
 *   <li>SYN, SYN-ACK of a simultaneous open, resets and probes.</li>
 * </ul>
 * Every data segment goes through one place that keeps SND.NXT, SND.MAX, the retransmission timer and the timed
 * segment of Karn's algorithm. A full output (loopback ring, device ring) is backpressure: the connection tries
 * again next duty cycle. A segment the next hop's full ARP queue refuses is lost as if on the wire: it counts as
 * sent, stays unacknowledged, and the retransmission timer or RACK sends it again; nothing more goes in that flush,
 * so a neighbour that does not answer costs a connection one attempt per timer, not one per duty cycle. Engine
 * thread only; nothing allocates.
 */
final class TcpSender
{
    /** Most segments one connection sends in one flush, so one connection cannot hold the duty cycle. */
    private static final int SEGMENTS_PER_FLUSH = 64;
    static final int SENT = 1;
    /** Sent as far as the connection knows, and lost before the wire: the next hop's ARP queue was full. */
    static final int LOST = 2;
    static final int NOTHING = 0;
    static final int BLOCKED = -1;
    static final long NANOS_PER_MILLI = 1_000_000;
    /** RFC 3042: new segments beyond cwnd, one for each of the first two duplicate ACKs. */
    private static final int LIMITED_TRANSMIT_SEGMENTS = 2;

    private final TcpSegmentOutput segments;
    private final Timers timers;
    private final TimerListener timerListener;
    private final EngineCounters counters;
    private final TcpNegotiation negotiation;
    private final AppRingLook look;

    TcpSender(
        final TcpSegmentOutput segments,
        final Timers timers,
        final TimerListener timerListener,
        final EngineCounters counters,
        final TcpNegotiation negotiation,
        final AppRingLook look)
    {
        this.segments = segments;
        this.timers = timers;
        this.timerListener = timerListener;
        this.counters = counters;
        this.negotiation = negotiation;
        this.look = look;
    }

    static int timestampClock(final TcpConnection connection, final long nowNs)
    {
        return (int)(nowNs / NANOS_PER_MILLI) + connection.timestampOffset;
    }

    /**
     * @return the largest payload of a segment with timestamps (if on) and no SACK blocks.
     */
    static int payloadCapacity(final TcpConnection connection)
    {
        return connection.sendMss - TcpSegmentOutput.optionSpace(connection.timestamps, 0);
    }

    /**
     * @return {@code true} when a segment left the connection: {@link #SENT} or {@link #LOST}.
     */
    static boolean wentOut(final int result)
    {
        return result == SENT || result == LOST;
    }

    /**
     * Send what the connection may send now, then the acknowledgment it owes if no segment carried it. A segment
     * {@link #LOST} ends the flush.
     *
     * @return {@code false} when the connection should go on next duty cycle: the output was full, or it sent its
     * {@value #SEGMENTS_PER_FLUSH} segments of this flush and may have more to send.
     */
    boolean transmit(final TcpConnection connection, final long nowNs)
    {
        boolean blocked = false;
        if (sendsData(connection.state))
        {
            blocked = true;
            for (int budget = SEGMENTS_PER_FLUSH; budget > 0; budget--)
            {
                if (Pacing.holds(connection, nowNs, timers, timerListener))
                {
                    blocked = false;
                    break;
                }
                final int result = sendNextSegment(connection, nowNs, false);
                if (result != SENT)
                {
                    blocked = result == BLOCKED;
                    if (result == NOTHING)
                    {
                        checkAppLimited(connection);
                    }
                    break;
                }
            }
        }
        if (connection.ackNow && connection.state != TcpState.CLOSED)
        {
            blocked |= sendAck(connection, nowNs) == TxResult.NO_BUFFER;
        }
        return !blocked;
    }

    /**
     * Nothing more went: when for want of data, with room in the window and nothing deemed lost, the rate samples
     * until what is in flight now is delivered are application-limited (draft-cheng-iccrg-delivery-rate-estimation
     * section 3.4, Linux's {@code tcp_rate_check_app_limited}).
     */
    private static void checkAppLimited(final TcpConnection connection)
    {
        final int dataEnd = connection.finQueued ? connection.finSequence : connection.dataEnd();
        if (connection.logsTransmissions() && dataEnd - connection.sendNext < payloadCapacity(connection) &&
            connection.rack.lost.count() == 0)
        {
            final long pipe = LossRecovery.pipe(connection);
            if (pipe < connection.congestion.congestionWindow())
            {
                connection.deliveryRate.onAppLimited(pipe);
            }
        }
    }

    private static boolean sendsData(final TcpState state)
    {
        switch (state)
        {
            case ESTABLISHED:
            case CLOSE_WAIT:
            case FIN_WAIT_1:
            case CLOSING:
            case LAST_ACK:
                return true;
            default:
                return false;
        }
    }

    /**
     * Send the connection's SYN (SYN-SENT) or SYN-ACK (SYN-RECEIVED of a simultaneous open) with our options.
     */
    int sendSyn(final TcpConnection connection, final long nowNs)
    {
        final boolean synAck = connection.state == TcpState.SYN_RECEIVED;
        final boolean offerWindowScale = synAck ? connection.windowScaling : negotiation.offersWindowScaling();
        segments.withSynOptions(connection.receiveMss, offerWindowScale ? connection.receiveWindowShift : -1,
            synAck ? connection.sackPermitted : negotiation.offersSack());
        if (synAck ? connection.timestamps : negotiation.offersTimestamps())
        {
            segments.withTimestamps(timestampClock(connection, nowNs), synAck ? connection.timestampRecent : 0);
        }
        final int window = Math.min(connection.stream.receiveRing().room(), 0xFFFF);
        final int flags = synAck ?
            TcpSegment.FLAG_SYN | TcpSegment.FLAG_ACK | (connection.ecnEnabled ? ExplicitCongestion.SETUP_SYN_ACK : 0) :
            TcpSegment.FLAG_SYN | (negotiation.requestsEcn() ? ExplicitCongestion.SETUP_SYN : 0);
        final int result = segments.send(connection.localAddress, connection.remoteAddress, connection.localPort,
            connection.remotePort, connection.initialSendSequence, synAck ? connection.receiveNext : 0,
            flags, window, null, 0, 0, nowNs);
        connection.sendNext = connection.initialSendSequence + 1;
        connection.sendMax = max(connection.sendMax, connection.sendNext);
        if (connection.retransmissions == 0)
        {
            connection.rtt.startTiming(connection.sendNext, nowNs);
        }
        else
        {
            connection.rtt.stopTiming();
        }
        if (synAck)
        {
            connection.advertisedEdge = connection.receiveNext + window;
            acknowledged(connection);
        }
        if (!connection.retransmissionTimer.isArmed())
        {
            connection.retransmissionTimer.arm(nowNs + connection.rtt.rtoNs(), timers, timerListener);
        }
        return result;
    }

    /**
     * Send a bare acknowledgment of everything received, with the current window, numbered SND.MAX: after a
     * retransmission timeout SND.NXT lies below what the peer may already hold, and a bare ACK below the peer's window
     * is dropped there (RFC 9293 3.10.7.4). Linux numbers it the same ({@code tcp_acceptable_seq}; its snd_nxt is
     * our SND.MAX).
     */
    int sendAck(final TcpConnection connection, final long nowNs)
    {
        return sendSegment(connection, connection.sendMax, TcpSegment.FLAG_ACK, 0, nowNs);
    }

    /**
     * Send a bare reset at SND.NXT: a connection aborted by its application.
     */
    void sendReset(final TcpConnection connection, final long nowNs)
    {
        segments.send(connection.localAddress, connection.remoteAddress, connection.localPort,
            connection.remotePort, connection.sendNext, connection.receiveNext,
            TcpSegment.FLAG_RST | TcpSegment.FLAG_ACK, 0, null, 0, 0, nowNs);
    }

    /**
     * Send a bare RST with SEQ = SEG.ACK for the connection's pair outside its state: the unacceptable ACK of a
     * handshake (RFC 9293 3.10.7.3, 3.10.7.4).
     */
    void sendResetForAck(final TcpConnection connection, final int ack, final long nowNs)
    {
        segments.send(connection.localAddress, connection.remoteAddress, connection.localPort,
            connection.remotePort, ack, 0, TcpSegment.FLAG_RST, 0, null, 0, 0, nowNs);
    }

    /**
     * A segment the peer must answer without it changing anything: SEQ = SND.UNA - 1, no data. Keepalive probes
     * and zero-window probes are this segment, as Linux sends them.
     */
    void sendProbe(final TcpConnection connection, final long nowNs)
    {
        sendSegment(connection, connection.sendUnacknowledged - 1, TcpSegment.FLAG_ACK, 0, nowNs);
    }

    /**
     * @return {@link #SENT}, {@link #LOST}, {@link #NOTHING} when nothing may be sent, {@link #BLOCKED} when the
     * output is full.
     */
    int sendNextSegment(final TcpConnection connection, final long nowNs, final boolean force)
    {
        negotiation.followPathMtu(connection, nowNs);
        final int dataEnd = connection.finQueued ? connection.finSequence : connection.dataEnd();
        final int capacity = payloadCapacity(connection);
        if (connection.sackPermitted && LossRecovery.nextLost(connection) != connection.sendMax &&
            (force || congestionRoom(connection) > 0))
        {
            return retransmitLost(connection, nowNs);
        }
        int sequence = connection.sendNext;
        if (connection.sackPermitted && before(sequence, connection.sendMax))
        {
            sequence = connection.scoreboard.skipSacked(sequence);
            connection.sendNext = sequence;
        }
        final int unsent = dataEnd - sequence;
        if (unsent > 0)
        {
            int limit = force ? capacity : segments.offloadPayload(
                connection.remoteAddress, TcpSegmentOutput.optionSpace(connection.timestamps, 0), capacity);
            if (before(sequence, connection.sendMax) && connection.sackPermitted)
            {
                limit = Math.min(limit, connection.scoreboard.nextSackedAfter(sequence, connection.sendMax) - sequence);
            }
            final long window = force ? connection.sendWindowEdge() - sequence : usableWindow(connection, sequence);
            final int wanted = Math.min(unsent, limit);
            final int length = wholeSegments((int)Math.min(wanted, window), unsent, capacity);
            if (length <= 0 || (!force && length < capacity &&
                (isCutByCongestionWindow(connection, sequence, length, wanted) ||
                !isWorthSending(connection, length, unsent, sequence))))
            {
                startPersistIfStalled(connection, nowNs);
                return NOTHING;
            }
            segments.withSegmentSize(capacity);
            final boolean fin = connection.finQueued && sequence + length == connection.finSequence;
            final int flags = TcpSegment.FLAG_ACK | (length == unsent ? TcpSegment.FLAG_PSH : 0) |
                (fin ? TcpSegment.FLAG_FIN : 0);
            final boolean newData = !before(sequence, connection.sendMax);
            final int result = emit(connection, sequence, flags, length, fin, true, nowNs);
            if (result != BLOCKED && newData && length % capacity != 0)
            {
                connection.smallSegmentEnd = sequence + length;
            }
            return result;
        }
        if (connection.finQueued && sequence == connection.finSequence)
        {
            return emit(connection, sequence, TcpSegment.FLAG_ACK | TcpSegment.FLAG_FIN, 0, true, true, nowNs);
        }
        return NOTHING;
    }

    /**
     * A segment longer than one MSS, for a device that cuts it ({@link TcpSegmentOutput#offloadPayload}), ends on a
     * whole number of MSS-sized pieces unless it takes the last of the data: the device cuts it into exactly the
     * segments the connection would have sent one by one, and what is left goes as the next segment, under the same
     * rules.
     */
    private static int wholeSegments(final int length, final int unsent, final int capacity)
    {
        return length > capacity && length < unsent ? length - length % capacity : length;
    }

    /**
     * Resend up to {@code maxLength} bytes from {@code sequence} (and the FIN if it follows them) without moving
     * SND.NXT; the recovery's retransmission point moves past them.
     */
    int retransmit(final TcpConnection connection, final int sequence, final int maxLength, final long nowNs)
    {
        negotiation.followPathMtu(connection, nowNs);
        final int dataEnd = connection.finQueued ? connection.finSequence : connection.dataEnd();
        final int length = Math.max(0, Math.min(maxLength, dataEnd - sequence));
        final boolean fin = connection.isFinSent() && sequence + length == connection.finSequence;
        if (length == 0 && !fin)
        {
            return NOTHING;
        }
        final int flags = TcpSegment.FLAG_ACK | (fin ? TcpSegment.FLAG_FIN : 0);
        final int result = emit(connection, sequence, flags, length, fin, false, nowNs);
        if (wentOut(result))
        {
            connection.retransmitHighest = max(connection.retransmitHighest, sequence + length + (fin ? 1 : 0));
        }
        return result;
    }

    /**
     * Resend the first of what RACK deemed lost, as much of it as one segment carries up to the next SACKed byte.
     */
    int retransmitLost(final TcpConnection connection, final long nowNs)
    {
        final SequenceRanges lost = connection.rack.lost;
        final int hole = LossRecovery.nextLost(connection);
        final int end = min(lost.end(0), connection.scoreboard.nextSackedAfter(hole, connection.sendMax));
        final int length = Math.min(payloadCapacity(connection), end - hole);
        final int result = retransmit(connection, hole, length, nowNs);
        if (wentOut(result))
        {
            lost.removeBefore(hole + length);
        }
        return result;
    }

    private int emit(final TcpConnection connection, final int sequence, final int flags, final int length,
        final boolean fin, final boolean advanceNext, final long nowNs)
    {
        final int result = sendSegment(connection, sequence, flags, length, nowNs);
        if (result == TxResult.NO_BUFFER)
        {
            return BLOCKED;
        }
        final int end = sequence + length + (fin ? 1 : 0);
        final boolean retransmission = before(sequence, connection.sendMax);
        if (connection.logsTransmissions())
        {
            logSent(connection, sequence, end, nowNs, retransmission);
        }
        if (connection.prrActive)
        {
            ProportionalRateReduction.onSent(connection, length);
        }
        Pacing.onSent(connection, length, nowNs);
        if (retransmission)
        {
            RecoveryUndo.onRetransmission(connection, sequence, end, nowNs);
            counters.tcpRetransmittedSegments.incrementRelease();
            connection.rtt.stopTiming();
        }
        else if (length > 0 && !connection.rtt.isTiming())
        {
            connection.rtt.startTiming(end, nowNs);
        }
        if (advanceNext && after(end, connection.sendNext))
        {
            connection.sendNext = end;
        }
        if (after(end, connection.sendMax))
        {
            connection.sendMax = end;
        }
        recordFlight(connection);
        if (!connection.retransmissionTimer.isArmed() || connection.persisting)
        {
            connection.persisting = false;
            TailLossProbe.armTimer(connection, nowNs, timers, timerListener);
        }
        else if (!retransmission)
        {
            TailLossProbe.onNewDataSent(connection, nowNs, timers, timerListener);
        }
        return result == TxResult.ARP_QUEUE_FULL ? LOST : SENT;
    }

    /**
     * Keep the most bytes outstanding over the current window of data, as Linux keeps {@code max_packets_out}
     * ({@code tcp_cwnd_validate}): the window ends when SND.UNA passes the SND.MAX of its last peak. ACKs taken in
     * one duty cycle drain the flight before anything is sent again, so the flight when each is taken says too
     * little of whether the sender used its window (RFC 7661); the peak says it.
     */
    private static void recordFlight(final TcpConnection connection)
    {
        final long flight = connection.sendMax - connection.sendUnacknowledged;
        if (!before(connection.sendUnacknowledged, connection.flightPeakEnd) || flight > connection.flightPeak)
        {
            connection.flightPeak = flight;
            connection.flightPeakEnd = connection.sendMax;
        }
    }

    /**
     * Log a transmission for RACK one MSS-sized segment at a time, as the device that cut a larger one put it on the
     * wire: each piece is delivered, SACKed and deemed lost on its own (RFC 8985 section 5.2, per-segment state), and
     * carries the delivery state its rate sample starts from ({@link DeliveryRate}).
     */
    private static void logSent(
        final TcpConnection connection, final int sequence, final int end, final long nowNs, final boolean again)
    {
        final int capacity = payloadCapacity(connection);
        final DeliveryRate rate = connection.deliveryRate;
        rate.onSend(connection.sendMax == connection.sendUnacknowledged, nowNs);
        int start = sequence;
        while (end - start > capacity)
        {
            connection.rack.onSent(start, start + capacity, nowNs, again, rate);
            start += capacity;
        }
        connection.rack.onSent(start, end, nowNs, again, rate);
    }

    /**
     * Write one segment of the connection with its timestamps, SACK blocks and window, payload from the send ring;
     * on an ECN connection with its ECN flags, and new data as ECT(0) ({@link ExplicitCongestion}).
     */
    private int sendSegment(
        final TcpConnection connection, final int sequence, final int segmentFlags, final int length,
        final long nowNs)
    {
        int flags = segmentFlags;
        if (connection.ecnEnabled)
        {
            final boolean newData = length > 0 && !before(sequence, connection.sendMax);
            flags |= ExplicitCongestion.flags(connection, newData);
            if (newData)
            {
                segments.withEcnCapableTransport();
            }
        }
        if (connection.timestamps)
        {
            segments.withTimestamps(timestampClock(connection, nowNs), connection.timestampRecent);
        }
        if (connection.sackPermitted && (!connection.reassembly.isEmpty() || connection.dsackPending))
        {
            final int room = length == 0 ? (connection.timestamps ? 3 : 4) :
                (connection.sendMss - length - TcpSegmentOutput.optionSpace(connection.timestamps, 0) -
                TcpSegmentOutput.SACK_SPACE_BASE) / TcpOptions.SACK_BLOCK_LENGTH;
            final int maxBlocks = Math.max(0, Math.min(room, connection.timestamps ? 3 : 4));
            segments.withSackBlocks(sackBlocks(connection, segments.sackEdges(), maxBlocks));
        }
        final int window = receiveWindowField(connection);
        final int result = segments.send(connection.localAddress, connection.remoteAddress, connection.localPort,
            connection.remotePort, sequence, connection.receiveNext, flags, window, connection.stream.sendRing(),
            sequence - connection.sendRingSequence, length, nowNs);
        if (result != TxResult.NO_BUFFER)
        {
            acknowledged(connection);
            if ((flags & TcpSegment.FLAG_CWR) != 0)
            {
                connection.ecnCwrPending = false;
            }
        }
        return result;
    }

    /**
     * The SACK blocks of RFC 2018 section 4, led by a D-SACK block for the last duplicate received if one is owed
     * (RFC 2883 section 4): it goes once.
     */
    private static int sackBlocks(final TcpConnection connection, final int[] edges, final int maxBlocks)
    {
        int blocks = 0;
        if (connection.dsackPending && maxBlocks > 0)
        {
            edges[0] = connection.dsackStart;
            edges[1] = connection.dsackEnd;
            connection.dsackPending = false;
            blocks = 1;
        }
        return blocks + connection.reassembly.sackBlocks(edges, blocks, maxBlocks - blocks);
    }

    /**
     * The segment just sent acknowledged everything received: no acknowledgment is owed any more.
     */
    private static void acknowledged(final TcpConnection connection)
    {
        connection.ackNow = false;
        connection.segmentsSinceAck = 0;
        connection.lastAckSent = connection.receiveNext;
        connection.delayedAckTimer.disarm();
    }

    /**
     * The window to advertise, scaled, never shrinking the right edge advertised before, and moving it only by at
     * least {@code min(buffer / 2, MSS)} (receiver silly window avoidance, RFC 9293 3.8.6.2.2).
     */
    private int receiveWindowField(final TcpConnection connection)
    {
        final TcpByteRing ring = connection.stream.receiveRing();
        int edge = connection.receiveNext + ring.room();
        if (after(edge, connection.advertisedEdge) && edge - connection.advertisedEdge < windowThreshold(connection))
        {
            edge = connection.advertisedEdge;
        }
        edge = max(edge, connection.receiveNext);
        final int field = Math.min((edge - connection.receiveNext) >>> connection.receiveWindowShift, 0xFFFF);
        final int advertised = field << connection.receiveWindowShift;
        connection.advertisedEdge = max(connection.advertisedEdge, connection.receiveNext + advertised);
        if (connection.stream.windowUpdateWanted(advertised < ring.limit() / 2))
        {
            look.take(connection);
        }
        return field;
    }

    private static int windowThreshold(final TcpConnection connection)
    {
        return Math.min(connection.stream.receiveRing().limit() / 2, connection.receiveMss);
    }

    /**
     * @return {@code true} when the application has made enough room in the receive ring since the last
     * advertisement that a window update is worth a segment.
     */
    static boolean isWindowUpdateDue(final TcpConnection connection)
    {
        final int edge = connection.receiveNext + connection.stream.receiveRing().room();
        return after(edge, connection.advertisedEdge) &&
            edge - connection.advertisedEdge >= windowThreshold(connection);
    }

    /**
     * What the windows let go from {@code sequence}: the peer's, and cwnd less what is in flight: during a window
     * reduction what Proportional Rate Reduction lets go; with SACK the pipe of RFC 6675 (SACKed and lost bytes are
     * not in flight, in recovery, after a timeout and outside alike, as Linux counts), without it, or going back below
     * SND.MAX after a timeout whose holes the lost set could not all hold, the bytes from SND.UNA, or NewReno's
     * window in recovery.
     */
    private static long usableWindow(final TcpConnection connection, final int sequence)
    {
        final long peerWindow = connection.sendWindowEdge() - sequence;
        if (connection.prrActive ||
            (connection.sackPermitted && (connection.inRecovery || !before(sequence, connection.sendMax))))
        {
            return Math.min(peerWindow, congestionRoom(connection));
        }
        final long congestionWindow = connection.inRecovery ?
            connection.recoveryWindow : connection.congestion.congestionWindow() + limitedTransmit(connection, sequence);
        return Math.min(peerWindow, congestionWindow - (sequence - connection.sendUnacknowledged));
    }

    /**
     * What the congestion window lets go beyond the pipe (RFC 6675): cwnd, or during a reduction the window
     * {@link ProportionalRateReduction} set, less the pipe.
     */
    private static long congestionRoom(final TcpConnection connection)
    {
        return (connection.prrActive ? connection.prrWindow : connection.congestion.congestionWindow()) -
            LossRecovery.pipe(connection);
    }

    /**
     * Limited transmit (RFC 3042 section 2): each of the first two duplicate ACKs outside recovery lets one segment
     * of new data go beyond cwnd, so that a small window still draws the ACKs that show a loss.
     */
    private static long limitedTransmit(final TcpConnection connection, final int sequence)
    {
        if (before(sequence, connection.sendMax))
        {
            return 0;
        }
        return (long)Math.min(connection.duplicateAcks, LIMITED_TRANSMIT_SEGMENTS) * payloadCapacity(connection);
    }

    /**
     * A segment the congestion window would cut short waits for the window to open by a whole segment: no segment
     * shorter than the data it could carry goes out because of the window (the peer's window is silly window
     * avoidance's business).
     */
    private static boolean isCutByCongestionWindow(
        final TcpConnection connection, final int sequence, final int length, final int wanted)
    {
        return length < wanted && connection.sendWindowEdge() - sequence > length;
    }

    /**
     * Nagle and sender silly window avoidance: a segment shorter than the MSS goes if it is at least half the
     * largest window the peer offered, or a retransmission, or the last of the queued data when no small segment
     * sent before is unacknowledged, {@code TCP_NODELAY} is set or a FIN follows. Nagle in Minshall's variant
     * (draft-minshall-nagle, Linux's {@code tcp_minshall_check}): where RFC 896 holds a small segment while any data
     * is unacknowledged, only an unacknowledged small one holds it, so the short tail of a response goes out behind
     * its full segments instead of waiting for their acknowledgement, which a peer delaying its ACKs holds back for
     * up to its delayed-ACK timeout; a stream of small writes still leaves one small segment per round trip.
     */
    private static boolean isWorthSending(
        final TcpConnection connection, final int length, final int unsent, final int sequence)
    {
        if (before(sequence, connection.sendMax) || length >= connection.maxSendWindow / 2)
        {
            return true;
        }
        return length == unsent &&
            (connection.options.noDelay || connection.finQueued || !isSmallSegmentUnacknowledged(connection));
    }

    private static boolean isSmallSegmentUnacknowledged(final TcpConnection connection)
    {
        return after(connection.smallSegmentEnd, connection.sendUnacknowledged) &&
            !after(connection.smallSegmentEnd, connection.sendMax);
    }

    private void startPersistIfStalled(final TcpConnection connection, final long nowNs)
    {
        if (connection.sendMax == connection.sendUnacknowledged && !connection.retransmissionTimer.isArmed())
        {
            connection.persisting = true;
            connection.retransmissionTimer.arm(nowNs + connection.rtt.rtoNs(), timers, timerListener);
        }
    }
}
