package io.ringstack.journal;

import io.ringstack.config.Setting;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.Sockets;
import io.ringstack.testkit.AllocationMeter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.ringstack.socket.SocketConstants.AF_INET;
import static io.ringstack.socket.SocketConstants.SOCK_DGRAM;
import static io.ringstack.socket.SocketConstants.SOCK_NONBLOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves that replay allocates nothing per frame: what a replay allocates (a fresh engine and its tables, the
 * reader, Chronicle's tailer, the report, about 1.9 MB) does not depend on how long the journal is. Two journals of
 * the same traffic (64-byte UDP datagrams to a bound socket, received and read, 64 to a duty cycle), one
 * {@value #LONGER_BY}× longer than the other, are replayed on this thread after warm-up, the longer one between two
 * replays of the shorter.
 * <p>
 * Successive replays in one JVM do not allocate quite the same: each allocates about 3.5 KB more than the one
 * before, because Chronicle's registry of thread-local state grows with every queue a thread opens and is walked
 * when one opens. Bracketing the longer replay between two of the shorter cancels that drift to within a few
 * hundred bytes, so the longer replay must allocate within {@value #TOLERANCE_BYTES} bytes of their mean: less than
 * 0.02 B for each of its extra frames, where the JMH replay figure showed 0.9 B/frame before it was traced to that
 * fixed cost spread over the frames.
 */
class ReplayAllocationTest
{
    private static final long MILLISECOND = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int PORT = 5000;
    private static final int FRAMES_PER_CYCLE = 64;
    /** Duty cycles after the last datagram, for what is still on its way to the socket. */
    private static final int DRAIN_CYCLES = 3;
    private static final int SHORT_FRAMES = 64 * 125;
    private static final int LONGER_BY = 8;
    /**
     * What the JIT and the collector's bookkeeping may add to one measurement on a loaded machine (up to 3,204 B
     * seen): an object of 16 B per extra duty cycle would be 14,000 B more, one per extra frame 896,000 B.
     */
    private static final long TOLERANCE_BYTES = 8192;
    private static final int WARM_UP_REPLAYS = 6;
    /** Measurements, until one is within the tolerance: the JIT allocates on this thread when it compiles. */
    private static final int ATTEMPTS = 5;

    @TempDir
    Path directory;

    private final AllocationMeter meter = AllocationMeter.forCurrentThread();

    @Test
    void replayOfAJournalEightTimesLongerAllocatesNoMore()
    {
        final Path shorter = record("shorter", SHORT_FRAMES);
        final Path longer = record("longer", SHORT_FRAMES * LONGER_BY);
        for (int i = 0; i < WARM_UP_REPLAYS; i++)
        {
            replay(shorter);
            replay(longer);
        }

        long extra = Long.MAX_VALUE;
        long jitMillis = -1;
        for (int attempt = 0; attempt < ATTEMPTS && Math.abs(extra) > TOLERANCE_BYTES; attempt++)
        {
            final long jitBefore = meter.jitMillis();
            final long shorterBytes = meter.bytesDuring(() -> replay(shorter));
            final long longerBytes = meter.bytesDuring(() -> replay(longer));
            final long shorterAgainBytes = meter.bytesDuring(() -> replay(shorter));
            jitMillis = meter.jitMillis() - jitBefore;
            extra = longerBytes - (shorterBytes + shorterAgainBytes) / 2;
        }

        assertTrue(Math.abs(extra) <= TOLERANCE_BYTES, "the replay of " + SHORT_FRAMES * (LONGER_BY - 1) +
            " more frames allocated " + extra + " bytes more (JIT compiled for " + jitMillis +
            " ms during the last of " + ATTEMPTS + " attempts)");
    }

    private static void replay(final Path journal)
    {
        final ReplayReport report = Replayer.replay(journal, null);
        if (!report.identical())
        {
            throw new AssertionError(report.summary());
        }
    }

    /**
     * A journaled engine with a bound UDP socket receives {@code frames} datagrams from its peer and reads each.
     */
    private Path record(final String name, final int frames)
    {
        final Path journal = directory.resolve(name);
        final UnsafeBuffer datagram = PeerFrames.udp(40000, PORT, 64);
        final byte[] payload = new byte[2048];
        try (JournaledEngine engine = JournaledEngine.start(journal, (context) -> context,
            (context) -> context.set(Setting.ICMP_MSGS_PER_SEC, 0)))
        {
            final Sockets sockets = engine.sockets();
            final int fd = sockets.socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
            assertEquals(0, sockets.bind(fd, SockAddr.inet(0, PORT)));
            engine.fromPeer(PeerFrames.arpRequest());
            engine.cycle(MILLISECOND);
            int read = 0;
            for (int i = 0; i < frames; i++)
            {
                engine.fromPeer(datagram);
                if (i % FRAMES_PER_CYCLE == FRAMES_PER_CYCLE - 1)
                {
                    read += cycleAndRead(engine, fd, payload);
                }
            }
            for (int i = 0; i < DRAIN_CYCLES; i++)
            {
                read += cycleAndRead(engine, fd, payload);
            }
            assertEquals(frames, read, "every datagram was read");
            assertEquals(0, engine.journal().lostRecords());
        }
        assertTrue(Replayer.replay(journal, null).identical(), "the journal replays identical");
        return journal;
    }

    /**
     * Run one duty cycle, then read every datagram the socket holds.
     *
     * @return the datagrams read.
     */
    private static int cycleAndRead(final JournaledEngine engine, final int fd, final byte[] payload)
    {
        engine.cycle(MILLISECOND);
        int read = 0;
        while (engine.sockets().recvfrom(fd, payload, 0, payload.length, 0, null) > 0)
        {
            read++;
        }
        return read;
    }
}
