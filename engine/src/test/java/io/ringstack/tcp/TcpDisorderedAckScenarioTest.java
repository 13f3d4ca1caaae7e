package io.ringstack.tcp;

import io.ringstack.iface.DropReason;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.ringstack.wire.TcpSegment.FLAG_ACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PAWS (RFC 7323 section 5) and acknowledgments the path reordered. A flight of ten segments, the second lost
 * (the hole); the peer's ACKs with SACK blocks overtake one another, and a receiver lists at most three blocks, so
 * an earlier ACK may hold blocks a later one no longer repeats. An overtaken pure ACK carries an older TSval than
 * TS.Recent, yet it is no old duplicate of the connection's past: it passes PAWS (as Linux's
 * {@code tcp_disordered_ack} lets a duplicate ACK pass), so its SACK blocks reach loss recovery. What PAWS is for
 * stays dropped.
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
            .peerSackPermitted().peerTimestamps().roundTripMs(RTT_MS).open();
        hole = connection.ourNext + PAYLOAD;
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

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "a duplicate ACK at SND.UNA, 0",
        "an ACK below SND.UNA, -1448" })
    void anOvertakenPureAckIsTakenAndItsSackBlocksStartTheRecovery(final String what, final int ackOffset)
    {
        theLaterAckArrives();

        bed.send(connection.peer(FLAG_ACK).ack(hole + ackOffset).window(WINDOW).timestamps(1009, 0)
            .sack(hole + 2 * PAYLOAD, hole + 4 * PAYLOAD));
        final SentSegment retransmission = connection.expect();

        assertEquals(0, bed.drops(DropReason.TCP_PAWS), what + " overtaken by a later one passes PAWS");
        assertEquals(hole, retransmission.sequence,
            "three segments SACKed above the hole: RACK deems it lost at once (RFC 8985 6.2 step 4)");
        assertEquals(1, bed.counters().tcpFastRetransmits.get());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "a duplicate ACK with a larger window than SND.WND, 1, 1001",
        "a duplicate ACK whose TSval is more than one RTO behind TS.Recent, 201, 1000" })
    void whatPawsGuardsAgainstStaysDropped(final String what, final int ticksBehind, final int window)
    {
        theLaterAckArrives();

        bed.send(connection.peer(FLAG_ACK).ack(hole).window(window).timestamps(1010 - ticksBehind, 0)
            .sack(hole + 2 * PAYLOAD, hole + 4 * PAYLOAD));

        assertEquals(1, bed.drops(DropReason.TCP_PAWS), what);
        assertTrue(connection.expect().is(FLAG_ACK), "answered with an ACK (RFC 7323 5.3 R1)");
        assertEquals(0, bed.counters().tcpFastRetransmits.get(), "its SACK blocks were not taken");
    }

    /**
     * The later ACK, TSval 1010, acknowledges the first segment and SACKs the one after the hole: too little for
     * RACK to deem the hole lost yet.
     */
    private void theLaterAckArrives()
    {
        bed.send(connection.peer(FLAG_ACK).ack(hole).window(WINDOW).timestamps(1010, 0)
            .sack(hole + PAYLOAD, hole + 2 * PAYLOAD));
        bed.expectNothingSent();
    }
}
