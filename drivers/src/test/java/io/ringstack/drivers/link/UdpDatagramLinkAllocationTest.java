package io.ringstack.drivers.link;

import io.ringstack.phy.FrameHandler;
import io.ringstack.testkit.AllocationMeter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sending frames over a UDP-datagram link and polling them at the other end allocates nothing on the heap, looks at
 * the kernel's drop count in {@code /proc/net/udp} included: two links over 127.0.0.1, both counting, exchange
 * 50,000 frames while an {@link io.ringstack.testkit.AllocationMeter} reads the bytes this thread allocated, against
 * a baseline of the measurement alone, once the JIT has settled.
 */
class UdpDatagramLinkAllocationTest
{
    private static final int BURST = 16;
    private static final int FRAME_LENGTH = 60;
    private static final int WARMUP_BATCH_FRAMES = 5_000;
    private static final int WARMUP_MAX_BATCHES = 60;
    private static final int WARMUP_QUIET_BATCHES = 3;
    private static final int MEASURED_FRAMES = 50_000;
    private static final int MEASUREMENT_ATTEMPTS = 5;

    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[FRAME_LENGTH]);
    private UdpDatagramLink sender;
    private UdpDatagramLink receiver;
    private long received;
    private final FrameHandler count = (buffer, offset, length) -> received++;

    @Test
    void sendingAndPollingFramesAllocatesNothing() throws IOException
    {
        final AllocationMeter meter = AllocationMeter.forCurrentThread();
        final int portA = UdpDatagramLinkTest.freePort();
        final int portB = UdpDatagramLinkTest.freePort();
        try (UdpDatagramLink a = (UdpDatagramLink)LinkSpec.parse("udp:127.0.0.1:" + portA + ",127.0.0.1:" + portB)
            .open(TapLinkTest.inMemoryCounters(), "a");
            UdpDatagramLink b = (UdpDatagramLink)LinkSpec.parse("udp:127.0.0.1:" + portB + ",127.0.0.1:" + portA)
                .open(TapLinkTest.inMemoryCounters(), "b"))
        {
            sender = a;
            receiver = b;
            meter.warmUp(WARMUP_MAX_BATCHES, WARMUP_QUIET_BATCHES,
                () -> meter.bytesDuring(this::exchange, WARMUP_BATCH_FRAMES) - meter.bytesDuring(this::exchange, 0),
                () -> "");

            final AllocationMeter.Measurement measurement =
                meter.measure(this::exchange, MEASURED_FRAMES, MEASUREMENT_ATTEMPTS);

            assertTrue(received > 0, "frames crossed");
            assertEquals(0, b.readKernelDrops(), "the receiver kept up");
            assertEquals(0, measurement.workBytes(), () -> "heap bytes allocated sending and polling " +
                MEASURED_FRAMES + " frames over a UDP link: " + measurement.workBytes() + " (JIT compiled for " +
                measurement.jitMillis() + " ms meanwhile)");
        }
    }

    private void exchange(final int frames)
    {
        for (int sent = 0; sent < frames; sent += BURST)
        {
            for (int i = 0; i < BURST; i++)
            {
                if (!sender.send(frame, 0, FRAME_LENGTH))
                {
                    throw new AssertionError("the link refused a frame");
                }
            }
            while (receiver.poll(count, BURST) > 0)
            {
                // drain what has arrived
            }
        }
    }
}
