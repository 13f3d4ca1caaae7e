package io.ringstack.drivers.virtio;

import io.ringstack.testkit.AllocationMeter;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves that the data path of both the driver and the device model allocates nothing on the heap: 100,000 frames
 * each way between two VirtIO guests over a cable, transmit, DMA, the wire, receive and the zero-copy hand-over,
 * all on this thread, with the heap bytes the thread allocated read by an {@link AllocationMeter} around the run and
 * around an empty run.
 */
class VirtioAllocationTest
{
    private static final int WARMUP_FRAMES = 50_000;
    private static final int MEASURED_FRAMES = 100_000;

    private final AllocationMeter meter = AllocationMeter.forCurrentThread();

    @Test
    void framesBothWaysThroughDriversDevicesAndCableAllocateNothing()
    {
        try (CabledVirtioPair pair = new CabledVirtioPair(VirtioNetDriver.DEFAULT_QUEUE_SIZE, 1 << 20))
        {
            final SequencedTraffic traffic = new SequencedTraffic(pair);
            assertTrue(traffic.exchange(WARMUP_FRAMES));

            final long baselineBytes = allocatedBytesDuring(traffic, 0);
            final long allocatedBytes = allocatedBytesDuring(traffic, MEASURED_FRAMES);

            assertEquals(baselineBytes, allocatedBytes, () -> "heap bytes allocated by " + MEASURED_FRAMES +
                " frames each way: " + (allocatedBytes - baselineBytes) + " (measurement baseline " + baselineBytes +
                ")");
            assertEquals(0, traffic.corruptOrOutOfOrder());
            assertEquals(WARMUP_FRAMES + MEASURED_FRAMES, traffic.intactAToB());
            assertEquals(WARMUP_FRAMES + MEASURED_FRAMES, traffic.intactBToA());
        }
    }

    private long allocatedBytesDuring(final SequencedTraffic traffic, final int frames)
    {
        final boolean[] exchanged = new boolean[1];
        final long bytes = meter.bytesDuring(() -> exchanged[0] = traffic.exchange(frames));
        assertTrue(exchanged[0], "every transmit accepted");
        return bytes;
    }
}
