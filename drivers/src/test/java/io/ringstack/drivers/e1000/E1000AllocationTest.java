package io.ringstack.drivers.e1000;

import io.ringstack.drivers.ThreadAllocation;
import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.NetworkDevice;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Moving frames through two 82540EMs and their drivers allocates nothing on the heap: the test thread plays both
 * guests (drivers, device models, the cable between them) and its allocated bytes are read from
 * {@link com.sun.management.ThreadMXBean#getThreadAllocatedBytes(long)} around 200,000 frames, 100,000 each way,
 * against a baseline of the measurement alone, once the JIT has settled.
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

    private static com.sun.management.ThreadMXBean threads;

    private final E1000Station[] stations =
        E1000Station.onCable("e1000.alloc.a", 0x5254_0012_3456L, "e1000.alloc.b", 0x5255_0A00_0202L, 1 << 20);
    private final E1000Station a = stations[0];
    private final E1000Station b = stations[1];
    private final UnsafeBuffer frame = new UnsafeBuffer(E1000Bench.frame(FRAME_LENGTH, 3));
    private final Counting atA = new Counting();
    private final Counting atB = new Counting();

    @BeforeAll
    static void findAllocationCounter()
    {
        threads = ThreadAllocation.enable();
    }

    @AfterEach
    void close()
    {
        a.close();
        b.close();
    }

    @Test
    void exchangingFramesThroughTwoDevicesAllocatesNothing()
    {
        warmUp();
        final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        final boolean jitTimed = jit != null && jit.isCompilationTimeMonitoringSupported();
        long baseline = 0;
        long allocated = 0;
        long jitMs = 0;
        for (int attempt = 1; attempt <= MEASUREMENT_ATTEMPTS; attempt++)
        {
            final long receivedByA = atA.frames;
            final long receivedByB = atB.frames;
            final long jitMsBefore = jitTimed ? jit.getTotalCompilationTime() : 0;
            baseline = allocatedBytesDuring(0);
            allocated = allocatedBytesDuring(MEASURED_FRAMES_EACH_WAY);
            jitMs = jitTimed ? jit.getTotalCompilationTime() - jitMsBefore : 0;
            assertEquals(MEASURED_FRAMES_EACH_WAY, atA.frames - receivedByA);
            assertEquals(MEASURED_FRAMES_EACH_WAY, atB.frames - receivedByB);
            if (jitMs == 0)
            {
                break;
            }
        }

        final long bytes = allocated - baseline;
        final long compileMs = jitMs;
        assertEquals(0, bytes, () -> "heap bytes allocated moving " + 2 * MEASURED_FRAMES_EACH_WAY + " frames: " +
            bytes + " (JIT compiled for " + compileMs + " ms meanwhile)");
        assertEquals(0, atA.corrupt + atB.corrupt, "every frame arrived intact");
    }

    /**
     * Exchange batches until {@link #WARMUP_QUIET_BATCHES} in a row allocate nothing while the JIT compiles nothing,
     * so that no compilation or deoptimisation lands in the measurement. A path that allocated per frame, or every
     * few thousand frames, never gets there.
     */
    private void warmUp()
    {
        final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        final boolean jitTimed = jit != null && jit.isCompilationTimeMonitoringSupported();
        int quiet = 0;
        final StringBuilder history = new StringBuilder();
        for (int batch = 0; batch < WARMUP_MAX_BATCHES; batch++)
        {
            final long jitMsBefore = jitTimed ? jit.getTotalCompilationTime() : 0;
            final long bytes = allocatedBytesDuring(WARMUP_BATCH_FRAMES) - allocatedBytesDuring(0);
            final long jitMs = jitTimed ? jit.getTotalCompilationTime() - jitMsBefore : 0;
            history.append(bytes).append(" B/").append(jitMs).append(" ms  ");
            quiet = bytes == 0 && jitMs == 0 ? quiet + 1 : 0;
            if (quiet == WARMUP_QUIET_BATCHES)
            {
                return;
            }
        }
        fail("still allocating or compiling after " + WARMUP_MAX_BATCHES + " warm-up batches (heap bytes/JIT time): " +
            history);
    }

    private long allocatedBytesDuring(final int framesEachWay)
    {
        final long threadId = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(threadId);
        exchange(framesEachWay);
        return threads.getThreadAllocatedBytes(threadId) - before;
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
