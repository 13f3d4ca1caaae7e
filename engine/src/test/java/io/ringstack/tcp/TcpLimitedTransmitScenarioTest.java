package io.ringstack.tcp;

import io.ringstack.config.Setting;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.ringstack.wire.TcpSegment.FLAG_ACK;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Limited transmit (RFC 3042 section 2): a sender with its whole initial window of ten segments in flight and more
 * data queued gets two duplicate ACKs for the first; each sends one new segment past cwnd, and no more follow. With
 * SACK the duplicates SACK the second and third segments, which RACK's reordering window does not yet deem a loss
 * of the first; without SACK two duplicates are below DupThresh.
 */
class TcpLimitedTransmitScenarioTest
{
    private static final int PAYLOAD = 1460;
    private static final int RTT_MS = 10;

    private TcpTestbed bed;

    @AfterEach
    void close()
    {
        bed.close();
    }

    @ParameterizedTest(name = "SACK {0}")
    @ValueSource(booleans = { true, false })
    void eachOfTheFirstTwoDuplicateAcksSendsOneNewSegment(final boolean sack)
    {
        bed = TcpTestbed.start(context -> context.set(Setting.TCP_TIMESTAMPS, false));
        final ConnectionSetup setup = ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(7);
        final ScriptedConnection connection = (sack ? setup.peerSackPermitted() : setup).open();
        for (int exchange = 0; exchange < 3; exchange++)
        {
            assertEquals(PAYLOAD, bed.write(connection.fd, new byte[PAYLOAD]));
            bed.sent().forEach(connection::noteSent);
            bed.advanceMillis(RTT_MS);
            connection.peerAcksAll();
        }
        final int first = connection.ourNext;
        assertEquals(20 * PAYLOAD, bed.write(connection.fd, new byte[20 * PAYLOAD]));
        final List<SentSegment> flight = bed.sent();
        flight.forEach(connection::noteSent);
        final int window = flight.size();
        bed.advanceMillis(RTT_MS);

        for (int duplicate = 1; duplicate <= 2; duplicate++)
        {
            final PeerSegment ack = connection.peer(FLAG_ACK).ack(first);
            bed.send(sack ? ack.sack(first + PAYLOAD, first + (1 + duplicate) * PAYLOAD) : ack);
            final List<SentSegment> sent = bed.sent();
            final int expected = first + (window + duplicate - 1) * PAYLOAD;

            assertEquals(1, sent.size(), () -> "one segment for the duplicate: " + sent);
            assertEquals(expected, sent.get(0).sequence, "new data, past cwnd");
            connection.noteSent(sent.get(0));
        }
        assertEquals(0, bed.counters().tcpFastRetransmits.get());
        assertEquals(0, bed.counters().tcpRetransmittedSegments.get());
    }
}
