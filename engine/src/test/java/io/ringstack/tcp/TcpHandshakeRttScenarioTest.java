package io.ringstack.tcp;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A passive open takes its first RTT sample from the handshake, from its SYN-ACK to the peer's ACK (RFC 6298
 * sections 2.2 and 3, as Linux does), unless the SYN-ACK went twice and the ACK could answer either (Karn). With
 * it a lost tail of the first flight is probed two handshake RTTs after it went (RFC 8985 section 7.2); without
 * it the sender has no SRTT, sends no probe and waits for the initial RTO of one second.
 */
class TcpHandshakeRttScenarioTest
{
    private static final int PAYLOAD = 1460;
    private static final int HANDSHAKE_RTT_MS = 30;

    private TcpTestbed bed;

    @AfterEach
    void close()
    {
        bed.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "the SYN-ACK went once, false, 62, 1, 1",
        "the SYN went twice and so did the SYN-ACK, true, 1000, 0, 0" })
    void theFirstFlightsLostTailIsProbedAfterTwoHandshakeRtts(
        final String scenario, final boolean synTwice, final long waitMs, final int probes, final int resentIndex)
    {
        bed = TcpTestbed.start();
        final int listener = bed.listen(8080);
        final ConnectionSetup setup = ConnectionSetup.passive(bed).ourPort(8080).peerPort(50000)
            .peerSackPermitted().roundTripMs(HANDSHAKE_RTT_MS).acceptedOn(listener);
        final ScriptedConnection connection = (synTwice ? setup.peerRepeatsSyn() : setup).open();
        final int start = connection.ourNext;
        assertEquals(2 * PAYLOAD, bed.write(connection.fd, new byte[2 * PAYLOAD]));
        assertEquals(2, bed.sent().size());

        final long waitedMs = TimeUnit.NANOSECONDS.toMillis(bed.advanceUntilSent(TimeUnit.SECONDS.toNanos(2)));
        final List<SentSegment> resent = bed.sent();

        assertTrue(Math.abs(waitedMs - waitMs) <= 1, () -> scenario + ": " + waitedMs + " ms, expected " + waitMs +
            (probes == 1 ? " (PTO = 2 SRTT + 2 ms)" : " (the initial RTO)") + " on a timer of about 1 ms ticks");
        assertEquals(1, resent.size());
        assertEquals(start + resentIndex * PAYLOAD, resent.get(0).sequence,
            probes == 1 ? "the probe is the last segment sent (7.3)" : "the timeout resends SND.UNA");
        assertEquals(probes, bed.counters().tcpLossProbes.get());
    }
}
