package io.ringstack.tcp;

import io.ringstack.config.Setting;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.ringstack.wire.TcpSegment.FLAG_ACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fast retransmission is lost too (RFC 8985 section 6.2, lost retransmission detection): once data sent after it
 * is SACKed, a quarter RTT past one RTT, the hole goes again, well before the 200 ms retransmission timer.
 */
class TcpLostRetransmissionScenarioTest
{
    private static final int PAYLOAD = 1460;

    private TcpTestbed bed;

    @AfterEach
    void close()
    {
        bed.close();
    }

    @Test
    void aLostFastRetransmissionIsResentOnceLaterDataIsSacked()
    {
        bed = TcpTestbed.start(context -> context.set(Setting.TCP_TIMESTAMPS, false));
        final ScriptedConnection connection =
            ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(7).peerSackPermitted()
                .roundTripMs(10).open();
        send(connection, 10);
        bed.advanceMillis(10);
        connection.peerAcksAll();
        final int hole = connection.ourNext;
        send(connection, 10);

        // The first segment of the flight is lost; one RTT later, three SACKs for the next ones start fast recovery.
        bed.advanceMillis(10);
        for (int sacked = 1; sacked <= 3; sacked++)
        {
            bed.send(connection.peer(FLAG_ACK).ack(hole).sack(hole + PAYLOAD, hole + (1 + sacked) * PAYLOAD));
        }
        final List<SentSegment> recovery = bed.sent();
        assertEquals(hole, recovery.get(0).sequence, () -> "fast retransmit: " + recovery);
        assertEquals(1, bed.counters().tcpFastRetransmits.get());

        // The retransmission is lost as well; a new segment sent after it (the pipe allows one) arrives and is
        // SACKed a few RTTs later.
        send(connection, 1);
        bed.advanceMillis(5);
        bed.send(connection.peer(FLAG_ACK).ack(hole).sack(hole + PAYLOAD, connection.ourNext));
        final List<SentSegment> again = bed.sent();

        assertTrue(!again.isEmpty() && again.get(0).sequence == hole, () -> "the hole again: " + again);
        assertEquals(1, bed.counters().tcpLostRetransmissions.get());
        assertEquals(0, bed.counters().tcpRetransmissionTimeouts.get());
        assertEquals(1, bed.counters().tcpFastRetransmits.get(), "one recovery, one window reduction");
    }

    /**
     * Two holes are resent in one flush; the first retransmission is lost, the second arrives and is SACKed. The
     * peer's timestamp echo is still that of the segment before the first hole (RFC 7323 section 4.3: TS.Recent
     * moves only with RCV.NXT), older than either retransmission; the SACKed retransmission is judged by its RTT
     * alone, as RACK's newest delivered segment, so the first hole goes again at once instead of at the RTO.
     */
    @Test
    void aSackedRetransmissionShowsAnEarlierOneLostWhateverTheTimestampItEchoes()
    {
        bed = TcpTestbed.start();
        final ScriptedConnection connection =
            ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(7).peerSackPermitted()
                .peerTimestamps().roundTripMs(10).open();
        final int payload = PAYLOAD - TcpSegmentOutput.optionSpace(true, 0);
        final int start = connection.ourNext;
        assertEquals(10 * payload, bed.write(connection.fd, new byte[10 * payload]));
        final List<SentSegment> flight = bed.sent();
        flight.forEach(connection::noteSent);
        final int echoOfTheFirstSegment = flight.get(0).timestampValue;

        bed.advanceMillis(10);
        bed.send(connection.peer(FLAG_ACK).ack(start + payload).sack(start + 3 * payload, start + 5 * payload,
            start + 6 * payload, start + 10 * payload).timestamps(++connection.peerClock, echoOfTheFirstSegment));
        final List<SentSegment> repairs = bed.sent();
        repairs.forEach(connection::noteSent);
        assertEquals(List.of(start + payload, start + 2 * payload, start + 5 * payload),
            repairs.stream().map(segment -> segment.sequence).toList(), "the three holes");

        bed.advanceMillis(10);
        bed.send(connection.peer(FLAG_ACK).ack(start + payload).sack(start + 2 * payload, start + 10 * payload)
            .timestamps(++connection.peerClock, echoOfTheFirstSegment));
        final List<SentSegment> again = bed.sent();

        assertTrue(!again.isEmpty() && again.get(0).sequence == start + payload, () -> "the hole again: " + again);
        assertEquals(1, bed.counters().tcpLostRetransmissions.get());
        assertEquals(0, bed.counters().tcpRetransmissionTimeouts.get());
    }

    private void send(final ScriptedConnection connection, final int segments)
    {
        assertEquals(segments * PAYLOAD, bed.write(connection.fd, new byte[segments * PAYLOAD]));
        final List<SentSegment> sent = bed.sent();
        assertEquals(segments, sent.size(), () -> "sent: " + sent);
        sent.forEach(connection::noteSent);
    }
}
