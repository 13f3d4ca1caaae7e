package io.ringstack.tcp;

import io.ringstack.EmbeddedStack;
import io.ringstack.config.Setting;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A BBR connection paces its data ({@link Pacing}): before its first ACK of data the rate is the initial window over
 * the handshake's RTT at STARTUP's gain (Linux's {@code bbr_init_pacing_rate_from_rtt}), here 10 x 1460 bytes x
 * 2/ln 2 x 0.99 over 100 ms, 3.50 ms per segment; segment n may leave from its release time
 * {@code t0 - BURST_NS + n x 3.50 ms} on, and leaves at the first timer tick after it. A CUBIC connection sends its
 * initial window at once.
 */
class TcpBbrPacingScenarioTest
{
    private static final int PAYLOAD = 1460;
    private static final long RTT_MS = 100;

    private TcpTestbed bed;

    @AfterEach
    void close()
    {
        bed.close();
    }

    @Test
    void theInitialWindowGoesOutSpacedByTheInitialPacingRate()
    {
        final ScriptedConnection connection = open(TcpCongestionAlgorithm.BBR);
        final long startNs = bed.nowNs();
        assertEquals(20 * PAYLOAD, bed.write(connection.fd, new byte[20 * PAYLOAD]));
        final List<Long> sentNs = new ArrayList<>();
        while (bed.nowNs() - startNs < 60_000_000L)
        {
            for (final SentSegment segment : bed.sent())
            {
                assertEquals(PAYLOAD, segment.payload.length);
                sentNs.add(bed.nowNs());
            }
            bed.advance(EmbeddedStack.TICK_NS);
        }

        assertEquals(10, sentNs.size(), "the initial window, no more without an ACK");
        final double gapNs = PAYLOAD * 1e9 / (10.0 * PAYLOAD * BbrCongestionControl.HIGH_GAIN *
            BbrCongestionControl.PACING_MARGIN / (RTT_MS * 1e-3));
        for (int n = 0; n < sentNs.size(); n++)
        {
            final long releaseNs = startNs - Pacing.BURST_NS + (long)(n * gapNs);
            final long at = sentNs.get(n);
            assertTrue(at >= releaseNs && at <= releaseNs + EmbeddedStack.TICK_NS,
                "segment " + n + " left " + (at - startNs) + " ns after the write, its release " +
                (releaseNs - startNs) + " ns");
        }
    }

    @Test
    void cubicSendsItsInitialWindowAtOnce()
    {
        final ScriptedConnection connection = open(TcpCongestionAlgorithm.CUBIC);
        assertEquals(20 * PAYLOAD, bed.write(connection.fd, new byte[20 * PAYLOAD]));

        assertEquals(10, bed.sent().size());
    }

    private ScriptedConnection open(final TcpCongestionAlgorithm algorithm)
    {
        bed = TcpTestbed.start(context -> context.set(Setting.TCP_TIMESTAMPS, false)
            .set(Setting.TCP_CONGESTION_CONTROL, algorithm));
        return ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(7).peerSackPermitted()
            .roundTripMs(RTT_MS).open();
    }
}
