package io.ringstack.iface;

import io.ringstack.engine.Engine;
import io.ringstack.engine.EngineRunner;
import io.ringstack.phy.NetworkDevice;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.Sockets;
import io.ringstack.testkit.AllocationMeter;
import java.util.List;
import java.util.function.IntConsumer;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The allocation invariant for the dispatcher fuzz target's world: replaying its seed corpus (a valid frame of
 * every protocol, and segments for a listener and an accepted connection, see {@link DispatcherFuzzTest}) through
 * an engine serving as the target's does allocates nothing on the engine thread once warmed up. A check inside the
 * fuzz run itself is impractical (each input starts an engine, and the fuzzer's instrumentation runs on the same
 * thread), so this regular test stands for it, outside the fuzz tests' JVM.
 * <p>
 * Each frame is dispatched as the device would hand it over, followed by a duty cycle (TCP's output, the timer
 * poll) and a drain of the UDP socket. The device refuses to transmit (ring full), so answers take the engine's
 * counted backpressure path and the test device, which copies what it sends onto the heap, stays out of the
 * measurement. Warm-up and measurement follow {@code DispatcherAllocationTest}: batches until two in a row allocate
 * nothing while the JIT compiles nothing, then a measured run, repeated while the JIT finished a compilation in it.
 */
class DispatcherSeedAllocationTest
{
    private static final int WARMUP_BATCH_FRAMES = 20_000;
    private static final int WARMUP_QUIET_BATCHES = 2;
    private static final int WARMUP_MAX_BATCHES = 50;
    private static final int MEASURED_FRAMES = 100_000;
    private static final int MEASUREMENT_ATTEMPTS = 5;

    @Test
    void replayingTheSeedCorpusAllocatesNothing()
    {
        final List<byte[]> seeds = DispatcherFuzzTest.seedFrames();
        try (DispatcherFuzzTest.ServingEngine serving = DispatcherFuzzTest.ServingEngine.start())
        {
            final EngineHarness harness = serving.harness;
            harness.device().transmitResult(NetworkDevice.TX_RING_FULL);
            final SeedReplay replay = new SeedReplay(seeds, harness.engine(), harness.runner(), harness.sockets(),
                serving.udp);
            final AllocationMeter meter = AllocationMeter.forCurrentThread();
            final long framesBefore = harness.counters().rxFrames.get();

            meter.warmUp(WARMUP_MAX_BATCHES, WARMUP_QUIET_BATCHES,
                () -> meter.bytesDuring(replay, WARMUP_BATCH_FRAMES), harness::diagnostics);
            final AllocationMeter.Measurement measurement =
                meter.measure(replay, MEASURED_FRAMES, MEASUREMENT_ATTEMPTS);

            assertEquals(measurement.baselineBytes(), measurement.bytes(), () -> "heap bytes allocated by " +
                MEASURED_FRAMES + " seed frames: " + measurement.workBytes() + " (JIT compiled for " +
                measurement.jitMillis() + " ms meanwhile)\n" + harness.diagnostics());
            assertTrue(harness.counters().rxFrames.get() - framesBefore >= MEASURED_FRAMES, harness::diagnostics);
            harness.assertHealthy();
        }
    }

    /**
     * The measured loop: the seed frames in turn, each dispatched, a duty cycle, the UDP socket drained. Kept free
     * of string literals, as {@code DispatcherAllocationTest}'s loop is.
     */
    private static final class SeedReplay implements IntConsumer
    {
        private final UnsafeBuffer[] frames;
        private final int[] lengths;
        private final Engine engine;
        private final EngineRunner runner;
        private final Sockets sockets;
        private final int udp;
        private final byte[] received = new byte[2048];
        private int next;

        SeedReplay(
            final List<byte[]> seeds, final Engine engine, final EngineRunner runner, final Sockets sockets,
            final int udp)
        {
            frames = new UnsafeBuffer[seeds.size()];
            lengths = new int[seeds.size()];
            for (int i = 0; i < frames.length; i++)
            {
                final byte[] seed = seeds.get(i);
                frames[i] = new UnsafeBuffer(BufferUtil.allocateDirectAligned(seed.length, 64));
                frames[i].putBytes(0, seed);
                lengths[i] = seed.length;
            }
            this.engine = engine;
            this.runner = runner;
            this.sockets = sockets;
            this.udp = udp;
        }

        public void accept(final int count)
        {
            for (int i = 0; i < count; i++)
            {
                engine.injectFrame(frames[next], 0, lengths[next]);
                next = next + 1 == frames.length ? 0 : next + 1;
                runner.invoke();
                while (sockets.recvfrom(udp, received, 0, received.length, SocketConstants.MSG_DONTWAIT, null) >= 0)
                {
                    // drained, so that datagrams keep being delivered rather than dropped at a full ring
                }
            }
        }
    }
}
