package io.ringstack.drivers.virtio;

import io.ringstack.drivers.GuestMemory;
import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.NetworkDevice;
import io.ringstack.testkit.AllocationMeter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Proves that the offload path of the VirtIO driver and model allocates nothing on the heap: segments of 64 KiB
 * handed to the driver to cut, through one descriptor and the model to the wire's {@code sendSegmented}, and the
 * wire's segments of 64 KiB into merged receive buffers and to the engine whole (straight from guest memory, or
 * through the staging buffer where they wrap), 20,000 each way, measured by an {@link AllocationMeter} around the run
 * and around an empty run. The run is measured three times and the least must be the empty run's: one allocation on
 * the path would cost every run 20,000 of them, while a single run has been seen, on a loaded host, to take one
 * allocation of 80 to 176 bytes in the whole run and none in the next.
 */
class VirtioSegmentAllocationTest
{
    private static final int WARMUP_SEGMENTS = 10_000;
    private static final int MEASURED_SEGMENTS = 20_000;
    private static final int QUEUE_SIZE = 256;
    private static final int RUNS = 3;

    private final AllocationMeter meter = AllocationMeter.forCurrentThread();
    private final SegmentingWire wire = new SegmentingWire(0xFFFF);
    private final UnsafeBuffer segment = new UnsafeBuffer(SegmentFrames.tcp(SegmentFrames.LARGEST, 9));
    private long received;
    private long sent;
    private final FrameHandler count = (buffer, offset, length) -> received += length == SegmentFrames.LARGEST ? 1 : 0;

    @Test
    void segmentsOf64KiBEachWayThroughDriverAndDeviceAllocateNothing()
    {
        try (GuestMemory memory = GuestMemory.allocate(VirtioNetDriver.guestMemoryLength(QUEUE_SIZE));
            VirtioNetDevice device = new VirtioNetDevice("virtio.test", memory, wire, RegisterLevelGuest.DEVICE_MAC,
                RegisterLevelGuest.newCountersManager()))
        {
            final VirtioNetDriver driver = new VirtioNetDriver("eth0", device, memory, QUEUE_SIZE).init();
            exchange(driver, WARMUP_SEGMENTS);

            final long baselineBytes = meter.bytesDuring(() -> exchange(driver, 0));
            final long[] allocatedBytes = new long[RUNS];
            for (int run = 0; run < RUNS; run++)
            {
                allocatedBytes[run] = meter.bytesDuring(() -> exchange(driver, MEASURED_SEGMENTS));
            }

            assertEquals(baselineBytes, Arrays.stream(allocatedBytes).min().getAsLong(), () -> "heap bytes allocated " +
                "by " + MEASURED_SEGMENTS + " segments each way, three runs: " + Arrays.toString(allocatedBytes) +
                " (baseline " + baselineBytes + ")");
            assertEquals(WARMUP_SEGMENTS + RUNS * MEASURED_SEGMENTS, received, "segments handed over whole");
            assertEquals(WARMUP_SEGMENTS + RUNS * MEASURED_SEGMENTS, sent);
            assertEquals(sent, wire.segmentedSends);
            assertEquals(0, wire.sends);
        }
    }

    private void exchange(final VirtioNetDriver driver, final int segments)
    {
        wire.arrive(segment.byteArray(), segments);
        for (int i = 0; i < segments; i++)
        {
            if (driver.transmitSegmented(segment, 0, SegmentFrames.LARGEST, SegmentFrames.MSS) == NetworkDevice.TX_OK)
            {
                sent++;
            }
            driver.receive(count, 64);
        }
        while (wire.arrivalsLeft() > 0)
        {
            driver.receive(count, 64);
        }
        driver.receive(count, 64);
    }
}
