package io.ringstack.tcp;

import io.ringstack.config.Setting;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.ringstack.wire.TcpSegment.FLAG_ACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A path that loses ACKs (the relay's 5 % loss applies both ways): after a first flight, whose ACK gives RACK its
 * round trip, a flight of two segments arrives, but every ACK for it is lost, so the loss probe and then the
 * retransmission timeout resend it, and the peer D-SACKs the timeout's retransmission. Nothing showed that segment
 * missing when it was resent, so its D-SACK says the original arrived before the retransmission, not that it was
 * late (RFC 2883 section 4.1): RACK's reordering window stays within SRTT (RFC 8985 section 6.2 step 4), and the next
 * segment the path loses is resent a reordering window after the SACKs that show it, not after a probe timeout and a
 * retransmission timeout. Taken for reordering 200 ms late, such a D-SACK held every repair of the next 16
 * recoveries past the RTO: 7 and 5 timeouts (E1000, VirtIO) in 2 MiB at 5 % loss through the relay.
 */
class TcpTimeoutDsackScenarioTest
{
    private static final int PAYLOAD = 1460;
    private static final int RTT_MS = 10;

    private TcpTestbed bed;
    private ScriptedConnection connection;
    private int start;

    @BeforeEach
    void open()
    {
        bed = TcpTestbed.start(context -> context.set(Setting.TCP_TIMESTAMPS, false));
        connection = ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(7)
            .peerSackPermitted().roundTripMs(RTT_MS).open();
        start = connection.ourNext;
    }

    @AfterEach
    void close()
    {
        bed.close();
    }

    @Test
    void aDsackOfATimeoutsRetransmissionLeavesTheNextLossToRack()
    {
        send(2);
        bed.advanceMillis(RTT_MS);
        bed.send(connection.peer(FLAG_ACK).ack(start + 2 * PAYLOAD));
        start += 2 * PAYLOAD;
        send(2);
        bed.advanceUntilSent(TimeUnit.SECONDS.toNanos(1));
        assertEquals(start + PAYLOAD, connection.expect().sequence, "the loss probe: the last segment again");
        bed.advanceUntilSent(TimeUnit.SECONDS.toNanos(1));
        assertEquals(start, connection.expect().sequence, "the retransmission timeout resends SND.UNA");
        assertEquals(1, bed.counters().tcpRetransmissionTimeouts.get());
        bed.advanceMillis(RTT_MS);
        bed.send(connection.peer(FLAG_ACK).ack(start + 2 * PAYLOAD).sack(start, start + PAYLOAD));
        bed.sent().forEach(connection::noteSent);
        assertEquals(1, bed.counters().tcpDsacksReceived.get());

        final int hole = connection.ourNext;
        final List<SentSegment> flight = send(10);
        assertEquals(hole, flight.get(0).sequence);
        bed.advanceMillis(RTT_MS);
        bed.send(connection.peer(FLAG_ACK).ack(hole).sack(hole + PAYLOAD, hole + 10 * PAYLOAD));
        final long waitedMs = TimeUnit.NANOSECONDS.toMillis(bed.advanceUntilSent(TimeUnit.SECONDS.toNanos(1)));
        final List<SentSegment> repair = bed.sent();

        assertEquals(hole, repair.get(0).sequence, () -> "the hole resent first: " + repair);
        assertTrue(waitedMs <= RTT_MS / 2 + 1, "within the reordering window, a quarter of min_RTT per D-SACK " +
            "round, not the lateness of 200 ms the timeout's D-SACK would say; waited " + waitedMs + " ms");
        assertEquals(1, bed.counters().tcpRackLosses.get());
        assertEquals(1, bed.counters().tcpLossProbes.get(), "no second probe");
        assertEquals(1, bed.counters().tcpRetransmissionTimeouts.get(), "no second timeout");
    }

    private List<SentSegment> send(final int segments)
    {
        assertEquals(segments * PAYLOAD, bed.write(connection.fd, new byte[segments * PAYLOAD]));
        final List<SentSegment> sent = bed.sent();
        sent.forEach(connection::noteSent);
        return sent;
    }
}
