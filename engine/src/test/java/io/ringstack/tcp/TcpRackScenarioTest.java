package io.ringstack.tcp;

import io.ringstack.config.Setting;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.ringstack.wire.TcpSegment.FLAG_ACK;
import static io.ringstack.wire.TcpSegment.FLAG_FIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RACK's time-based loss detection (RFC 8985 section 6) as the peer sees it. The connection first learns an RTT of
 * 10 ms over three exchanges (min_RTT 10 ms, SRTT above 3 ms, so reo_wnd = min(min_RTT / 4, SRTT) = 2.5 ms), then
 * sends a flight of ten segments whose first is missing; one RTT later the peer SACKs some of the others. The
 * engine's timer ticks about every 1 ms and the test's clock moves 1 ms at a time, so a 2.5 ms wait ends 2 to 4 ms
 * later.
 */
class TcpRackScenarioTest
{
    private static final int PAYLOAD = 1460;
    private static final int RTT_MS = 10;

    private TcpTestbed bed;
    private ScriptedConnection connection;
    private int hole;

    @AfterEach
    void close()
    {
        bed.close();
    }

    /**
     * Step 4: before any reordering is seen, reo_wnd is min_RTT / 4 while fewer than DupThresh segments are
     * SACKed, and 0 from DupThresh on; step 5: the hole is lost once RACK.rtt + reo_wnd has passed since it went
     * out, at once or when the reordering timer fires (on a timer of about 1 ms ticks).
     */
    @ParameterizedTest(name = "{0} segment(s) SACKed above the hole: resent after reo_wnd = {1} ms")
    @CsvSource({ "1, 2.5", "2, 2.5", "3, 0", "9, 0" })
    void theHoleIsResentOnceTheReorderingWindowHasPassed(final int sacked, final double reorderingWindowMs)
    {
        startFlightWithAHole();

        bed.send(connection.peer(FLAG_ACK).ack(hole).sack(hole + PAYLOAD, hole + (1 + sacked) * PAYLOAD));
        final long waitedMs = TimeUnit.NANOSECONDS.toMillis(bed.advanceUntilSent(TimeUnit.SECONDS.toNanos(1)));
        final List<SentSegment> sent = bed.sent();

        assertTrue(waitedMs >= (long)reorderingWindowMs && waitedMs <= Math.ceil(reorderingWindowMs) + (reorderingWindowMs > 0 ? 1 : 0),
            "waited " + waitedMs + " ms: " + sent);
        assertEquals(hole, sent.get(0).sequence, "the hole, not the retransmission timeout's SND.UNA: " + sent);
        assertEquals(1, bed.counters().tcpRackLosses.get());
        assertEquals(1, bed.counters().tcpFastRetransmits.get());
        assertEquals(0, bed.counters().tcpRetransmissionTimeouts.get());
    }

    @Test
    void aHoleFilledWithinTheReorderingWindowIsNotResent()
    {
        startFlightWithAHole();
        bed.send(connection.peer(FLAG_ACK).ack(hole).sack(hole + PAYLOAD, hole + 2 * PAYLOAD));
        bed.expectNothingSent();

        bed.advanceMillis(1);
        bed.send(connection.peer(FLAG_ACK).ack(hole + 2 * PAYLOAD));
        bed.advanceMillis(2);

        bed.expectNothingSent();
        assertEquals(0, bed.counters().tcpRackLosses.get(), "the late segment was reordering, not loss");
    }

    /**
     * Step 3: an original segment delivered below the highest one delivered is reordering; from then on reo_wnd
     * stays min_RTT / 4 however much is SACKed, so three SACKed segments no longer resend the hole at once.
     */
    @Test
    void onceReorderingIsSeenDupThreshSackedSegmentsWaitTheReorderingWindow()
    {
        startFlightWithAHole();
        bed.send(connection.peer(FLAG_ACK).ack(hole).sack(hole + PAYLOAD, hole + 2 * PAYLOAD));
        bed.send(connection.peer(FLAG_ACK).ack(hole + 2 * PAYLOAD));
        bed.send(connection.peer(FLAG_ACK).ack(hole + 10 * PAYLOAD));
        hole = connection.ourNext;
        send(10);
        bed.advanceMillis(RTT_MS);

        bed.send(connection.peer(FLAG_ACK).ack(hole).sack(hole + PAYLOAD, hole + 4 * PAYLOAD));
        bed.expectNothingSent();
        final long waitedMs = TimeUnit.NANOSECONDS.toMillis(bed.advanceUntilSent(TimeUnit.SECONDS.toNanos(1)));

        assertTrue(waitedMs >= 2 && waitedMs <= 4, "reo_wnd 2.5 ms, waited " + waitedMs + " ms");
        assertEquals(hole, connection.expect().sequence);
    }

    /**
     * The peer SACKs the data of the segment that carries the FIN and not the FIN (ringstack's receiver leaves it
     * out of its blocks; RFC 2018 blocks cover data): that segment counts as delivered all the same, so the hole
     * below it is found by RACK's reordering timer, not by the loss probe, which resent the last segment.
     */
    @Test
    void theSegmentCarryingTheFinIsDeliveredOnceItsDataIsSacked()
    {
        startConnection();
        final int first = connection.ourNext;
        assertEquals(2 * PAYLOAD + 100, bed.sockets().write(connection.fd, new byte[2 * PAYLOAD + 100], 0,
            2 * PAYLOAD + 100));
        assertEquals(0, bed.sockets().close(connection.fd));
        final List<SentSegment> flight = bed.sent();
        flight.forEach(connection::noteSent);
        assertEquals(3, flight.size(), () -> "sent: " + flight);
        assertTrue(flight.get(2).has(FLAG_FIN) && flight.get(2).payload.length == 100, () -> "data and FIN: " + flight);
        bed.advanceMillis(RTT_MS);

        bed.send(connection.peer(FLAG_ACK).ack(first + PAYLOAD).sack(first + 2 * PAYLOAD, first + 2 * PAYLOAD + 100));
        final long waitedMs = TimeUnit.NANOSECONDS.toMillis(bed.advanceUntilSent(TimeUnit.SECONDS.toNanos(1)));
        final List<SentSegment> sent = bed.sent();

        assertTrue(waitedMs <= 4, "reo_wnd = 2.5 ms, where the loss probe waits 2 SRTT + 2 ms: waited " + waitedMs +
            " ms: " + sent);
        assertEquals(first + PAYLOAD, sent.get(0).sequence, "the hole below the delivered FIN segment: " + sent);
        assertEquals(1, bed.counters().tcpRackLosses.get());
        assertEquals(0, bed.counters().tcpLossProbes.get());
    }

    private void startFlightWithAHole()
    {
        startConnection();
        hole = connection.ourNext;
        send(10);
        bed.advanceMillis(RTT_MS);
    }

    private void startConnection()
    {
        bed = TcpTestbed.start(context -> context.set(Setting.TCP_TIMESTAMPS, false));
        connection =
            ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(7).peerSackPermitted()
                .roundTripMs(RTT_MS).open();
        for (int exchange = 0; exchange < 3; exchange++)
        {
            send(1);
            bed.advanceMillis(RTT_MS);
            connection.peerAcksAll();
        }
    }

    private void send(final int segments)
    {
        assertEquals(segments * PAYLOAD, bed.write(connection.fd, new byte[segments * PAYLOAD]));
        final List<SentSegment> sent = bed.sent();
        assertEquals(segments, sent.size(), () -> "sent: " + sent);
        sent.forEach(connection::noteSent);
    }
}
