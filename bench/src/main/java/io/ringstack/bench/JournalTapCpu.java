package io.ringstack.bench;

import io.ringstack.engine.EngineContext;
import io.ringstack.engine.EngineTap;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.journal.Journal;
import io.ringstack.journal.JournalContext;
import io.ringstack.journal.JournalTap;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import static io.ringstack.bench.UdpFrames.ENGINE_ADDRESS;
import static io.ringstack.bench.UdpFrames.ENGINE_MAC;
import static io.ringstack.bench.UdpFrames.FRAME_LENGTH;
import static io.ringstack.bench.UdpFrames.PEER_ADDRESS;

/**
 * The journal's cost in processor time per record, which a loaded machine changes far less than the records per
 * second of {@link JournalBenchmark}: drives a journal's tap as {@link JournalBenchmark#journalRecords} does (duty
 * cycles of 64 received 64-byte frames, 65 records each) and reads the thread CPU time of the tap's thread and of
 * the journal agent's. With a tap ring larger than the run, the tap never waits and its figure is its own work; with
 * the default ring the tap waits for the agent, and the agent's figure is what each record costs it.
 * <pre>
 *   java [the flags of ForkedBenchmark] -cp bench/target/benchmarks.jar io.ringstack.bench.JournalTapCpu \
 *       DIR RECORDS ROUNDS [TAP_RING_BYTES]
 * </pre>
 */
public final class JournalTapCpu
{
    private static final int PORT = 7777;

    private JournalTapCpu()
    {
    }

    public static void main(final String[] args)
    {
        if (args.length < 3)
        {
            System.err.println("usage: JournalTapCpu DIR RECORDS ROUNDS [TAP_RING_BYTES]");
            System.exit(2);
        }
        final Path parent = Path.of(args[0]);
        final long records = Long.parseLong(args[1]);
        final int rounds = Integer.parseInt(args[2]);
        final int ringBytes = args.length > 3 ? Integer.parseInt(args[3]) : JournalContext.DEFAULT_TAP_RING_CAPACITY;
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.setProperty("ringstack.bench.dir", parent.toString());
        for (int round = 0; round < rounds; round++)
        {
            final Path directory = JournalBenchmark.newDirectory();
            final EngineContext context = new EngineContext()
                .name("tapcpu")
                .interfaceConfig(new InterfaceConfig(ENGINE_ADDRESS, 24, PEER_ADDRESS, ENGINE_MAC))
                .nanoClock(new CachedNanoClock());
            final Journal journal = Journal.attach(context,
                new JournalContext().directory(directory.resolve("journal")).tapRingCapacity(ringBytes));
            final JournalTap tap = journal.tap();
            final UnsafeBuffer frame = UdpFrames.toEngine(PORT);
            long cycleNs = context.nanoClock().nanoTime();
            final long agent = agentThreadId("journal-tapcpu");
            final long startNs = System.nanoTime();
            final long tapStartNs = threads.getCurrentThreadCpuTime();
            final long agentStartNs = threads.getThreadCpuTime(agent);
            long written = 0;
            while (written < records)
            {
                tap.beginCycle(++cycleNs);
                for (int i = 0; i < JournalBenchmark.BATCH; i++)
                {
                    tap.onRxVerdict(tap.onRxFrame(EngineTap.INTERFACE_DEVICE, frame, 0, FRAME_LENGTH, 0),
                        EngineTap.DELIVERED);
                }
                written += JournalBenchmark.RECORDS_PER_CYCLE;
            }
            final double tapNs = threads.getCurrentThreadCpuTime() - tapStartNs;
            final double agentNs = threads.getThreadCpuTime(agent) - agentStartNs;
            final double wallNs = System.nanoTime() - startNs;
            journal.close();
            JournalBenchmark.delete(directory);
            System.out.printf("round %d: %d records, %.1f ns per record wall, tap %.1f ns CPU, agent %.1f ns CPU%n",
                round, written, wallNs / written, tapNs / written, agentNs / written);
        }
    }

    private static long agentThreadId(final String name)
    {
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.getName().equals(name))
            {
                return thread.getId();
            }
        }
        throw new IllegalStateException("no journal agent thread named " + name);
    }
}
