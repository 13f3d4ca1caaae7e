package io.ringstack.tcp;

import io.ringstack.config.Setting;
import io.ringstack.phy.FaultInjectingDevice;
import io.ringstack.phy.relay.Impairment;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BBR against CUBIC through the random loss rows of {@code scripts/impaired-tcp.sh} on the virtual clock
 * ({@link RelayedTransfer}): 4 MiB over a 0.5 ms path of 500 Mbit/s that loses 1 % or 5 % of its frames, data and
 * ACKs alike, the same seeds for both, every byte checked. CUBIC halves its window (by 0.7) at each loss and runs
 * far below the path's rate; BBR's model is not reduced by loss, so it stays near the path's rate and repairs its
 * losses as they come. The bounds are well below what these seeds give (at 1 % about twice as fast, at 5 % five
 * to seven times).
 */
class TcpBbrPathTransferTest
{
    private static final long BYTES = 4L << 20;

    @ParameterizedTest(name = "loss {0}, seed {1}")
    @CsvSource({ "0.01, 1", "0.01, 2", "0.01, 3", "0.05, 1", "0.05, 2", "0.05, 3" })
    void bbrMovesTheBytesFasterThanCubicThroughRandomLoss(final double loss, final long seed)
    {
        final RelayedTransfer.Result cubic = transfer(TcpCongestionAlgorithm.CUBIC, loss, seed);
        final RelayedTransfer.Result bbr = transfer(TcpCongestionAlgorithm.BBR, loss, seed);

        final double speedup = (double)cubic.virtualNs() / bbr.virtualNs();
        assertTrue(speedup >= (loss < 0.05 ? 1.5 : 3.0),
            () -> String.format("BBR %.2f times as fast as CUBIC%nCUBIC: %s%nBBR:   %s", speedup, cubic, bbr));
    }

    private static RelayedTransfer.Result transfer(
        final TcpCongestionAlgorithm algorithm, final double loss, final long seed)
    {
        return RelayedTransfer.transfer(path(seed, loss), path(seed + 1000, loss), BYTES,
            context -> context.set(Setting.TCP_CONGESTION_CONTROL, algorithm));
    }

    private static Impairment path(final long seed, final double loss)
    {
        return new Impairment(new FaultInjectingDevice.Faults().seed(seed).loss(loss))
            .delayNs(TimeUnit.MICROSECONDS.toNanos(250)).rateBitsPerSecond(500_000_000L);
    }
}
