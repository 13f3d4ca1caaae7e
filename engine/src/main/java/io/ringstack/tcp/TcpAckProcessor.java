package io.ringstack.tcp;

import io.ringstack.iface.EngineCounters;
import io.ringstack.iface.TimerListener;
import io.ringstack.iface.Timers;
import io.ringstack.wire.TcpOptions;
import io.ringstack.wire.TcpSegment;

import static io.ringstack.tcp.SequenceNumbers.after;
import static io.ringstack.tcp.SequenceNumbers.afterOrAt;
import static io.ringstack.tcp.SequenceNumbers.before;
import static io.ringstack.tcp.SequenceNumbers.beforeOrAt;
import static io.ringstack.tcp.SequenceNumbers.max;

/**
 * The acknowledgment field of a synchronized connection (RFC 9293 3.10.7.4, fifth check): SND.UNA advances and the
 * send ring releases the acknowledged bytes; each ACK of new data gives an RTT sample where it can (RFC 7323 4.3,
 * Karn's algorithm of RFC 6298 3 where it cannot); SACK blocks update the scoreboard (RFC 2018); the congestion
 * controller grows, or {@link LossRecovery} takes over; an ECN echo reduces the window ({@link ExplicitCongestion});
 * the retransmission timer restarts or stops (RFC 6298 5.2, 5.3); the peer's window is taken under the SND.WL1/SND.WL2
 * rule. Engine thread only; nothing allocates.
 */
final class TcpAckProcessor
{
    private final Timers timers;
    private final TimerListener timerListener;
    private final LossRecovery recovery;
    private final TcpOutputQueue output;
    private final EngineCounters counters;

    TcpAckProcessor(
        final Timers timers,
        final TimerListener timerListener,
        final LossRecovery recovery,
        final TcpOutputQueue output,
        final EngineCounters counters)
    {
        this.counters = counters;
        this.timers = timers;
        this.timerListener = timerListener;
        this.recovery = recovery;
        this.output = output;
    }

    /**
     * Process an acceptable acknowledgment field: {@code SND.UNA - MAX.SND.WND <= SEG.ACK <= SND.MAX}.
     */
    void onAck(final TcpConnection connection, final TcpSegment segment, final TcpOptions options, final long nowNs)
    {
        final int ack = segment.acknowledgmentNumber();
        final int sequence = segment.sequenceNumber();
        connection.softError = 0;
        final long window = (long)segment.window() << connection.sendWindowShift;
        final int unacknowledgedBefore = connection.sendUnacknowledged;
        final long flightBefore = connection.sendMax - unacknowledgedBefore;
        final long sackedAtStart = connection.scoreboard.sackedBytes();
        final boolean sampling = connection.logsTransmissions();
        if (sampling)
        {
            connection.deliveryRate.beginSample(LossRecovery.pipe(connection));
        }
        long sackedBefore = 0;
        if (connection.sackPermitted && options.sackBlockCount() > 0)
        {
            sackedBefore = sackedAtStart;
            final boolean dsack = isDsack(options, ack);
            if (dsack)
            {
                recovery.onDsack(connection, options.sackLeft(0), options.sackRight(0), nowNs);
            }
            for (int i = dsack ? 1 : 0; i < options.sackBlockCount(); i++)
            {
                connection.scoreboard.onSackBlock(options.sackLeft(i), options.sackRight(i),
                    connection.sendUnacknowledged, connection.sendMax);
            }
        }
        final boolean newSack = connection.scoreboard.sackedBytes() > sackedBefore;
        final boolean newAck = after(ack, connection.sendUnacknowledged);
        final boolean hasEcho = connection.timestamps && options.hasTimestamps();
        if (newAck)
        {
            RecoveryUndo.onNewAck(connection, ack, hasEcho, options.timestampEcho(), counters);
            final long rttSampleNs = sampleRtt(connection, ack, hasEcho, options.timestampEcho(), nowNs);
            onNewAck(connection, ack, flightBefore, sackedAtStart, !(connection.ecnEnabled && segment.isEce()),
                rttSampleNs, nowNs);
        }
        else if (LossRecovery.isDuplicateAck(connection, segment, ack, window, newSack))
        {
            recovery.onDuplicateAck(connection, ack, nowNs);
        }
        final long delivered = connection.sendUnacknowledged - unacknowledgedBefore +
            connection.scoreboard.sackedBytes() - sackedAtStart;
        if (connection.sackPermitted && (newAck || newSack))
        {
            recovery.onRackAck(connection, hasEcho, options.timestampEcho(), nowNs);
        }
        else if (sampling && newAck)
        {
            connection.rack.onAck(connection, hasEcho, options.timestampEcho(), nowNs);
        }
        if (sampling && (newAck || newSack))
        {
            onDelivered(connection, delivered, nowNs);
        }
        if (connection.ecnEnabled)
        {
            ExplicitCongestion.onAck(connection, segment.isEce(), nowNs, counters);
        }
        if (connection.prrActive)
        {
            ProportionalRateReduction.onAck(connection, delivered);
        }
        if (before(connection.sendWindowUpdateSequence, sequence) ||
            (connection.sendWindowUpdateSequence == sequence &&
            beforeOrAt(connection.sendWindowUpdateAck, ack)))
        {
            updateWindow(connection, window, sequence, ack);
        }
        output.mark(connection);
    }

    /**
     * Close the ACK's delivery rate sample and hand it to the controller, with the connection repairing losses in
     * fast recovery or after a timeout until SND.UNA passes what was outstanding at it. Without SACK the log is taken
     * by RACK's delivery pass alone, which finds what the cumulative ACK covers; its losses stay NewReno's.
     */
    private static void onDelivered(final TcpConnection connection, final long delivered, final long nowNs)
    {
        final DeliveryRate rate = connection.deliveryRate;
        rate.endSample(delivered, connection.rack.minRttNs(), nowNs);
        connection.congestion.onDelivered(rate, LossRecovery.pipe(connection),
            connection.inRecovery || before(connection.sendUnacknowledged, connection.recoveryPoint), nowNs);
    }

    /**
     * RFC 2883 section 4: the first SACK block reports a duplicate when the cumulative ACK covers it, or the second
     * block holds it.
     */
    static boolean isDsack(final TcpOptions options, final int ack)
    {
        final int left = options.sackLeft(0);
        final int right = options.sackRight(0);
        return beforeOrAt(right, ack) || (options.sackBlockCount() > 1 &&
            afterOrAt(left, options.sackLeft(1)) && beforeOrAt(right, options.sackRight(1)));
    }

    /**
     * Take the peer's window: SND.WND, SND.WL1 and SND.WL2. A window that opens ends the persist state.
     */
    void updateWindow(final TcpConnection connection, final long window, final int sequence, final int ack)
    {
        connection.sendWindow = window;
        connection.sendWindowUpdateSequence = sequence;
        connection.sendWindowUpdateAck = ack;
        connection.maxSendWindow = Math.max(connection.maxSendWindow, window);
        if (window > 0 && connection.persisting)
        {
            connection.persisting = false;
            connection.retransmissionTimer.disarm();
        }
    }

    /**
     * An RTT sample from every ACK of new data that can give one, as Linux takes them ({@code tcp_ack_update_rtt}):
     * the time since the oldest segment it acknowledges went out, from RACK's log, unless that includes a
     * retransmission (Karn); else the timestamp it echoes (RFC 7323 section 4.3, unambiguous by construction); without
     * either, the one segment Karn's algorithm times (RFC 6298 section 3).
     *
     * @return the sample, or -1 when the ACK gave none.
     */
    private static long sampleRtt(
        final TcpConnection connection, final int ack, final boolean hasEcho, final int echo, final long nowNs)
    {
        final long sampleNs = connection.sackPermitted ? connection.rack.cumulativeRttNs(ack, nowNs) : -1;
        if (sampleNs >= 0)
        {
            connection.rtt.onSample(sampleNs);
            connection.rtt.stopTiming();
            return sampleNs;
        }
        if (hasEcho)
        {
            final long echoedNs = (TcpSender.timestampClock(connection, nowNs) - echo) * TcpSender.NANOS_PER_MILLI;
            connection.rtt.onSample(echoedNs);
            connection.rtt.stopTiming();
            return echoedNs;
        }
        return connection.rtt.onAcknowledged(ack, nowNs);
    }

    /**
     * @param sackedAtStart the bytes the scoreboard held SACKed before this ACK.
     * @param grow whether the congestion window may grow for this ACK: not for one that echoes a CE mark (ECE), nor
     * while a reduction runs, as Linux does not grow it in its CWR and Recovery states. The ACK that ends a SACK
     * recovery grows the window set to ssthresh by what it delivered (the repair and what the peer had not SACKed), as
     * Linux's {@code tcp_cong_control} grows it once {@code tcp_end_cwnd_reduction} has set it: cumulatively
     * acknowledged bytes SACKed before were counted as delivered by the reduction.
     */
    private void onNewAck(
        final TcpConnection connection, final int ack, final long flightBefore, final long sackedAtStart,
        final boolean grow, final long rttSampleNs, final long nowNs)
    {
        final boolean reducing = connection.prrActive;
        final int acked = ack - connection.sendUnacknowledged;
        final TcpByteRing ring = connection.stream.sendRing();
        if (after(ack, connection.sendRingSequence))
        {
            final int released = Math.min(ack - connection.sendRingSequence, ring.written());
            ring.release(released);
            if (ring.isWritable())
            {
                connection.stream.writer().wake();
            }
            connection.sendRingSequence += released;
        }
        connection.sendUnacknowledged = ack;
        if (before(connection.sendNext, ack))
        {
            connection.sendNext = ack;
        }
        connection.scoreboard.onCumulativeAck(ack);
        connection.retransmissions = 0;
        connection.lossProbeSent = false;
        if (connection.inRecovery)
        {
            if (afterOrAt(ack, connection.recoveryPoint))
            {
                connection.inRecovery = false;
                connection.duplicateAcks = 0;
                if (connection.prrActive)
                {
                    ProportionalRateReduction.end(connection);
                    if (grow)
                    {
                        growWindow(connection, acked + connection.scoreboard.sackedBytes() - sackedAtStart,
                            flightBefore, rttSampleNs, nowNs);
                    }
                }
                else
                {
                    connection.congestion.onRecoveryEnd(connection.sendMax - ack);
                }
                connection.rack.onRecoveryEnd();
            }
            else
            {
                recovery.onPartialAck(connection, ack, acked, nowNs);
            }
        }
        else
        {
            connection.duplicateAcks = 0;
            if (grow && !reducing)
            {
                growWindow(connection, acked, flightBefore, rttSampleNs, nowNs);
            }
        }
        if (connection.sendMax == connection.sendUnacknowledged)
        {
            connection.retransmissionTimer.disarm();
        }
        else
        {
            TailLossProbe.armTimer(connection, nowNs, timers, timerListener);
        }
    }

    private static void growWindow(
        final TcpConnection connection, final long delivered, final long flightBefore, final long rttSampleNs,
        final long nowNs)
    {
        connection.congestion.onAck(delivered, Math.max(flightBefore, connection.flightPeak), nowNs,
            connection.rtt.smoothedRttNs(), rttSampleNs);
    }
}
