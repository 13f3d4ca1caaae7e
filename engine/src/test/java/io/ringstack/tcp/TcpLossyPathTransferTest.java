package io.ringstack.tcp;

import io.ringstack.phy.FaultInjectingDevice;
import io.ringstack.phy.relay.Impairment;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * 2 MiB through the 5 % loss row of {@code scripts/impaired-tcp.sh} on the virtual clock ({@link RelayedTransfer}):
 * a 0.5 ms path of 500 Mbit/s that loses one frame in twenty, data and ACKs alike. Every loss is repaired by RACK
 * or a loss probe, none by the 200 ms retransmission timeout: a recovery whose last ACKs are lost is probed, a
 * probe delivered out of order advances RACK whatever timestamp its SACK echoes, and the segment that carries the
 * FIN is delivered once its data is SACKed. Before those, seeds 5, 8 and 11 took one timeout each.
 * <p>
 * Seed 3 takes one since fast recovery sends by Proportional Rate Reduction and ends with cwnd at ssthresh
 * (RFC 6937), grown by what its last ACK delivered as Linux grows it: where RFC 6675's recovery left the flight below
 * ssthresh and the next ACK's slow start step took cwnd one or two segments past it, the windows after a recovery are
 * now ssthresh, 2 to 10 segments on this path. A window of 3.2 segments holds three; the peer's ACK of the first two
 * is lost, its delayed ACK holds the third until the loss probe joins it, their ACK is lost too, and RFC 8985 sends
 * one probe: the timeout is the repair left, and a spurious one (all four had arrived; its D-SACK undoes it).
 */
class TcpLossyPathTransferTest
{
    private static final long BYTES = 2L << 20;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = { 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12 })
    void fivePercentLossBothWaysTakesNoRetransmissionTimeout(final long seed)
    {
        final RelayedTransfer.Result result = RelayedTransfer.transfer(path(seed), path(seed + 1000), BYTES);

        assertEquals(0, result.timeouts(), result::toString);
    }

    @Test
    void aLossProbeWhoseAckIsLostLeavesTheTimeout()
    {
        final RelayedTransfer.Result result = RelayedTransfer.transfer(path(3), path(1003), BYTES);

        assertEquals(1, result.timeouts(), result::toString);
    }

    private static Impairment path(final long seed)
    {
        return new Impairment(new FaultInjectingDevice.Faults().seed(seed).loss(0.05))
            .delayNs(TimeUnit.MICROSECONDS.toNanos(250)).rateBitsPerSecond(500_000_000L);
    }
}
