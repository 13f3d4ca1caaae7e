package io.ringstack.drivers.link;

import io.ringstack.drivers.e1000.TcpFrames;
import io.ringstack.phy.FrameHandler;
import io.ringstack.testkit.AllocationMeter;
import io.ringstack.wire.TcpSegment;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Cutting the TCP segments a TAP hands over whole allocates nothing on the heap: an {@link AllocationMeter} around
 * 20,000 segments of 45 MSS cut into 900,000 frames, against a baseline of the measurement alone, once the JIT has
 * settled.
 */
class TcpSegmentCutterAllocationTest
{
    private static final int MEASURED_FRAMES = 20_000;

    private final AllocationMeter meter = AllocationMeter.forCurrentThread();
    private final UnsafeBuffer pristine =
        TcpFrames.segment(TcpFrames.SEGMENTS_OF_64_KIB * TcpFrames.MSS, 1, 1, TcpSegment.FLAG_ACK);
    private final UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(pristine.capacity()));
    private final TcpSegmentCutter cutter = new TcpSegmentCutter();
    private final Counting handler = new Counting();

    @Test
    void cuttingAllocatesNothing()
    {
        meter.warmUp(100, 5, () -> meter.bytesDuring(this::cut, MEASURED_FRAMES / 10) - meter.bytesDuring(this::cut, 0),
            () -> "");
        final long before = handler.frames;

        final AllocationMeter.Measurement measurement = meter.measure(this::cut, MEASURED_FRAMES, 5);

        assertEquals((long)MEASURED_FRAMES * TcpFrames.SEGMENTS_OF_64_KIB * measurement.runs(),
            handler.frames - before);
        assertEquals(0, measurement.workBytes(), () -> "heap bytes allocated cutting " + MEASURED_FRAMES +
            " segments of 45 MSS: " + measurement.workBytes() + " (JIT compiled for " + measurement.jitMillis() +
            " ms meanwhile)");
    }

    private void cut(final int frames)
    {
        for (int i = 0; i < frames; i++)
        {
            frame.putBytes(0, pristine, 0, pristine.capacity());
            if (!cutter.begin(frame, 0, frame.capacity(), TcpFrames.MSS, 0))
            {
                throw new AssertionError("not cut");
            }
            while (cutter.hasNext())
            {
                cutter.next(handler);
            }
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
