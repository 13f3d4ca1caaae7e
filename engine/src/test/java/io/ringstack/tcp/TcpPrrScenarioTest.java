package io.ringstack.tcp;

import io.ringstack.config.Setting;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.ringstack.wire.TcpSegment.FLAG_ACK;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Proportional Rate Reduction (RFC 6937) in a SACK fast recovery, with NewReno's window so that ssthresh is half
 * the flight. Each test first opens cwnd to 20 segments (ten segments, each acknowledged on its own, in slow start),
 * then sends a flight of 20; one RTT later the peer's ACKs SACK what arrived. RecoverFS = 20 segments, ssthresh =
 * 10; "delivered" below is prr_delivered in segments, "out" prr_out.
 */
class TcpPrrScenarioTest
{
    private static final int PAYLOAD = 1460;
    private static final int RTT_MS = 10;
    private static final int FLIGHT = 20;

    private TcpTestbed bed;
    private ScriptedConnection connection;
    private int first;

    @AfterEach
    void close()
    {
        bed.close();
    }

    /**
     * RFC 6937 section 6's example: segment 1 of 20 is lost, the others arrive. The ACK that SACKs segments 2 to 4
     * starts recovery: the fast retransmit (out 1) and ceil(3 * 10 / 20) - 1 = 1 new segment. From then on each ACK
     * SACKs one more segment and, while the pipe is above ssthresh, every second one sends a new segment:
     * ceil(4 * 10 / 20) - 2 = 0, ceil(5 * 10 / 20) - 2 = 1, ... The ACK of segment 18 (delivered 17, out 8) finds
     * the pipe at 20 + 7 - 17 = 10 = ssthresh, so PRR-SSRB: min(10 - 10, ...) = 0; those of 19 and 20 (pipe 9)
     * min(10 - 9, ...) = 1 each. Nine new segments and the retransmission went, out = 10 = ssthresh, no burst at the
     * entry and never a silence of more than two ACKs: RFC 6675 sent nothing until the pipe fell below cwnd = 10,
     * seven ACKs later, then one segment per ACK.
     */
    @Test
    void oneLossInTwentySendsOneSegmentForEveryTwoDelivered()
    {
        startFlight(2 * FLIGHT);

        final List<SentSegment> entry = ack(first, sackTo(4));
        assertEquals(2, entry.size(), () -> "the fast retransmit and one new segment: " + entry);
        assertEquals(first, entry.get(0).sequence, "the fast retransmit");
        assertEquals(first + FLIGHT * PAYLOAD, entry.get(1).sequence, "new data");
        final List<Integer> perAck = new ArrayList<>();
        for (int sacked = 5; sacked <= FLIGHT; sacked++)
        {
            perAck.add(ack(first, sackTo(sacked)).size());
        }

        assertEquals(List.of(0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1), perAck,
            "segments sent by the ACKs that SACK segments 5 to 20");
        assertEquals(1, bed.counters().tcpRetransmittedSegments.get());
    }

    /**
     * The repair's ACK covers the 20 segments and ends recovery with nine new segments in flight: cwnd = ssthresh =
     * 10 lets one more go.
     */
    @Test
    void recoveryEndsWithCwndAtSsthresh()
    {
        startFlight(2 * FLIGHT);
        sackThrough(FLIGHT);

        assertEquals(1, ack(first + FLIGHT * PAYLOAD).size(), "cwnd 10 with 9 new segments in flight");
    }

    /**
     * The ACKs that SACKed segments 5 to 20 were lost: the repair's ACK delivers 17 segments at once (the repair and
     * the 16 the peer had not SACKed) and grows the window it ends at ssthresh by them, as Linux's tcp_cong_control
     * grows it once tcp_end_cwnd_reduction has set it: congestion avoidance adds one MSS per cwnd of bytes delivered,
     * cwnd 11 with the one new segment of the entry in flight lets 10 go, where a window left at ssthresh let 9 go.
     */
    @Test
    void theAckThatEndsRecoveryGrowsTheWindowByWhatItDelivered()
    {
        startFlight(2 * FLIGHT);
        assertEquals(2, ack(first, sackTo(4)).size(), "the fast retransmit and one new segment");

        assertEquals(10, ack(first + FLIGHT * PAYLOAD).size(), "cwnd 11 with 1 new segment in flight");
    }

    /**
     * A window not deflated to the flight shows when the application had nothing more to send: the 20 segments were
     * all it wrote, the flight is empty at the exit, and a write of 20 more sends ssthresh = 10 of them at once,
     * where RFC 6582's deflation to the flight + 1 segment sent 2.
     */
    @Test
    void anApplicationLimitedRecoveryEndsWithCwndAtSsthresh()
    {
        startFlight(FLIGHT);
        ack(first, sackTo(4));
        for (int sacked = 5; sacked <= FLIGHT; sacked++)
        {
            assertEquals(0, ack(first, sackTo(sacked)).size(), "nothing to send but the repair");
        }
        assertEquals(0, ack(first + FLIGHT * PAYLOAD).size());

        assertEquals(10, write(FLIGHT).size(), "cwnd = ssthresh = 10 segments");
    }

    /**
     * An application-limited sender in the proportional part: after the ACK that brings delivered to 8 (pipe 12 above
     * ssthresh), the sndcnt it left is ceil(8 * 10 / 20) - 1 = 3, and a write then sends those 3 segments; the next
     * ACK (delivered 9) allows ceil(9 * 10 / 20) - 4 = 1. RFC 6675 sent nothing here, cwnd 10 below the pipe.
     */
    @Test
    void anApplicationThatWritesLateSendsTheShareItsAcksEarned()
    {
        startFlight(FLIGHT);
        sackThrough(9);

        assertEquals(3, write(FLIGHT).size(), "ceil(8 * 10 / 20) - 1");
        assertEquals(1, ack(first, sackTo(10)).size(), "ceil(9 * 10 / 20) - 4");
    }

    /**
     * An ACK that delivers nothing (the same SACK again) leaves the window as it was: nothing more goes, in the
     * proportional part and in PRR-SSRB alike.
     */
    @Test
    void anAckThatDeliversNothingSendsNothing()
    {
        startFlight(2 * FLIGHT);
        ack(first, sackTo(4));
        assertEquals(0, ack(first, sackTo(4)).size(), "proportional part");
        for (int sacked = 5; sacked <= FLIGHT; sacked++)
        {
            ack(first, sackTo(sacked));
        }

        assertEquals(0, ack(first, sackTo(FLIGHT)).size(), "PRR-SSRB");
    }

    /**
     * Heavy loss: the first ACK SACKs only segments 18 to 20, and RACK deems the 17 before them lost. The pipe (1, the
     * fast retransmit) is far below ssthresh, so PRR-SSRB bounds each ACK: at entry max(3 - 1, 3) + 1 = 4 segments
     * after the fast retransmit (RFC 6675 filled cwnd at once: 10); the ACK of the repaired segment 1 (delivered 4,
     * out 5, pipe 4) max(4 - 5, 1) + 1 = 2, one segment more than it delivered, where RFC 6675's rule in that state
     * (cwnd 10 less pipe 4) sent 6.
     */
    @Test
    void heavyLossGrowsAtMostOneSegmentBeyondWhatEachAckDelivered()
    {
        startFlight(2 * FLIGHT);

        final List<SentSegment> entry = ack(first, first + 17 * PAYLOAD, first + FLIGHT * PAYLOAD);
        assertEquals(5, entry.size(), () -> "the fast retransmit and four: " + entry);
        for (int i = 0; i < entry.size(); i++)
        {
            assertEquals(first + i * PAYLOAD, entry.get(i).sequence, "retransmissions in order");
        }
        assertEquals(2, ack(first + PAYLOAD, first + 17 * PAYLOAD, first + FLIGHT * PAYLOAD).size());
    }

    /**
     * The repair's ACK carries a D-SACK for it (RFC 2883): the original arrived, the recovery was spurious, and the
     * undo restores cwnd to 20 segments, which PRR had held at ssthresh.
     */
    @Test
    void anUndoneRecoveryGetsItsWindowBack()
    {
        startFlight(2 * FLIGHT);
        sackThrough(FLIGHT);

        final List<SentSegment> sent = ack(first + FLIGHT * PAYLOAD, first, first + PAYLOAD);
        assertEquals(1, bed.counters().tcpUndo.get());
        assertEquals(11, sent.size(), "cwnd 20 with 9 new segments in flight");
    }

    private void openWindow()
    {
        bed = TcpTestbed.start(context -> context.set(Setting.TCP_TIMESTAMPS, false)
            .set(Setting.TCP_CONGESTION_CONTROL, TcpCongestionAlgorithm.NEW_RENO));
        connection = ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(7)
            .peerSackPermitted().roundTripMs(RTT_MS).open();
        final int start = connection.ourNext;
        assertEquals(10, write(10).size(), "the initial window");
        bed.advanceMillis(RTT_MS);
        for (int segment = 1; segment <= 10; segment++)
        {
            ack(start + segment * PAYLOAD);
        }
        first = connection.ourNext;
    }

    /**
     * Open the window, write {@code segments}, of which 20 go, and let one RTT pass.
     */
    private void startFlight(final int segments)
    {
        openWindow();
        assertEquals(FLIGHT, write(segments).size(), "cwnd 20 segments");
        bed.advanceMillis(RTT_MS);
    }

    /**
     * The peer's ACKs of segment 1 that SACK segments 2 to 4, then one more segment each, up to {@code last}.
     */
    private void sackThrough(final int last)
    {
        for (int sacked = 4; sacked <= last; sacked++)
        {
            ack(first, sackTo(sacked));
        }
    }

    private int[] sackTo(final int segment)
    {
        return new int[] { first + PAYLOAD, first + segment * PAYLOAD };
    }

    private List<SentSegment> write(final int segments)
    {
        assertEquals(segments * PAYLOAD, bed.write(connection.fd, new byte[segments * PAYLOAD]));
        final List<SentSegment> sent = bed.sent();
        sent.forEach(connection::noteSent);
        return sent;
    }

    private List<SentSegment> ack(final int acknowledgment, final int... sackEdges)
    {
        final PeerSegment ack = connection.peer(FLAG_ACK).ack(acknowledgment);
        bed.send(sackEdges.length == 0 ? ack : ack.sack(sackEdges));
        final List<SentSegment> sent = bed.sent();
        sent.forEach(connection::noteSent);
        return sent;
    }
}
