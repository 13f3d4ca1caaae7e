package io.ringstack.bench;

import io.ringstack.Ringstack;
import io.ringstack.engine.EngineContext;
import io.ringstack.engine.EngineRunner;
import io.ringstack.engine.EngineTap;
import io.ringstack.iface.DropReason;
import io.ringstack.iface.EngineCounters;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.journal.Journal;
import io.ringstack.journal.JournalContext;
import io.ringstack.journal.JournalReader;
import io.ringstack.journal.JournalTap;
import io.ringstack.journal.ReplayReport;
import io.ringstack.journal.Replayer;
import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.NetworkDevice;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.Sockets;
import io.ringstack.wire.EthernetFrame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import static io.ringstack.bench.UdpFrames.ENGINE_ADDRESS;
import static io.ringstack.bench.UdpFrames.ENGINE_MAC;
import static io.ringstack.bench.UdpFrames.FRAME_LENGTH;
import static io.ringstack.bench.UdpFrames.PEER_ADDRESS;

/**
 * What the journal costs and how fast it goes, ops/s being frames/s (or records/s) throughout:
 * <ul>
 *   <li>{@link #receive}: the 64-byte UDP receive path with journaling off and on, in the same run
 *       ({@code journaled} parameter): each invocation is one engine duty cycle in which the device hands the
 *       dispatcher 64 frames for a bound socket, which the application then drains with
 *       {@code recvfrom(MSG_DONTWAIT)}. Journaled, the tap writes every frame with its verdict into the tap log and
 *       the journal agent, on its own thread, moves them into Chronicle Queue; policy BLOCK, so the engine can go no
 *       faster than the journal sustains.</li>
 *   <li>{@link #journalRecords}: the journal alone: a duty cycle of 64 received 64-byte frames reported to the tap
 *       directly, 65 records, drained by the agent on its own thread; the record rate the journal sustains.</li>
 *   <li>{@link #replay}: a journal of {@value #REPLAY_FRAMES} received frames replayed into a fresh engine and
 *       compared, read from Chronicle, CRC-checked, dispatched and compared.</li>
 * </ul>
 * Journals go to a temporary directory under {@code -Dringstack.bench.dir} (default: the JVM's temporary directory;
 * a tmpfs such as /dev/shm takes the disk out of the figure) and are deleted at the end of each trial.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class JournalBenchmark extends ForkedBenchmark
{
    /** Frames per duty cycle: the engine's default frame budget. */
    public static final int BATCH = 64;
    /** Records per duty cycle of {@link #journalRecords}: the cycle and its frames. */
    public static final int RECORDS_PER_CYCLE = BATCH + 1;
    /** Frames in the journal {@link #replay} replays. */
    public static final int REPLAY_FRAMES = 2_000_000;

    private static final int PORT = 7777;
    private static final String DIRECTORY_PROPERTY = "ringstack.bench.dir";

    /**
     * A device whose receive hands over the same frame as many times as it is asked, once switched on: a NIC ring
     * that never runs dry, whose slot is cache-hot as it would be for a 64-byte frame.
     */
    static final class RepeatingDevice implements NetworkDevice
    {
        private final UnsafeBuffer frame;
        private boolean on;

        RepeatingDevice(final UnsafeBuffer frame)
        {
            this.frame = frame;
        }

        public String name()
        {
            return "repeating";
        }

        public long macAddress()
        {
            return ENGINE_MAC;
        }

        public int mtu()
        {
            return EthernetFrame.MAX_PAYLOAD_LENGTH;
        }

        public int receive(final FrameHandler handler, final int limit)
        {
            if (!on)
            {
                return 0;
            }
            for (int i = 0; i < limit; i++)
            {
                handler.onFrame(frame, 0, FRAME_LENGTH);
            }
            return limit;
        }

        public int transmit(final DirectBuffer buffer, final int offset, final int length)
        {
            return TX_OK;
        }
    }

    /**
     * An embedded engine receiving 64-byte datagrams for a bound socket, journaled or not.
     */
    @State(Scope.Thread)
    public static class Receiver
    {
        @Param({ "false", "true" })
        public boolean journaled;

        Path directory;
        Journal journal;
        Ringstack stack;
        EngineRunner runner;
        Sockets sockets;
        int fd;
        final byte[] payload = new byte[2048];
        long framesRead;

        @Setup(Level.Trial)
        public void setUp()
        {
            directory = newDirectory();
            start(this, directory.resolve("receive"), journaled, new CachedNanoClock());
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            final EngineCounters counters = stack.engine().counters();
            final long frames = counters.rxFrames.get();
            final boolean clean = counters.rxDelivered.get() == frames &&
                counters.totalDrops(DropReason.Direction.RX) == 0;
            final String diagnostics = stack.diagnostics();
            CloseHelper.closeAll(stack, journal);
            delete(directory);
            if (!clean)
            {
                throw new IllegalStateException("frames were dropped:\n" + diagnostics);
            }
        }

        /**
         * One duty cycle: 64 frames dispatched into the socket's ring, then read out.
         */
        int cycle()
        {
            runner.invoke();
            int bytes = 0;
            for (int misses = 0; misses < 2; )
            {
                final int result = sockets.recvfrom(fd, payload, 0, payload.length, SocketConstants.MSG_DONTWAIT, null);
                if (result >= 0)
                {
                    bytes += result;
                    framesRead++;
                    misses = 0;
                }
                else
                {
                    misses++;
                }
            }
            return bytes;
        }
    }

    /**
     * The journal of an engine that is not there: its tap driven directly, its agent on its own thread.
     */
    @State(Scope.Thread)
    public static class Tap
    {
        Path directory;
        Journal journal;
        JournalTap tap;
        UnsafeBuffer frame;
        long cycleNs;

        @Setup(Level.Trial)
        public void setUp()
        {
            directory = newDirectory();
            final CachedNanoClock clock = new CachedNanoClock();
            final EngineContext context = new EngineContext()
                .name("tap")
                .interfaceConfig(new InterfaceConfig(ENGINE_ADDRESS, 24, PEER_ADDRESS, ENGINE_MAC))
                .nanoClock(clock);
            journal = Journal.attach(context, new JournalContext().directory(directory.resolve("tap")));
            cycleNs = context.nanoClock().nanoTime();
            tap = journal.tap();
            frame = UdpFrames.toEngine(PORT);
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            final long lost = journal.lostRecords();
            journal.close();
            delete(directory);
            if (lost != 0)
            {
                throw new IllegalStateException(lost + " records lost");
            }
        }
    }

    /**
     * A journal of {@link #REPLAY_FRAMES} received frames, recorded once per trial.
     */
    @State(Scope.Benchmark)
    public static class Recorded
    {
        Path directory;
        Path journal;

        @Setup(Level.Trial)
        public void setUp()
        {
            directory = newDirectory();
            journal = directory.resolve("replay");
            final Receiver receiver = new Receiver();
            final CachedNanoClock clock = new CachedNanoClock();
            clock.update(1_000_000_000L);
            start(receiver, journal, true, clock);
            for (int i = 0; i < REPLAY_FRAMES / BATCH; i++)
            {
                clock.advance(1_000);
                receiver.cycle();
            }
            CloseHelper.closeAll(receiver.stack, receiver.journal);
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            delete(directory);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int receive(final Receiver receiver)
    {
        return receiver.cycle();
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS_PER_CYCLE)
    public void journalRecords(final Tap state)
    {
        final JournalTap tap = state.tap;
        final UnsafeBuffer frame = state.frame;
        tap.beginCycle(++state.cycleNs);
        for (int i = 0; i < BATCH; i++)
        {
            tap.onRxVerdict(tap.onRxFrame(EngineTap.INTERFACE_DEVICE, frame, 0, FRAME_LENGTH, 0), EngineTap.DELIVERED);
        }
    }

    @Benchmark
    @OperationsPerInvocation(REPLAY_FRAMES)
    public long replay(final Recorded recorded)
    {
        try (JournalReader reader = JournalReader.open(recorded.journal))
        {
            final ReplayReport report = Replayer.replay(reader, null);
            if (!report.identical() || report.deviceFrames() != REPLAY_FRAMES)
            {
                throw new IllegalStateException(report.summary());
            }
            return report.outputs();
        }
    }

    /**
     * Launch an embedded engine on the calling thread whose device repeats one 64-byte frame for a bound socket.
     */
    static void start(final Receiver receiver, final Path journalDirectory, final boolean journaled,
        final CachedNanoClock clock)
    {
        final RepeatingDevice device = new RepeatingDevice(UdpFrames.toEngine(PORT));
        final EngineContext context = new EngineContext()
            .name("bench")
            .interfaceConfig(new InterfaceConfig(ENGINE_ADDRESS, 24, PEER_ADDRESS, ENGINE_MAC))
            .device(device)
            .nanoClock(clock);
        if (journaled)
        {
            receiver.journal = Journal.attach(context, new JournalContext().directory(journalDirectory));
        }
        receiver.stack = Ringstack.launch(context, false, null);
        receiver.runner = receiver.stack.runner();
        receiver.sockets = receiver.stack.sockets();
        receiver.fd = receiver.sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0);
        if (receiver.sockets.bind(receiver.fd, SockAddr.inet(SocketConstants.INADDR_ANY, PORT)) != 0)
        {
            throw new IllegalStateException("cannot bind port " + PORT);
        }
        device.on = true;
    }

    static Path newDirectory()
    {
        try
        {
            final Path parent = Path.of(System.getProperty(DIRECTORY_PROPERTY, System.getProperty("java.io.tmpdir")));
            return Files.createTempDirectory(parent, "ringstack-journal-bench");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static void delete(final Path directory)
    {
        try (Stream<Path> paths = Files.walk(directory))
        {
            paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
