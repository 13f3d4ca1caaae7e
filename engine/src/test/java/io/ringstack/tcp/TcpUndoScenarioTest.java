package io.ringstack.tcp;

import io.ringstack.config.Setting;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.ringstack.wire.TcpSegment.FLAG_ACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Undo of a spurious fast recovery. A flight of ten segments; one RTT later the peer SACKs the second to fourth,
 * so RACK resends the first and the window is halved. Then the first turns up after all (it was reordered): the
 * peer acknowledges the whole flight, and tells the sender so by a D-SACK for the retransmission (RFC 2883,
 * RFC 3708) or by echoing the original's timestamp (Eifel, RFC 3522). Either restores the window, which shows in
 * how much of a new burst goes out at once; without that evidence the halved window stays.
 */
class TcpUndoScenarioTest
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

    @ParameterizedTest(name = "{0}: undo {2}")
    @CsvSource({
        "the final ACK carries a D-SACK for the retransmission, DSACK, true",
        "the final ACK echoes the original's timestamp, EIFEL, true",
        "the final ACK echoes the retransmission's timestamp and has no D-SACK, NONE, false" })
    void aRecoveryShownSpuriousGetsItsWindowBack(final String scenario, final String evidence, final boolean undo)
    {
        bed = TcpTestbed.start(context -> context);
        connection = ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(7)
            .peerSackPermitted().peerTimestamps().roundTripMs(RTT_MS).open();
        final int hole = connection.ourNext;
        final List<SentSegment> flight = send(10);
        bed.advanceMillis(RTT_MS);
        bed.send(connection.peer(FLAG_ACK).ack(hole).sack(hole + PAYLOAD, hole + 4 * PAYLOAD));
        final List<SentSegment> resent = bed.sent();
        assertEquals(hole, resent.get(0).sequence, () -> "fast retransmit: " + resent);
        resent.forEach(connection::noteSent);
        bed.advanceMillis(RTT_MS);

        final PeerSegment finalAck = connection.peer(FLAG_ACK).ack(connection.ourNext);
        if (evidence.equals("DSACK"))
        {
            finalAck.sack(hole, hole + PAYLOAD);
        }
        else if (evidence.equals("EIFEL"))
        {
            finalAck.timestamps(connection.peerClock, flight.get(0).timestampValue);
        }
        bed.send(finalAck);
        bed.sent().forEach(connection::noteSent);
        final int burst = send(40).size();

        assertEquals(undo ? 1 : 0, bed.counters().tcpUndo.get(), scenario);
        assertTrue(undo ? burst >= 10 : burst < 10, () -> scenario + ": a burst of " + burst + " segments");
    }

    private List<SentSegment> send(final int segments)
    {
        assertEquals(segments * PAYLOAD, bed.write(connection.fd, new byte[segments * PAYLOAD]));
        final List<SentSegment> sent = bed.sent();
        sent.forEach(connection::noteSent);
        return sent;
    }
}
