package io.ringstack.tcp;

import io.ringstack.phy.FaultInjectingDevice;
import io.ringstack.phy.relay.Impairment;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CUBIC's first slow start into a 100 Mbit/s bottleneck 20 ms away with a 300-frame queue, on the virtual clock
 * ({@link RelayedTransfer}): the BDP is 250,000 bytes and the queue holds 450,000 more. The round that sends 463 KB
 * leaves 213 KB queued; a slow start that doubles regardless sends 927 KB in the next round, 227 KB more than the path
 * and its queue hold, and retransmitted 662 segments before HyStart++. HyStart++ (RFC 9406) sees the queue 17 ms deep
 * in that round's first eight RTT samples and grows by a quarter of what is acknowledged from there: the round still
 * overflows, as its window doubled before the queue showed (the sender learns of a queue a round after it formed),
 * but by less.
 */
class TcpHyStartPathTransferTest
{
    private static final long BYTES = 8L << 20;
    /** Standard slow start retransmitted 662 segments on this path; HyStart++ 445. */
    private static final long MOST_RETRANSMISSIONS = 500;

    @Test
    void leavingSlowStartOnRisingRttLosesFewerSegmentsInTheQueue()
    {
        final RelayedTransfer.Result result = RelayedTransfer.transfer(bottleneck(), path(1001), BYTES);

        assertTrue(result.retransmitted() <= MOST_RETRANSMISSIONS, result::toString);
        assertEquals(0, result.timeouts(), result::toString);
    }

    private static Impairment bottleneck()
    {
        return path(1).rateBitsPerSecond(100_000_000L).queueFrames(300);
    }

    private static Impairment path(final long seed)
    {
        return new Impairment(new FaultInjectingDevice.Faults().seed(seed)).delayNs(TimeUnit.MILLISECONDS.toNanos(10));
    }
}
