package io.ringstack.phy.relay;

import io.ringstack.phy.Cable;
import io.ringstack.phy.FaultInjectingDevice;
import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.Link;
import io.ringstack.testkit.AllocationMeter;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay's forwarding path allocates nothing on the heap: frames cross a {@link Relay} both ways between two
 * cables, through every fault (loss, corruption, duplication, reordering), a jittered delay and a bottleneck whose
 * queue overflows, and an {@link AllocationMeter} reads the test thread's allocated bytes around 200,000 frames
 * once the JIT has settled. The test thread is the relay's thread.
 */
class RelayAllocationTest
{
    private static final int BURST = 16;
    private static final int FRAME_LENGTH = 1000;
    private static final long STEP_NS = 20_000;
    private static final int WARMUP_BATCH_FRAMES = 20_000;
    private static final int MEASURED_FRAMES = 200_000;

    private final CachedNanoClock clock = new CachedNanoClock();
    private final UnsafeBuffer frame = new UnsafeBuffer(BufferUtil.allocateDirectAligned(FRAME_LENGTH, 64));
    private final Link[] left = Cable.ends(1 << 20);
    private final Link[] right = Cable.ends(1 << 20);
    private final FrameHandler sink = this::onFrame;
    private final Relay relay = new Relay(left[1], right[0], path("test.a-to-b", 1), path("test.b-to-a", 2), clock);
    private long received;

    @Test
    void forwardingFramesThroughEveryFaultAllocatesNothing()
    {
        final AllocationMeter meter = AllocationMeter.forCurrentThread();
        meter.warmUp(60, 3,
            () -> meter.bytesDuring(this::exchange, WARMUP_BATCH_FRAMES) - meter.bytesDuring(this::exchange, 0),
            () -> "");
        final long forwardedBefore = relay.aToB().counters().forwarded.get();

        final AllocationMeter.Measurement measurement = meter.measure(this::exchange, MEASURED_FRAMES, 5);

        final RelayCounters aToB = relay.aToB().counters();
        assertTrue(aToB.forwarded.get() - forwardedBefore > MEASURED_FRAMES / 2, "frames crossed");
        assertTrue(aToB.lost.get() > 0 && aToB.corrupted.get() > 0 && aToB.duplicated.get() > 0 &&
            aToB.reordered.get() > 0 && aToB.queueFull.get() > 0, "every fault and the bottleneck's queue took part");
        assertTrue(received > 0);
        assertEquals(0, measurement.workBytes(), () -> "heap bytes allocated relaying " + MEASURED_FRAMES +
            " frames each way: " + measurement.workBytes() + " (JIT compiled for " + measurement.jitMillis() +
            " ms meanwhile)");
    }

    private void exchange(final int frames)
    {
        for (int sent = 0; sent < frames; sent += BURST)
        {
            for (int i = 0; i < BURST; i++)
            {
                frame.putInt(0, sent + i);
                left[0].send(frame, 0, FRAME_LENGTH);
                right[1].send(frame, 0, FRAME_LENGTH);
            }
            clock.advance(STEP_NS);
            relay.doWork();
            left[0].poll(sink, BURST * 2);
            right[1].poll(sink, BURST * 2);
        }
    }

    private void onFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        received++;
    }

    private static ImpairedPath path(final String name, final long seed)
    {
        return new ImpairedPath(new Impairment(new FaultInjectingDevice.Faults().seed(seed).loss(0.05)
            .corruption(0.01).duplication(0.05).reordering(0.25).holdNs(1_000_000))
            .delayNs(2_000_000).jitterNs(500_000).rateBitsPerSecond(5_000_000_000L).queueFrames(64),
            new RelayCounters(RecordingLink.inMemoryCounters(), name));
    }
}
