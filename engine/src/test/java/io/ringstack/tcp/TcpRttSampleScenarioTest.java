package io.ringstack.tcp;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.ringstack.wire.TcpSegment.FLAG_ACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RTT samples from every ACK of new data (RFC 7323 section 4.3, as Linux takes them), not from one timed segment at
 * a time. On a 10 ms path two segments go together; the first is acknowledged after 10 ms, the second after 150 ms.
 * Timing one segment at a time would have timed only the first; taken from every ACK, the second's 150 ms raises
 * SRTT to 27.5 ms, which shows in the tail loss probe's timeout (2 SRTT + 2 ms, RFC 8985 section 7.2) for the next
 * flight: 57 ms, not 22 ms.
 */
class TcpRttSampleScenarioTest
{
    private static final int PAYLOAD = 1448;
    private static final int RTT_MS = 10;

    private TcpTestbed bed;
    private ScriptedConnection connection;

    @AfterEach
    void close()
    {
        bed.close();
    }

    @Test
    void theAckOfASegmentSentWithATimedOneGivesASampleToo()
    {
        bed = TcpTestbed.start();
        connection = ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(7)
            .peerSackPermitted().peerTimestamps().roundTripMs(RTT_MS).open();
        final List<SentSegment> pair = send(2);
        bed.advanceMillis(RTT_MS);
        bed.send(connection.peer(FLAG_ACK).ack(pair.get(0).sequence + PAYLOAD).timestamps(2000,
            pair.get(0).timestampValue));
        bed.advanceMillis(150 - RTT_MS);
        bed.send(connection.peer(FLAG_ACK).ack(connection.ourNext).timestamps(2001, pair.get(1).timestampValue));
        bed.expectNothingSent();

        send(3);
        final long probeNs = bed.advanceUntilSent(TimeUnit.SECONDS.toNanos(1));

        assertEquals(57, TimeUnit.NANOSECONDS.toMillis(probeNs), "2 x 27.5 ms + 2 ms");
        assertTrue(bed.counters().tcpLossProbes.get() == 1, "a loss probe");
    }

    private List<SentSegment> send(final int segments)
    {
        assertEquals(segments * PAYLOAD, bed.write(connection.fd, new byte[segments * PAYLOAD]));
        final List<SentSegment> sent = bed.sent();
        assertEquals(segments, sent.size());
        sent.forEach(connection::noteSent);
        return sent;
    }
}
