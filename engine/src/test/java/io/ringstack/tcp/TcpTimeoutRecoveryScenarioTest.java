package io.ringstack.tcp;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.ringstack.wire.TcpSegment.FLAG_ACK;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Recovery after a retransmission timeout with SACK (RFC 6675 section 5.1, RFC 5681 section 3.1): every byte
 * outstanding that the peer has not SACKed is lost and goes again in sequence order, one loss window first, then
 * as slow start opens the window; SACKed data neither goes again nor counts as in flight, so the holes of one
 * window go out together instead of one per round trip.
 */
class TcpTimeoutRecoveryScenarioTest
{
    private static final int PAYLOAD = 1448;
    private static final int RTT_MS = 10;

    private TcpTestbed bed;

    @AfterEach
    void close()
    {
        bed.close();
    }

    @Test
    void afterATimeoutTheHolesGoAgainInOrderAsTheWindowOpensAndSackedDataIsSkipped()
    {
        bed = TcpTestbed.start();
        final ScriptedConnection connection = ConnectionSetup.active(bed).ourPort(40000).peerPort(80)
            .peerWindowShift(7).peerSackPermitted().peerTimestamps().roundTripMs(RTT_MS).open();
        final int start = connection.ourNext;
        assertEquals(10 * PAYLOAD, bed.write(connection.fd, new byte[10 * PAYLOAD]));
        bed.sent().forEach(connection::noteSent);

        // Segments 0, 4 and 8 are lost; fast recovery resends them, and the retransmissions are lost too.
        bed.advanceMillis(RTT_MS);
        bed.send(connection.peer(FLAG_ACK).ack(start).sack(start + 9 * PAYLOAD, start + 10 * PAYLOAD,
            start + 5 * PAYLOAD, start + 8 * PAYLOAD, start + PAYLOAD, start + 4 * PAYLOAD));
        assertEquals(List.of(start, start + 4 * PAYLOAD, start + 8 * PAYLOAD), sequences(sent(connection)),
            "fast recovery resends the three holes");

        bed.advanceUntilSent(5_000_000_000L);
        assertEquals(List.of(start), sequences(sent(connection)), "the loss probe resends the first hole, lost too");
        assertEquals(1, bed.counters().tcpLossProbes.get());

        bed.advanceUntilSent(5_000_000_000L);
        final List<SentSegment> loss = sent(connection);
        assertEquals(List.of(start), sequences(loss), "the loss window: the first hole only");
        assertEquals(PAYLOAD, loss.get(0).payload.length);
        assertEquals(1, bed.counters().tcpRetransmissionTimeouts.get());

        bed.send(connection.peer(FLAG_ACK).ack(start + 4 * PAYLOAD)
            .sack(start + 9 * PAYLOAD, start + 10 * PAYLOAD, start + 5 * PAYLOAD, start + 8 * PAYLOAD));
        final List<SentSegment> next = bed.sent();

        assertEquals(List.of(start + 4 * PAYLOAD, start + 8 * PAYLOAD), sequences(next),
            "slow start opens the window to three segments and nothing is in flight: both holes go at once, the "
            + "SACKed segments between them skipped");
        next.forEach(segment -> assertEquals(PAYLOAD, segment.payload.length));
        bed.send(connection.peer(FLAG_ACK).ack(start + 10 * PAYLOAD));
        bed.advanceMillis(2000);
        bed.expectNothingSent();
        assertEquals(3 + 1 + 1 + 2, bed.counters().tcpRetransmittedSegments.get(),
            "each hole once per round, the first once more as the probe");
    }

    /**
     * @return what the engine sent, noted so that the peer's next timestamp echo is the latest one's.
     */
    private List<SentSegment> sent(final ScriptedConnection connection)
    {
        final List<SentSegment> sent = bed.sent();
        sent.forEach(connection::noteSent);
        return sent;
    }

    private static List<Integer> sequences(final List<SentSegment> segments)
    {
        return segments.stream().map(segment -> segment.sequence).toList();
    }
}
