package io.ringstack.journal;

import io.ringstack.engine.EngineContext;
import io.ringstack.engine.EngineTap;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.iface.TxResult;
import io.ringstack.testkit.AllocationMeter;
import java.nio.file.Path;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves that journaling allocates nothing per record: the tap writing a duty cycle's received 64-byte frames into
 * its log, every other one answered by a sent frame before its verdict (so with a VERDICT record), and the agent
 * sealing them and writing them to Chronicle Queue, both on the test thread (embedded mode), a million frames,
 * counted by an {@link AllocationMeter} after a warm-up that waits for the JIT (see {@code DispatcherAllocationTest}
 * in the engine for why). The tap, on the engine's thread, must allocate nothing at all. The agent may allocate
 * what Chronicle does once per {@value #QUEUE_BLOCK_BYTES}-byte block of the queue file it maps (a few hundred bytes
 * each, measured), and nothing per record or per batch.
 */
class JournalAllocationTest
{
    private static final int FRAME_LENGTH = 64;
    /** Frames per duty cycle: the engine's default frame budget. */
    private static final int FRAMES_PER_CYCLE = 64;
    private static final int WARMUP_BATCH_FRAMES = 100_000;
    private static final int WARMUP_QUIET_BATCHES = 2;
    private static final int WARMUP_MAX_BATCHES = 60;
    private static final int MEASURED_FRAMES = 1_000_000;
    private static final int MEASUREMENT_ATTEMPTS = 5;
    /** The block size {@code QueueFiles} gives Chronicle. */
    private static final long QUEUE_BLOCK_BYTES = 16L * 1024 * 1024;
    /**
     * What the agent may allocate per block mapped: Chronicle's objects for a new mapping, 696 B measured on a quiet
     * machine, 2,377 B a block in all five runs on one at load 14 to 19. An allocation per record would be over 1 MB
     * in every run. A run over the bound is measured again, up to {@link #MEASUREMENT_ATTEMPTS} runs, as one the JIT
     * compiled during.
     */
    private static final long BYTES_PER_BLOCK = 4096;

    @TempDir
    Path directory;

    @Test
    void theTapAllocatesNothingAndTheAgentNothingPerRecord()
    {
        final CachedNanoClock clock = new CachedNanoClock();
        clock.update(JournaledEngine.START_NS);
        final EngineContext context = new EngineContext()
            .name("alloc")
            .interfaceConfig(new InterfaceConfig(
                PeerFrames.ENGINE_ADDRESS, 24, PeerFrames.PEER_ADDRESS, PeerFrames.ENGINE_MAC))
            .nanoClock(clock);
        final AllocationMeter meter = AllocationMeter.forCurrentThread();
        try (Journal journal = Journal.attach(context, new JournalContext()
            .directory(directory.resolve("alloc")).dedicatedAgent(false).profile("test/alloc")))
        {
            context.nanoClock().nanoTime();
            final CycleDriver driver = new CycleDriver(meter, journal, clock, PeerFrames.udp(40000, 9, 22));
            meter.warmUp(WARMUP_MAX_BATCHES, WARMUP_QUIET_BATCHES,
                () -> driver.tapBytes(WARMUP_BATCH_FRAMES), () -> "frames: " + driver.frames);
            long tapBytes;
            long jitMillis;
            long blocks;
            int runs = 0;
            do
            {
                final long jitBefore = meter.jitMillis();
                tapBytes = driver.tapBytes(MEASURED_FRAMES);
                jitMillis = meter.jitMillis() - jitBefore;
                blocks = driver.logBytes / QUEUE_BLOCK_BYTES + 1;
                runs++;
            }
            while ((jitMillis != 0 || driver.agentBytes > blocks * BYTES_PER_BLOCK) && runs < MEASUREMENT_ATTEMPTS);
            final long tapTotal = tapBytes;
            final long blockTotal = blocks;
            final String runsText = runs + " run(s), JIT " + jitMillis + " ms in the last";
            assertEquals(0, tapTotal, () -> "tap heap bytes over " + MEASURED_FRAMES + " frames, " + runsText);
            assertTrue(driver.agentBytes <= blocks * BYTES_PER_BLOCK, () -> "agent heap bytes: " +
                driver.agentBytes + " for " + driver.logBytes + " bytes of records (" + blockTotal + " blocks), " +
                runsText);
            assertEquals(0, journal.lostRecords());
        }
        final ReadResult result;
        try (JournalReader reader = JournalReader.open(directory.resolve("alloc")))
        {
            result = reader.read((record) -> true);
        }
        assertTrue(result.intact() && result.closed(), result::toString);
    }

    /**
     * Duty cycles of received frames, every other one answered, then the agent's turn, the heap bytes of each side
     * counted apart; no string literals.
     */
    static final class CycleDriver
    {
        /** Bytes of records in the log per duty cycle: CYCLE, 64 RX_FRAME, 32 TX_FRAME and 32 VERDICT records. */
        private static final long RECORD_BYTES_PER_CYCLE = 28 + 96 * (20 + 16 + FRAME_LENGTH) + 32 * 24;

        private final AllocationMeter meter;
        private final Journal journal;
        private final JournalTap tap;
        private final CachedNanoClock clock;
        private final UnsafeBuffer frame;
        long frames;
        long agentBytes;
        long logBytes;

        CycleDriver(final AllocationMeter meter, final Journal journal, final CachedNanoClock clock,
            final UnsafeBuffer frame)
        {
            this.meter = meter;
            this.journal = journal;
            this.tap = journal.tap();
            this.clock = clock;
            this.frame = frame;
        }

        /**
         * Run {@code count} frames' duty cycles.
         *
         * @return heap bytes the tap allocated; the agent's are added to {@link #agentBytes}.
         */
        long tapBytes(final int count)
        {
            long tapBytes = 0;
            agentBytes = 0;
            logBytes = 0;
            for (int done = 0; done < count; done += FRAMES_PER_CYCLE)
            {
                final long start = meter.allocatedBytes();
                clock.advance(1_000);
                tap.beginCycle(clock.nanoTime());
                for (int i = 0; i < FRAMES_PER_CYCLE; i++)
                {
                    final long token = tap.onRxFrame(EngineTap.INTERFACE_DEVICE, frame, 0, FRAME_LENGTH, 0);
                    if ((i & 1) == 0)
                    {
                        tap.onTxFrame(EngineTap.INTERFACE_DEVICE, frame, 0, FRAME_LENGTH, TxResult.SENT);
                    }
                    tap.onRxVerdict(token, EngineTap.DELIVERED);
                }
                final long tapDone = meter.allocatedBytes();
                journal.doWork();
                agentBytes += meter.allocatedBytes() - tapDone;
                tapBytes += tapDone - start;
                logBytes += RECORD_BYTES_PER_CYCLE;
                frames += FRAMES_PER_CYCLE;
            }
            return tapBytes;
        }
    }
}
