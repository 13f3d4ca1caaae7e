package io.ringstack.tcp;

import io.ringstack.iface.DropReason;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.ringstack.wire.TcpSegment.FLAG_ACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PAWS (RFC 7323 section 5) and acknowledgments the path reordered. A flight of ten segments, the first lost; the
 * peer's duplicate ACKs with SACK blocks overtake one another. An overtaken pure duplicate ACK carries an older
 * TSval than TS.Recent, yet it is no old duplicate of the connection's past: it passes PAWS (Linux's
 * {@code tcp_disordered_ack}), so its SACK blocks reach loss recovery. What PAWS is for stays dropped.
 */
class TcpDisorderedAckScenarioTest
{
    private static final int PAYLOAD = 1448;
    private static final int RTT_MS = 10;
    private static final int WINDOW = 1000;

    private TcpTestbed bed;
    private ScriptedConnection connection;
    private int hole;

    @BeforeEach
    void open()
    {
        bed = TcpTestbed.start();
        connection = ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(7)
            .peerSackPermitted().peerTimestamps().open();
        hole = connection.ourNext;
        assertEquals(10 * PAYLOAD, bed.write(connection.fd, new byte[10 * PAYLOAD]));
        final List<SentSegment> flight = bed.sent();
        assertEquals(10, flight.size());
        flight.forEach(connection::noteSent);
        bed.advanceMillis(RTT_MS);
    }

    @AfterEach
    void close()
    {
        bed.close();
    }

    @Test
    void anOvertakenDuplicateAckIsTakenAndItsSackBlocksStartTheRecovery()
    {
        bed.send(duplicateAck(1010, WINDOW).sack(hole + PAYLOAD, hole + 2 * PAYLOAD));
        bed.expectNothingSent();

        bed.send(duplicateAck(1009, WINDOW).sack(hole + 2 * PAYLOAD, hole + 4 * PAYLOAD));
        final SentSegment retransmission = connection.expect();

        assertEquals(0, bed.drops(DropReason.TCP_PAWS), "the overtaken ACK passes PAWS");
        assertEquals(hole, retransmission.sequence,
            "three segments SACKed above the hole: RACK deems it lost at once (RFC 8985 6.2 step 4)");
        assertEquals(1, bed.counters().tcpFastRetransmits.get());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "an ACK below SND.UNA, -1448, 1, 1000",
        "a duplicate ACK with a larger window than SND.WND, 0, 1, 1001",
        "a duplicate ACK whose TSval is more than one RTO behind TS.Recent, 0, 201, 1000" })
    void whatPawsGuardsAgainstStaysDropped(
        final String what, final int ackOffset, final int ticksBehind, final int window)
    {
        bed.send(connection.peer(FLAG_ACK).ack(hole + PAYLOAD).window(WINDOW).timestamps(1010, 0)
            .sack(hole + 2 * PAYLOAD, hole + 3 * PAYLOAD));
        bed.sent();

        bed.send(connection.peer(FLAG_ACK).ack(hole + PAYLOAD + ackOffset).window(window)
            .timestamps(1010 - ticksBehind, 0).sack(hole + 2 * PAYLOAD, hole + 5 * PAYLOAD));

        assertEquals(1, bed.drops(DropReason.TCP_PAWS), what);
        assertTrue(connection.expect().is(FLAG_ACK), "answered with an ACK (RFC 7323 5.3 R1)");
        assertEquals(0, bed.counters().tcpFastRetransmits.get(), "its SACK blocks were not taken");
    }

    private PeerSegment duplicateAck(final int timestampValue, final int window)
    {
        return connection.peer(FLAG_ACK).ack(hole).window(window).timestamps(timestampValue, 0);
    }
}
