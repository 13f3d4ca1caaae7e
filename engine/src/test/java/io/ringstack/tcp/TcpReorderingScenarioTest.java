package io.ringstack.tcp;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.ringstack.wire.TcpSegment.FLAG_ACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sender on a path that delays some segments by ten round trips (a 1 ms path that holds a segment back 10 ms):
 * <ul>
 *   <li>the first late segment is resent (nothing showed reordering yet), and the D-SACK that reports its late copy
 *       measures how late it was; from then on RACK's reordering window waits that long (RFC 8985 section 6.2 step
 *       4, past the SRTT cap), and a segment as late is not resent;</li>
 *   <li>two recoveries on the heels of one another, each for a segment that was only late, are one undo episode:
 *       once D-SACKs show both retransmissions spurious, the window goes back to what it was before the first.</li>
 * </ul>
 */
class TcpReorderingScenarioTest
{
    private static final int PAYLOAD = 1448;
    private static final int RTT_MS = 1;
    private static final int LATE_MS = 10;

    private TcpTestbed bed;
    private ScriptedConnection connection;

    @BeforeEach
    void open()
    {
        bed = TcpTestbed.start(context -> context);
        connection = ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(7)
            .peerSackPermitted().peerTimestamps().roundTripMs(RTT_MS).open();
    }

    @AfterEach
    void close()
    {
        bed.close();
    }

    @Test
    void aDsackThatShowsASegmentTenMillisecondsLateKeepsTheNextAsLateFromBeingResent()
    {
        final List<SentSegment> flight = send(10);
        final int late = flight.get(0).sequence;
        lateFirstSegmentResent(flight);
        bed.advanceMillis(LATE_MS);
        bed.send(connection.peer(FLAG_ACK).ack(connection.ourNext).sack(late, late + PAYLOAD));
        bed.sent().forEach(connection::noteSent);
        assertEquals(1, bed.counters().tcpDsacksReceived.get());

        final int hole = connection.ourNext;
        send(10);
        bed.advanceMillis(RTT_MS);
        bed.send(connection.peer(FLAG_ACK).ack(hole).sack(hole + PAYLOAD, hole + 10 * PAYLOAD));
        bed.advanceMillis(LATE_MS - 2);
        bed.sent().forEach(connection::noteSent);
        bed.send(connection.peer(FLAG_ACK).ack(connection.ourNext));

        assertEquals(1, bed.counters().tcpRackLosses.get(), "only the first late segment was deemed lost");
        assertEquals(1, bed.counters().tcpFastRetransmits.get(), "one recovery");
    }

    @Test
    void twoSpuriousRecoveriesInARowAreUndoneToTheWindowBeforeTheFirst()
    {
        final List<SentSegment> flightA = send(10);
        final int holeA = flightA.get(0).sequence;
        assertEquals(20 * PAYLOAD, bed.write(connection.fd, new byte[20 * PAYLOAD]));
        lateFirstSegmentResent(flightA);
        final int startB = holeA + 10 * PAYLOAD;
        bed.send(connection.peer(FLAG_ACK).ack(startB));
        bed.sent().forEach(connection::noteSent);
        final int holeB = startB + PAYLOAD;
        final int flightEnd = connection.ourNext;
        assertTrue(flightEnd - holeB >= 4 * PAYLOAD, "the first recovery sent new data past its recovery point");

        bed.advanceMillis(RTT_MS);
        bed.send(connection.peer(FLAG_ACK).ack(holeB).sack(holeB + PAYLOAD, flightEnd));
        final List<SentSegment> resentB = bed.sent();
        assertTrue(resentB.stream().anyMatch(segment -> segment.sequence == holeB),
            () -> "the second late segment resent: " + resentB);
        resentB.forEach(connection::noteSent);
        assertEquals(2, bed.counters().tcpFastRetransmits.get(), "two recoveries");

        bed.advanceMillis(LATE_MS);
        bed.send(connection.peer(FLAG_ACK).ack(holeB).sack(holeA, holeA + PAYLOAD, holeB + PAYLOAD, flightEnd));
        bed.send(connection.peer(FLAG_ACK).ack(connection.ourNext).sack(holeB, holeB + PAYLOAD));
        bed.sent().forEach(connection::noteSent);
        bed.send(connection.peer(FLAG_ACK).ack(connection.ourNext));
        final int burst = send(40).size();

        assertEquals(1, bed.counters().tcpUndo.get(), "one undo for both");
        assertTrue(burst >= 10, () -> "a burst of " + burst + " segments: the initial window again, at least");
    }

    /**
     * One round trip after {@code flight}, the peer SACKs the rest of it but not its first segment, which is late;
     * the sender resends that one.
     */
    private void lateFirstSegmentResent(final List<SentSegment> flight)
    {
        final int hole = flight.get(0).sequence;
        bed.advanceMillis(RTT_MS);
        bed.send(connection.peer(FLAG_ACK).ack(hole).sack(hole + PAYLOAD, hole + flight.size() * PAYLOAD));
        final List<SentSegment> resent = bed.sent();
        assertEquals(hole, resent.get(0).sequence, () -> "fast retransmit of the late segment: " + resent);
        resent.forEach(connection::noteSent);
    }

    private List<SentSegment> send(final int segments)
    {
        assertEquals(segments * PAYLOAD, bed.write(connection.fd, new byte[segments * PAYLOAD]));
        final List<SentSegment> sent = bed.sent();
        sent.forEach(connection::noteSent);
        return sent;
    }
}
