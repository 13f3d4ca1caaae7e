package io.ringstack.tcp;

import io.ringstack.iface.EngineCounters;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.TcpSegment;

import static io.ringstack.tcp.SequenceNumbers.after;

/**
 * Explicit Congestion Notification in TCP (RFC 3168 section 6.1), for a connection that negotiated it
 * ({@link TcpConnection#ecnEnabled}), as {@link io.ringstack.config.Setting#TCP_ECN} allows:
 * <pre>
 *   handshake (6.1.1)   ECN-setup SYN: ECE | CWR;  ECN-setup SYN-ACK: ECE, not CWR; anything else is no ECN
 *   sender (6.1.2)      new data goes with ECT(0) in its IP header; retransmissions, pure ACKs and window probes
 *                       without (6.1.5, 6.1.6). An ACK with ECE reduces the window once per window of data, not
 *                       in loss recovery, retransmits nothing, and the next segment of new data carries CWR
 *   receiver (6.1.3)    data with CE in its IP header: every segment sent carries ECE until a segment with CWR
 *                       comes; the ACK for a CE segment goes at once, as Linux's quick ACK on CE
 * </pre>
 * The window reduction is the congestion controller's multiplicative decrease (6.1.2: "the congestion window is
 * halved"), run as fast recovery runs its own: with SACK through Proportional Rate Reduction, without it at once.
 * Engine thread only; nothing allocates.
 */
final class ExplicitCongestion
{
    /** RFC 3168 6.1.1: the flags of an ECN-setup SYN. */
    static final int SETUP_SYN = TcpSegment.FLAG_ECE | TcpSegment.FLAG_CWR;
    /** RFC 3168 6.1.1: the flags of an ECN-setup SYN-ACK. */
    static final int SETUP_SYN_ACK = TcpSegment.FLAG_ECE;

    private ExplicitCongestion()
    {
    }

    /**
     * @return whether a SYN (without ACK) asks for ECN: ECE and CWR both set.
     */
    static boolean isSetupSyn(final TcpSegment segment)
    {
        return (segment.flags() & SETUP_SYN) == SETUP_SYN;
    }

    /**
     * @return whether a SYN-ACK agrees to ECN: ECE set, CWR not (a SYN-ACK with both is a peer that reflects the
     * flags it got, not an ECN-capable one).
     */
    static boolean isSetupSynAck(final TcpSegment segment)
    {
        return (segment.flags() & SETUP_SYN) == SETUP_SYN_ACK;
    }

    /**
     * @return the ECN flags of a segment the connection sends: ECE while it echoes a CE mark, CWR on the first
     * segment of new data after a reduction.
     * @param newData the segment carries data beyond SND.MAX.
     */
    static int flags(final TcpConnection connection, final boolean newData)
    {
        return (connection.ecnEcho ? TcpSegment.FLAG_ECE : 0) |
            (newData && connection.ecnCwrPending ? TcpSegment.FLAG_CWR : 0);
    }

    /**
     * An acceptable ACK of an ECN connection was processed (RFC 3168 6.1.2). Once SND.UNA has passed the data sent
     * before the last reduction, that reduction is over; an ECE then starts another, unless the connection is in loss
     * recovery: the controller lowers ssthresh and the window, and the next new data carries CWR. With SACK the
     * window comes down by {@link ProportionalRateReduction} over the next round trip, as Linux runs its CWR state;
     * without, at once. A reduction is not undone ({@link RecoveryUndo}), as Linux's {@code tcp_enter_cwr} ends an
     * undo episode. A controller that congestion does not reduce (BBR v1) keeps its window: the echo is still answered
     * with CWR once per window of data, as Linux's BBR answers it.
     *
     * @param echo the ACK carries ECE.
     */
    static void onAck(
        final TcpConnection connection, final boolean echo, final long nowNs, final EngineCounters counters)
    {
        if (connection.inRecovery || !after(connection.sendUnacknowledged, connection.ecnReductionEnd))
        {
            return;
        }
        if (connection.prrActive)
        {
            ProportionalRateReduction.end(connection);
        }
        if (echo)
        {
            final boolean reduces = connection.congestion.reducesOnCongestion();
            if (reduces)
            {
                counters.tcpEcnReductions.incrementRelease();
                connection.congestion.onLoss(connection.congestion.congestionWindow(), nowNs);
            }
            connection.ecnReductionEnd = connection.sendMax;
            connection.ecnCwrPending = true;
            connection.undoOpen = false;
            if (connection.sackPermitted && reduces)
            {
                ProportionalRateReduction.start(connection);
            }
        }
    }

    /**
     * A segment with data arrived (RFC 3168 6.1.3): CWR ends the echo of an earlier mark, CE starts one.
     *
     * @param dscpEcn the second octet of the segment's IPv4 header.
     * @return {@code true} when the segment was marked CE: its ACK should go at once.
     */
    static boolean onData(
        final TcpConnection connection, final TcpSegment segment, final int dscpEcn, final EngineCounters counters)
    {
        if (segment.isCwr())
        {
            connection.ecnEcho = false;
        }
        if ((dscpEcn & Ipv4Packet.ECN_MASK) != Ipv4Packet.ECN_CE)
        {
            return false;
        }
        counters.tcpEcnCeReceived.incrementRelease();
        connection.ecnEcho = true;
        return true;
    }
}
