package io.ringstack.tcp;

import io.ringstack.config.Setting;
import io.ringstack.phy.FaultInjectingDevice;
import io.ringstack.phy.relay.Impairment;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 2 MiB between two engines through a relay that marks one ECN-capable packet in twenty congestion experienced
 * (RFC 3168 section 5) and loses none, on the virtual clock ({@link RelayedTransfer}). With ECN negotiated the
 * receiver echoes the marks and the sender reduces its window for them, and nothing is sent twice: a mark is not
 * a loss. Without ECN the data is not ECN-capable, so the relay marks nothing.
 */
class TcpEcnPathTransferTest
{
    private static final long BYTES = 2L << 20;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = { 1, 2, 3, 4 })
    void congestionMarksReduceTheWindowAndCostNoRetransmission(final long seed)
    {
        final RelayedTransfer.Result result = RelayedTransfer.transfer(path(seed), path(seed + 1000), BYTES,
            context -> context.set(Setting.TCP_ECN, 1));

        assertTrue(result.ceReceived() > 0, result::toString);
        assertTrue(result.ecnReductions() > 0, result::toString);
        assertEquals(0, result.retransmitted(), result::toString);
    }

    @Test
    void withoutEcnNothingIsMarked()
    {
        final RelayedTransfer.Result result = RelayedTransfer.transfer(path(1), path(1001), BYTES);

        assertEquals(0, result.ceReceived(), result::toString);
        assertEquals(0, result.ecnReductions(), result::toString);
    }

    private static Impairment path(final long seed)
    {
        return new Impairment(new FaultInjectingDevice.Faults().seed(seed).congestionMarks(0.05))
            .delayNs(TimeUnit.MICROSECONDS.toNanos(250)).rateBitsPerSecond(500_000_000L);
    }
}
