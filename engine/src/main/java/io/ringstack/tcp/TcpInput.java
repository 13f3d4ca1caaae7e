package io.ringstack.tcp;

import io.ringstack.config.Setting;
import io.ringstack.config.Settings;
import io.ringstack.iface.DropReason;
import io.ringstack.iface.EngineCounters;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.TcpOptions;
import io.ringstack.wire.TcpSegment;
import java.util.concurrent.TimeUnit;

import static io.ringstack.tcp.SequenceNumbers.after;
import static io.ringstack.tcp.SequenceNumbers.afterOrAt;
import static io.ringstack.tcp.SequenceNumbers.before;
import static io.ringstack.tcp.SequenceNumbers.beforeOrAt;
import static io.ringstack.tcp.SequenceNumbers.max;
import static io.ringstack.tcp.SequenceNumbers.min;
import static io.ringstack.tcp.SequenceNumbers.within;

/**
 * A segment arrives for a connection: RFC 9293 section 3.10.7.3 (SYN-SENT) and 3.10.7.4 (the other states),
 * with RFC 7323 PAWS and RFC 5961's defences:
 * <pre>
 *   SYN-SENT   ACK acceptable? RST -&gt; refused. SYN -&gt; ESTABLISHED (with ACK) or SYN-RECEIVED (simultaneous open)
 *   others     1 PAWS, then the sequence check (unacceptable: ACK and drop)
 *              2 RST:  at RCV.NXT resets, elsewhere in the window only earns a challenge ACK  (RFC 5961 3)
 *              4 SYN:  challenge ACK                                                         (RFC 5961 4)
 *              5 ACK:  SYN-RECEIVED -&gt; ESTABLISHED; SND.UNA - MAX.SND.WND &lt;= SEG.ACK &lt;= SND.MAX or drop
 *                      (RFC 5961 5); our FIN acknowledged moves FIN-WAIT-1, CLOSING, LAST-ACK on
 *              7 text: in order into the receive ring, out of order placed past its tail and remembered
 *              8 FIN:  in order ends the peer's stream: CLOSE-WAIT, CLOSING or TIME-WAIT
 * </pre>
 * Every segment ends delivered ({@code null}) or as a {@link DropReason}. Engine thread only; no allocation.
 */
final class TcpInput
{
    /** RFC 7323 section 5.5: TS.Recent older than 24 days is stale and no longer used to reject segments. */
    static final long PAWS_IDLE_NS = TimeUnit.DAYS.toNanos(24);

    private final EngineCounters counters;
    private final TcpNegotiation negotiation;
    private final TcpLifecycle lifecycle;
    private final TcpAckProcessor acks;
    private final TcpTimeouts timeouts;
    private final TcpSender sender;
    private final TcpOutputQueue output;
    private final ChallengeAckLimit challengeAcks;
    private final Handshake handshake = new Handshake();
    private boolean textTrimmed;

    TcpInput(
        final Settings settings,
        final EngineCounters counters,
        final TcpNegotiation negotiation,
        final TcpLifecycle lifecycle,
        final TcpAckProcessor acks,
        final TcpTimeouts timeouts,
        final TcpSender sender,
        final TcpOutputQueue output)
    {
        this.counters = counters;
        this.negotiation = negotiation;
        this.lifecycle = lifecycle;
        this.acks = acks;
        this.timeouts = timeouts;
        this.sender = sender;
        this.output = output;
        challengeAcks = new ChallengeAckLimit(settings.intValue(Setting.TCP_CHALLENGE_ACK_LIMIT));
    }

    /**
     * @param ip the packet that carried the segment, for its ECN field (RFC 3168 6.1.3).
     */
    DropReason onSegment(
        final TcpConnection connection, final Ipv4Packet ip, final TcpSegment segment, final TcpOptions options,
        final long nowNs)
    {
        if (connection.state == TcpState.SYN_SENT)
        {
            return onSynSent(connection, segment, options, nowNs);
        }
        final int sequence = segment.sequenceNumber();
        if (isSimultaneousOpenSynAck(connection, segment))
        {
            connection.sendUnacknowledged = segment.acknowledgmentNumber();
            acks.updateWindow(connection, segment.window(), sequence, segment.acknowledgmentNumber());
            lifecycle.establish(connection, nowNs);
            return null;
        }
        if (connection.timestamps && options.hasTimestamps() && !segment.isRst() &&
            before(options.timestampValue(), connection.timestampRecent) &&
            nowNs - connection.timestampRecentNs < PAWS_IDLE_NS && !isDisorderedAck(connection, segment, options) &&
            !isOvertakenData(connection, segment, options))
        {
            final int length = segment.payloadLength();
            if (length > 0 && before(sequence, connection.receiveNext))
            {
                reportDuplicate(connection, sequence, min(sequence + length, connection.receiveNext));
            }
            requestAck(connection);
            return DropReason.TCP_PAWS;
        }
        if (!isAcceptable(connection, sequence, TcpSegmentOutput.sequenceLength(segment)))
        {
            if (segment.isRst())
            {
                return DropReason.TCP_RST_OUT_OF_WINDOW;
            }
            final int length = segment.payloadLength();
            if (length > 0 && beforeOrAt(sequence + length, connection.receiveNext))
            {
                reportDuplicate(connection, sequence, sequence + length);
            }
            requestAck(connection);
            return DropReason.TCP_OUT_OF_WINDOW;
        }
        if (segment.isRst())
        {
            if (sequence == connection.receiveNext)
            {
                counters.tcpResetsReceived.incrementRelease();
                lifecycle.onReset(connection);
                return null;
            }
            challengeAck(connection, nowNs);
            return DropReason.TCP_RST_CHALLENGED;
        }
        if (segment.isSyn())
        {
            challengeAck(connection, nowNs);
            return DropReason.TCP_SYN_CHALLENGED;
        }
        if (!segment.isAck())
        {
            return DropReason.TCP_NO_ACK_FLAG;
        }
        connection.lastReceiveNs = nowNs;
        connection.keepAliveProbesSent = 0;
        if (connection.timestamps && options.hasTimestamps() && beforeOrAt(sequence, connection.lastAckSent) &&
            afterOrAt(options.timestampValue(), connection.timestampRecent))
        {
            connection.timestampRecent = options.timestampValue();
            connection.timestampRecentNs = nowNs;
        }
        final int ack = segment.acknowledgmentNumber();
        if (connection.state == TcpState.SYN_RECEIVED)
        {
            if (!after(ack, connection.sendUnacknowledged) || after(ack, connection.sendMax))
            {
                sender.sendResetForAck(connection, ack, nowNs);
                return DropReason.TCP_BAD_HANDSHAKE_ACK;
            }
            acks.updateWindow(connection, (long)segment.window() << connection.sendWindowShift, sequence, ack);
            lifecycle.establish(connection, nowNs);
        }
        if (after(ack, connection.sendMax))
        {
            requestAck(connection);
            return DropReason.TCP_ACK_UNSENT;
        }
        if (before(ack, connection.sendUnacknowledged - (int)Math.min(connection.maxSendWindow, Integer.MAX_VALUE)))
        {
            challengeAck(connection, nowNs);
            return DropReason.TCP_ACK_TOO_OLD;
        }
        acks.onAck(connection, segment, options, nowNs);
        if (connection.isFinAcknowledged() && !onFinAcknowledged(connection, nowNs))
        {
            return null;
        }
        if (segment.payloadLength() > 0 || segment.isFin())
        {
            if (connection.ecnEnabled && segment.payloadLength() > 0 &&
                ExplicitCongestion.onData(connection, segment, ip.dscpEcn(), counters))
            {
                requestAck(connection);
            }
            return onText(connection, segment, sequence, nowNs);
        }
        return null;
    }

    /**
     * RFC 9293 section 3.10.7.3: the connection sent a SYN and waits for the peer's.
     */
    private DropReason onSynSent(
        final TcpConnection connection, final TcpSegment segment, final TcpOptions options, final long nowNs)
    {
        final int ack = segment.acknowledgmentNumber();
        if (segment.isAck() && (beforeOrAt(ack, connection.initialSendSequence) || after(ack, connection.sendMax)))
        {
            if (!segment.isRst())
            {
                sender.sendResetForAck(connection, ack, nowNs);
            }
            return DropReason.TCP_BAD_HANDSHAKE_ACK;
        }
        if (segment.isRst())
        {
            if (!segment.isAck())
            {
                return DropReason.TCP_RST_OUT_OF_WINDOW;
            }
            counters.tcpResetsReceived.incrementRelease();
            lifecycle.onReset(connection);
            return null;
        }
        if (!segment.isSyn())
        {
            return DropReason.TCP_SYN_SENT_NO_SYN;
        }
        final int sequence = segment.sequenceNumber();
        connection.peerInitialSequence(sequence);
        handshake.fromOptions(options).timestampOffset = connection.timestampOffset;
        handshake.ecn = negotiation.requestsEcn() && (segment.isAck() ?
            ExplicitCongestion.isSetupSynAck(segment) : ExplicitCongestion.isSetupSyn(segment));
        negotiation.negotiate(connection, handshake, nowNs);
        if (!segment.isAck())
        {
            connection.state = TcpState.SYN_RECEIVED;
            sender.sendSyn(connection, nowNs);
            return null;
        }
        connection.sendUnacknowledged = ack;
        connection.rtt.onAcknowledged(ack, nowNs);
        connection.retransmissions = 0;
        connection.retransmissionTimer.disarm();
        acks.updateWindow(connection, segment.window(), sequence, ack);
        lifecycle.establish(connection, nowNs);
        requestAck(connection);
        if (segment.payloadLength() > 0 || segment.isFin())
        {
            return onText(connection, segment, sequence + 1, nowNs);
        }
        return null;
    }

    /**
     * PAWS guards against old duplicates of segments that carry data or change state (RFC 7323 section 5); a pure
     * acknowledgment overtaken on the way by a later one is neither, so it passes, as Linux lets a duplicate ACK
     * pass ({@code tcp_disordered_ack}) and as an ACK that is otherwise acceptable should: no data, SYN or FIN, at
     * RCV.NXT, acknowledging SND.UNA or less but within the window RFC 5961 accepts, unable to move the window on
     * (not from a later SND.WL1; below SND.WL2 or no larger than SND.WND), and a TSval no more than one RTO, in
     * milliseconds, behind TS.Recent (it was reordered, not wrapped). Its SACK and D-SACK blocks and its count as
     * a duplicate ACK reach loss recovery; TS.Recent does not move back.
     */
    private static boolean isDisorderedAck(
        final TcpConnection connection, final TcpSegment segment, final TcpOptions options)
    {
        final int sequence = segment.sequenceNumber();
        final int ack = segment.acknowledgmentNumber();
        final int oldest = connection.sendUnacknowledged - (int)Math.min(connection.maxSendWindow, Integer.MAX_VALUE);
        final long window = (long)segment.window() << connection.sendWindowShift;
        return segment.isAck() && !segment.isSyn() && !segment.isFin() && segment.payloadLength() == 0 &&
            sequence == connection.receiveNext && beforeOrAt(ack, connection.sendUnacknowledged) &&
            afterOrAt(ack, oldest) && !after(sequence, connection.sendWindowUpdateSequence) &&
            (before(ack, connection.sendWindowUpdateAck) || window <= connection.sendWindow) &&
            connection.timestampRecent - options.timestampValue() <= replayWindowMs(connection);
    }

    /**
     * PAWS is there for old duplicates from an earlier cycle of the sequence space (RFC 7323 section 5). A data
     * segment that a retransmission overtook on a reordering path is not one, and dropping it would lose its bytes
     * again: its bytes end past RCV.NXT (new data, or data that fills a hole) and its TSval trails TS.Recent by no
     * more than one RTO in milliseconds, far less than the sequence space takes to wrap at any rate this engine
     * sends. It passes on, and TS.Recent does not move back. A duplicate of delivered data is still dropped, with a
     * D-SACK for it (RFC 2883), as Linux reports one ({@code tcp_send_dupack}).
     */
    private static boolean isOvertakenData(
        final TcpConnection connection, final TcpSegment segment, final TcpOptions options)
    {
        return segment.payloadLength() > 0 && !segment.isSyn() &&
            after(segment.sequenceNumber() + segment.payloadLength(), connection.receiveNext) &&
            connection.timestampRecent - options.timestampValue() <= replayWindowMs(connection);
    }

    /**
     * @return how far behind TS.Recent a reordered segment's TSval may be: one RTO, in milliseconds.
     */
    private static long replayWindowMs(final TcpConnection connection)
    {
        return connection.rtt.rtoNs() / TimeUnit.MILLISECONDS.toNanos(1);
    }

    /**
     * Linux's allowance for a simultaneous open: in SYN-RECEIVED the peer's SYN-ACK repeats its SYN (so it lies
     * before RCV.NXT) and acknowledges ours.
     */
    private static boolean isSimultaneousOpenSynAck(final TcpConnection connection, final TcpSegment segment)
    {
        return connection.state == TcpState.SYN_RECEIVED && !connection.passive && segment.isSyn() &&
            segment.isAck() && !segment.isRst() && segment.sequenceNumber() + 1 == connection.receiveNext &&
            segment.acknowledgmentNumber() == connection.sendNext;
    }

    /**
     * The acceptability test of RFC 9293 section 3.10.7.4 against the window last advertised. With a zero window
     * a segment at RCV.NXT is let through for its ACK, RST and FIN, its data then finding no room, as RFC 9293
     * asks ("special allowance should be made to accept valid ACKs, URGs, and RSTs").
     */
    private static boolean isAcceptable(final TcpConnection connection, final int sequence, final int length)
    {
        final int next = connection.receiveNext;
        final int window = Math.max(connection.advertisedEdge - next, 0);
        if (window == 0)
        {
            return sequence == next;
        }
        if (length == 0)
        {
            return within(sequence, next, next + window);
        }
        return within(sequence, next, next + window) || within(sequence + length - 1, next, next + window);
    }

    /**
     * Our FIN was acknowledged.
     *
     * @return {@code false} when that ended the connection (CLOSING, LAST-ACK).
     */
    private boolean onFinAcknowledged(final TcpConnection connection, final long nowNs)
    {
        switch (connection.state)
        {
            case FIN_WAIT_1:
                connection.state = TcpState.FIN_WAIT_2;
                lifecycle.armIdleTimer(connection, nowNs);
                return true;
            case CLOSING:
                lifecycle.enterTimeWait(connection, nowNs);
                return false;
            case LAST_ACK:
                lifecycle.finish(connection);
                return false;
            default:
                return true;
        }
    }

    /**
     * Steps seven and eight: the segment's data and FIN, whose first byte has sequence number {@code sequence}.
     */
    private DropReason onText(
        final TcpConnection connection, final TcpSegment segment, final int sequence, final long nowNs)
    {
        if (!connection.state.receivesData() && connection.state != TcpState.SYN_RECEIVED)
        {
            requestAck(connection);
            return null;
        }
        final int length = segment.payloadLength();
        textTrimmed = false;
        if (length > 0)
        {
            if (!connection.attached && connection.listenerSlot < 0 &&
                (connection.state == TcpState.FIN_WAIT_1 || connection.state == TcpState.FIN_WAIT_2) &&
                after(sequence + length, connection.receiveNext))
            {
                lifecycle.resetAndAbort(connection, nowNs);
                return DropReason.TCP_DATA_AFTER_CLOSE;
            }
            final DropReason verdict = placeData(connection, segment, sequence, length, nowNs);
            if (verdict != null)
            {
                return verdict;
            }
        }
        if (segment.isFin() && !textTrimmed)
        {
            onFin(connection, sequence + length, nowNs);
        }
        return null;
    }

    /**
     * Place the bytes the receive ring has room for: in order ones are published at once with any out-of-order
     * bytes they join up with; out-of-order ones wait past the tail, recorded in the reassembly queue.
     */
    private DropReason placeData(
        final TcpConnection connection, final TcpSegment segment, final int sequence, final int length,
        final long nowNs)
    {
        final TcpByteRing ring = connection.stream.receiveRing();
        final int next = connection.receiveNext;
        final int start = max(sequence, next);
        int end = sequence + length;
        if (before(sequence, next))
        {
            reportDuplicate(connection, sequence, min(end, next));
        }
        else if (connection.reassembly.holds(sequence, end))
        {
            reportDuplicate(connection, sequence, end);
        }
        final int roomEnd = next + ring.room();
        if (after(end, roomEnd))
        {
            end = roomEnd;
            textTrimmed = true;
        }
        if (!after(end, start))
        {
            requestAck(connection);
            return null;
        }
        ring.copyIn(start - next, segment.buffer(), segment.payloadOffset() + (start - sequence), end - start);
        if (start == next)
        {
            final boolean filledHole = !connection.reassembly.isEmpty();
            final int newNext = connection.reassembly.advance(end);
            ring.publish(newNext - next);
            connection.stream.reader().wake();
            connection.receiveNext = newNext;
            if (filledHole)
            {
                sender.sendAck(connection, nowNs);
            }
            else
            {
                timeouts.onDataReceived(connection, end - start, nowNs);
            }
            if (connection.outOfOrderFin && connection.receiveNext == connection.outOfOrderFinSequence)
            {
                connection.outOfOrderFin = false;
                acceptFin(connection, nowNs);
            }
            return null;
        }
        final boolean placed = connection.reassembly.add(start, end);
        sender.sendAck(connection, nowNs);
        if (!placed)
        {
            return DropReason.TCP_REASSEMBLY_FULL;
        }
        counters.tcpOutOfOrderSegments.incrementRelease();
        return null;
    }

    private void onFin(final TcpConnection connection, final int finSequence, final long nowNs)
    {
        if (before(finSequence, connection.receiveNext) || connection.finReceived)
        {
            requestAck(connection);
        }
        else if (after(finSequence, connection.receiveNext))
        {
            connection.outOfOrderFin = true;
            connection.outOfOrderFinSequence = finSequence;
            requestAck(connection);
        }
        else
        {
            acceptFin(connection, nowNs);
        }
    }

    /**
     * The peer's FIN is next in sequence: its stream ends.
     */
    private void acceptFin(final TcpConnection connection, final long nowNs)
    {
        connection.receiveNext++;
        connection.finReceived = true;
        connection.stream.peerFinished();
        switch (connection.state)
        {
            case SYN_RECEIVED:
            case ESTABLISHED:
                connection.state = TcpState.CLOSE_WAIT;
                requestAck(connection);
                break;
            case FIN_WAIT_1:
                if (connection.isFinAcknowledged())
                {
                    sender.sendAck(connection, nowNs);
                    lifecycle.enterTimeWait(connection, nowNs);
                }
                else
                {
                    connection.state = TcpState.CLOSING;
                    requestAck(connection);
                }
                break;
            case FIN_WAIT_2:
                sender.sendAck(connection, nowNs);
                lifecycle.enterTimeWait(connection, nowNs);
                break;
            default:
                requestAck(connection);
                break;
        }
    }

    /**
     * RFC 2883 section 4: the next ACK leads its SACK blocks with a D-SACK block for the duplicate just received.
     */
    private static void reportDuplicate(final TcpConnection connection, final int start, final int end)
    {
        if (connection.sackPermitted)
        {
            connection.dsackPending = true;
            connection.dsackStart = start;
            connection.dsackEnd = end;
        }
    }

    private void requestAck(final TcpConnection connection)
    {
        connection.ackNow = true;
        output.mark(connection);
    }

    /**
     * RFC 5961 section 7: challenge ACKs, at most the engine's limit per second.
     */
    private void challengeAck(final TcpConnection connection, final long nowNs)
    {
        if (challengeAcks.allow(nowNs))
        {
            counters.tcpChallengeAcks.incrementRelease();
            requestAck(connection);
        }
        else
        {
            counters.tcpChallengeAcksSuppressed.incrementRelease();
        }
    }
}
