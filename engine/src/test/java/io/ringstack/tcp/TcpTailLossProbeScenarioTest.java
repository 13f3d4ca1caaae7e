package io.ringstack.tcp;

import io.ringstack.config.Setting;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.ringstack.wire.TcpSegment.FLAG_ACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tail loss probes (RFC 8985 section 7): the last segments of a flight are lost, so no duplicate ACK comes. The
 * probe timeout (two smoothed RTTs) sends one probe long before the 200 ms RTO, and the ACK it
 * draws repairs the tail by fast recovery.
 */
class TcpTailLossProbeScenarioTest
{
    private static final int PAYLOAD = 1460;
    private static final long RTT_MS = 10;

    private TcpTestbed bed;
    private ScriptedConnection connection;
    private int start;

    @AfterEach
    void close()
    {
        bed.close();
    }

    @Test
    void aLostTailIsProbedWithTheLastSegmentAndRepairedWithoutATimeout()
    {
        open(true);
        sendFlightAndAckAllBut(10, 2);

        final long waitedMs = TimeUnit.NANOSECONDS.toMillis(bed.advanceUntilSent(TimeUnit.SECONDS.toNanos(1)));
        final SentSegment probe = connection.expect();

        assertTrue(Math.abs(waitedMs - 22) <= 1, "PTO = 2 SRTT + 2 ms: SRTT = 10 ms from the handshake's and the " +
            "flight's 10 ms samples (RFC 6298), on a timer of about 1 ms ticks; the RTO would be 200 ms; waited " +
            waitedMs + " ms");
        assertEquals(start + 9 * PAYLOAD, probe.sequence, "the probe is the last segment sent (7.3)");
        assertEquals(PAYLOAD, probe.payload.length);
        assertEquals(1, bed.counters().tcpLossProbes.get());

        bed.advanceMillis(RTT_MS);
        bed.send(connection.peer(FLAG_ACK).ack(start + 8 * PAYLOAD).sack(start + 9 * PAYLOAD, start + 10 * PAYLOAD));
        final SentSegment repair = connection.expect();

        assertEquals(start + 8 * PAYLOAD, repair.sequence, "the hole below the delivered probe, at once");
        bed.send(connection.peer(FLAG_ACK).ack(start + 10 * PAYLOAD));
        bed.advanceMillis(1000);
        bed.expectNothingSent();
        assertEquals(0, bed.counters().tcpRetransmissionTimeouts.get());
        assertEquals(1, bed.counters().tcpFastRetransmits.get());
    }

    /**
     * Fast recovery resends the hole, the peer gets it, and the ACK it draws is lost: nothing else is in flight to
     * draw another. The probe, which runs in recovery too, resends the hole after 2 SRTT + 2 ms, and its ACK ends the
     * recovery; without it the connection waited for the 200 ms RTO.
     */
    @Test
    void aRecoveryWhoseRepairIsNotAnsweredIsProbedInsteadOfTimedOut()
    {
        open(true);
        assertEquals(10 * PAYLOAD, bed.write(connection.fd, new byte[10 * PAYLOAD]));
        bed.sent().forEach(connection::noteSent);
        bed.advanceMillis(RTT_MS);
        bed.send(connection.peer(FLAG_ACK).ack(start).sack(start + PAYLOAD, start + 10 * PAYLOAD));
        assertEquals(start, connection.expect().sequence, "fast recovery resends the hole");

        final long waitedMs = TimeUnit.NANOSECONDS.toMillis(bed.advanceUntilSent(TimeUnit.SECONDS.toNanos(1)));
        final SentSegment probe = connection.expect();

        assertTrue(Math.abs(waitedMs - 22) <= 1, "PTO = 2 SRTT + 2 ms from the repair, not the 200 ms RTO: waited " +
            waitedMs + " ms");
        assertEquals(start, probe.sequence, "nothing new to send: the hole at SND.UNA, not the SACKed last segment");
        assertEquals(1, bed.counters().tcpLossProbes.get());

        bed.advanceMillis(RTT_MS);
        bed.send(connection.peer(FLAG_ACK).ack(start + 10 * PAYLOAD).sack(start, start + PAYLOAD));
        bed.advanceMillis(1000);
        bed.expectNothingSent();
        assertEquals(0, bed.counters().tcpRetransmissionTimeouts.get());
        assertEquals(1, bed.counters().tcpFastRetransmits.get());
    }

    @Test
    void newDataSentRestartsTheProbeTimeout()
    {
        open(true);
        sendFlightAndAckAllBut(10, 2);
        bed.advanceMillis(RTT_MS);
        assertEquals(PAYLOAD, bed.write(connection.fd, new byte[PAYLOAD]));
        connection.noteSent(connection.expect());

        final long waitedMs = TimeUnit.NANOSECONDS.toMillis(bed.advanceUntilSent(TimeUnit.SECONDS.toNanos(1)));
        final SentSegment probe = connection.expect();

        assertTrue(Math.abs(waitedMs - 22) <= 1, "the PTO of 2 SRTT + 2 ms runs again from the new segment " +
            "(RFC 8985 7.2), not from the ACK 10 ms before it: waited " + waitedMs + " ms");
        assertEquals(start + 10 * PAYLOAD, probe.sequence, "the probe is the last segment sent (7.3)");
    }

    @Test
    void theProbeCarriesNewDataWhenThereIsSome()
    {
        open(true);
        assertEquals(10 * PAYLOAD + 100, bed.write(connection.fd, new byte[10 * PAYLOAD + 100]));
        bed.sent().forEach(connection::noteSent);
        bed.expectNothingSent();

        bed.advanceUntilSent(TimeUnit.SECONDS.toNanos(1));
        final SentSegment probe = connection.expect();

        assertEquals(start + 10 * PAYLOAD, probe.sequence, "the short tail the initial window held back goes as the " +
            "probe, though the window is full (RFC 8985 7.3)");
        assertEquals(100, probe.payload.length);
        assertEquals(1, bed.counters().tcpLossProbes.get());
    }

    @Test
    void withoutSackTheTailWaitsForTheRetransmissionTimeout()
    {
        open(false);
        sendFlightAndAckAllBut(10, 2);

        final long waitedMs = TimeUnit.NANOSECONDS.toMillis(bed.advanceUntilSent(TimeUnit.SECONDS.toNanos(1)));

        assertTrue(waitedMs >= 200, "the RTO (min 200 ms), waited " + waitedMs + " ms");
        assertEquals(start + 8 * PAYLOAD, connection.expect().sequence, "SND.UNA, after the timeout");
        assertEquals(0, bed.counters().tcpLossProbes.get());
    }

    private void open(final boolean sack)
    {
        bed = TcpTestbed.start(context -> context.set(Setting.TCP_TIMESTAMPS, false));
        final ConnectionSetup setup =
            ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(7).roundTripMs(RTT_MS);
        connection = (sack ? setup.peerSackPermitted() : setup).open();
        start = connection.ourNext;
    }

    /**
     * Send {@code segments} full segments; after one RTT the peer acknowledges all but the last {@code lost}.
     */
    private void sendFlightAndAckAllBut(final int segments, final int lost)
    {
        assertEquals(segments * PAYLOAD, bed.write(connection.fd, new byte[segments * PAYLOAD]));
        final List<SentSegment> flight = bed.sent();
        assertEquals(segments, flight.size());
        flight.forEach(connection::noteSent);
        bed.advanceMillis(RTT_MS);
        bed.send(connection.peer(FLAG_ACK).ack(start + (segments - lost) * PAYLOAD));
        bed.expectNothingSent();
    }
}
