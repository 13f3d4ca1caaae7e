package io.ringstack.drivers.e1000;

import io.ringstack.phy.Cable;
import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.Link;
import io.ringstack.phy.NetworkDevice;
import io.ringstack.testkit.AllocationMeter;
import io.ringstack.wire.TcpSegment;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * TCP segmentation offload through the driver and the device allocates nothing on the heap, whether the device cuts the
 * segments onto a cable or hands each whole to a wire that cuts it, copied into the driver's buffers or written there
 * in place: an {@link AllocationMeter} around 20,000 segments of 45 MSS, against a baseline of the measurement alone,
 * once the JIT has settled.
 */
class E1000SegmentationAllocationTest
{
    private static final int MSS = TcpFrames.MSS;
    private static final int SEGMENTS_PER_FRAME = TcpFrames.SEGMENTS_OF_64_KIB;
    private static final int WARMUP_BATCH_FRAMES = 2_000;
    private static final int WARMUP_MAX_BATCHES = 100;
    private static final int WARMUP_QUIET_BATCHES = 5;
    private static final int MEASURED_FRAMES = 20_000;
    private static final int MEASUREMENT_ATTEMPTS = 5;

    private final AllocationMeter meter = AllocationMeter.forCurrentThread();
    private final UnsafeBuffer frame = TcpFrames.segment(SEGMENTS_PER_FRAME * MSS, 1, 1, TcpSegment.FLAG_ACK);
    private final Counting far = new Counting();
    private Link wire;
    private E1000Station station;
    private boolean inPlace;

    @ParameterizedTest
    @ValueSource(strings = {"the device cuts", "the wire cuts", "the wire cuts what was written in place"})
    void segmentingAllocatesNothing(final String who)
    {
        final Link[] cable = Cable.ends(1 << 22);
        final CuttingWire cutting = new CuttingWire();
        final boolean wireCuts = who.startsWith("the wire cuts");
        inPlace = who.endsWith("in place");
        wire = wireCuts ? cutting : cable[1];
        station = new E1000Station("e1000.tso.alloc", E1000Bench.MAC, wireCuts ? cutting : cable[0]);
        try
        {
            meter.warmUp(WARMUP_MAX_BATCHES, WARMUP_QUIET_BATCHES,
                () -> meter.bytesDuring(this::send, WARMUP_BATCH_FRAMES) - meter.bytesDuring(this::send, 0),
                () -> "");
            final long before = far.frames + cutting.frames;

            final AllocationMeter.Measurement measurement = meter.measure(this::send, MEASURED_FRAMES,
                MEASUREMENT_ATTEMPTS);

            final int perFrame = wireCuts ? 1 : SEGMENTS_PER_FRAME;
            assertEquals((long)MEASURED_FRAMES * perFrame * measurement.runs(), far.frames + cutting.frames - before);
            assertEquals(0, measurement.workBytes(), () -> "heap bytes allocated when " + who + " " +
                MEASURED_FRAMES + " frames of 45 MSS: " + measurement.workBytes() + " (JIT compiled for " +
                measurement.jitMillis() + " ms meanwhile)");
        }
        finally
        {
            station.close();
        }
    }

    private void send(final int frames)
    {
        for (int sent = 0; sent < frames; sent++)
        {
            final int claimed = inPlace ? station.driver.claimSegmented(frame.capacity()) : -1;
            if (claimed >= 0)
            {
                station.driver.transmitBuffer().putBytes(claimed, frame, 0, frame.capacity());
            }
            if ((claimed >= 0 ? station.driver.commitSegmented(claimed, frame.capacity(), MSS) :
                station.driver.transmitSegmented(frame, 0, frame.capacity(), MSS)) != NetworkDevice.TX_OK)
            {
                throw new AssertionError("transmit refused");
            }
            station.driver.receive(far, 1);
            wire.poll(far, Integer.MAX_VALUE);
        }
    }

    private static final class Counting implements FrameHandler
    {
        long frames;

        public void onFrame(final DirectBuffer buffer, final int offset, final int length)
        {
            frames++;
        }
    }
}
