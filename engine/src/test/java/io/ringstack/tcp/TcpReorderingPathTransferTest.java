package io.ringstack.tcp;

import io.ringstack.phy.FaultInjectingDevice;
import io.ringstack.phy.relay.Impairment;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 2 MiB through the reordering row of {@code scripts/impaired-tcp.sh} on the virtual clock ({@link RelayedTransfer}):
 * a 0.5 ms path of 500 Mbit/s that holds a quarter of its frames back 10 ms, both ways. The first late segments
 * are resent before the sender has seen reordering; the D-SACKs for them measure it, the reordering window follows,
 * and the reductions they caused are undone as one episode. Resending every late segment, as a window held below
 * SRTT does, took over 400 retransmissions and 1.4 s of virtual time here.
 */
class TcpReorderingPathTransferTest
{
    private static final long BYTES = 2L << 20;

    @Test
    void aQuarterOfTheSegmentsTenMillisecondsLateCostAFewRetransmissionsAndNoCollapse()
    {
        final RelayedTransfer.Result result = RelayedTransfer.transfer(path(1), path(2), BYTES);

        assertTrue(result.retransmitted() <= 40, result::toString);
        assertTrue(result.undone() >= 1, result::toString);
        assertTrue(result.virtualNs() <= TimeUnit.MILLISECONDS.toNanos(200), result::toString);
    }

    private static Impairment path(final long seed)
    {
        return new Impairment(new FaultInjectingDevice.Faults().seed(seed).reordering(0.25)
            .holdNs(TimeUnit.MILLISECONDS.toNanos(10)))
            .delayNs(TimeUnit.MICROSECONDS.toNanos(250)).rateBitsPerSecond(500_000_000L);
    }
}
