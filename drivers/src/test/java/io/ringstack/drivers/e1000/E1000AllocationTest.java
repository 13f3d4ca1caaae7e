package io.ringstack.drivers.e1000;

import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.NetworkDevice;
import io.ringstack.testkit.AllocationMeter;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Moving frames through two 82540EMs and their drivers allocates nothing on the heap: the test thread plays both
 * guests (drivers, device models, the cable between them) and its allocated bytes are read by an
 * {@link AllocationMeter} around 200,000 frames, 100,000 each way, against a baseline of the measurement alone, once
 * the JIT has settled.
 */
class E1000AllocationTest
{
    private static final int FRAME_LENGTH = 128;
    private static final int BURST = 16;
    private static final int WARMUP_BATCH_FRAMES = 20_000;
    private static final int WARMUP_MAX_BATCHES = 100;
    private static final int WARMUP_QUIET_BATCHES = 5;
    private static final int MEASURED_FRAMES_EACH_WAY = 100_000;
    /** A measurement the JIT compiled during is repeated: a tier-up on this thread can cost a few hundred bytes. */
    private static final int MEASUREMENT_ATTEMPTS = 5;

    private final AllocationMeter meter = AllocationMeter.forCurrentThread();
    private final E1000Station[] stations =
        E1000Station.onCable("e1000.alloc.a", 0x5254_0012_3456L, "e1000.alloc.b", 0x5255_0A00_0202L, 1 << 20);
    private final E1000Station a = stations[0];
    private final E1000Station b = stations[1];
    private final UnsafeBuffer frame = new UnsafeBuffer(E1000Bench.frame(FRAME_LENGTH, 3));
    private final Counting atA = new Counting();
    private final Counting atB = new Counting();

    @AfterEach
    void close()
    {
        a.close();
        b.close();
    }

    @Test
    void exchangingFramesThroughTwoDevicesAllocatesNothing()
    {
        meter.warmUp(WARMUP_MAX_BATCHES, WARMUP_QUIET_BATCHES,
            () -> allocatedBytesDuring(WARMUP_BATCH_FRAMES) - allocatedBytesDuring(0), () -> "");
        final long receivedByA = atA.frames;
        final long receivedByB = atB.frames;

        final AllocationMeter.Measurement measurement =
            meter.measure(this::exchange, MEASURED_FRAMES_EACH_WAY, MEASUREMENT_ATTEMPTS);

        assertEquals((long)MEASURED_FRAMES_EACH_WAY * measurement.runs(), atA.frames - receivedByA);
        assertEquals((long)MEASURED_FRAMES_EACH_WAY * measurement.runs(), atB.frames - receivedByB);
        assertEquals(0, measurement.workBytes(), () -> "heap bytes allocated moving " +
            2 * MEASURED_FRAMES_EACH_WAY + " frames: " + measurement.workBytes() + " (JIT compiled for " +
            measurement.jitMillis() + " ms meanwhile)");
        assertEquals(0, atA.corrupt + atB.corrupt, "every frame arrived intact");
    }

    private long allocatedBytesDuring(final int framesEachWay)
    {
        return meter.bytesDuring(this::exchange, framesEachWay);
    }

    private void exchange(final int framesEachWay)
    {
        for (int sent = 0; sent < framesEachWay; sent += BURST)
        {
            for (int i = 0; i < BURST; i++)
            {
                if (a.driver.transmit(frame, 0, FRAME_LENGTH) != NetworkDevice.TX_OK ||
                    b.driver.transmit(frame, 0, FRAME_LENGTH) != NetworkDevice.TX_OK)
                {
                    throw new AssertionError("transmit refused");
                }
            }
            a.driver.receive(atA, BURST);
            b.driver.receive(atB, BURST);
            a.driver.receive(atA, BURST);
            b.driver.receive(atB, BURST);
        }
    }

    private final class Counting implements FrameHandler
    {
        long frames;
        long corrupt;

        public void onFrame(final DirectBuffer buffer, final int offset, final int length)
        {
            frames++;
            if (length != FRAME_LENGTH || buffer.getByte(offset + length - 1) != frame.getByte(FRAME_LENGTH - 1))
            {
                corrupt++;
            }
        }
    }
}
