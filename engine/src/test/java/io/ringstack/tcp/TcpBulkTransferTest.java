package io.ringstack.tcp;

import io.ringstack.Ringstack;
import io.ringstack.errno.Errno;
import io.ringstack.phy.FaultInjectingDevice;
import io.ringstack.phy.PipeDevice;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.Sockets;
import io.ringstack.testkit.DigestSink;
import io.ringstack.testkit.SeededSource;
import io.ringstack.wire.Ipv4Text;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.agrona.CloseHelper;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.ringstack.socket.SocketConstants.AF_INET;
import static io.ringstack.socket.SocketConstants.SOCK_NONBLOCK;
import static io.ringstack.socket.SocketConstants.SOCK_STREAM;
import static io.ringstack.tcp.WiredEngines.ADDRESS_A;
import static io.ringstack.tcp.WiredEngines.ADDRESS_B;
import static io.ringstack.tcp.WiredEngines.MAC_A;
import static io.ringstack.tcp.WiredEngines.MAC_B;
import static io.ringstack.tcp.WiredEngines.WIRE_BYTES;
import static io.ringstack.tcp.WiredEngines.context;
import static io.ringstack.tcp.WiredEngines.onVirtualClock;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * 100 MB from one engine to another over a wire ({@link PipeDevice#pair}); the SHA-256 of what was written must be
 * the SHA-256 of what was read.
 * <ul>
 *   <li>Clean: each engine on its own thread, a writer and a reader thread on blocking sockets.</li>
 *   <li>Through {@link FaultInjectingDevice}s on both ends (5% loss, 5% reordering, 5% duplication and 1%
 *       corruption per frame, seeded): both engines embedded on the test thread and on one virtual clock, which
 *       moves {@link #STEP_NS} per round of duty cycles, non-blocking sockets between the rounds. Every run makes
 *       the same frames, the same faults and the same retransmissions.</li>
 *   <li>20 MB the same way through 5% loss, and through 25% reordering, each in both directions: the figures of the
 *       sender's loss recovery, bounded in virtual time.</li>
 * </ul>
 */
class TcpBulkTransferTest
{
    private static final long TOTAL_BYTES = 100L * 1000 * 1000;
    private static final int CHUNK = 64 * 1024;
    private static final int PORT = 5001;
    /** Virtual time per round: both engines run one duty cycle, then the application writes and reads. */
    private static final long STEP_NS = TimeUnit.MICROSECONDS.toNanos(20);
    private static final long VIRTUAL_LIMIT_NS = TimeUnit.MINUTES.toNanos(10);
    private static final long IMPAIRED_PATH_BYTES = 20L * 1000 * 1000;

    private static Run lastRun;

    @Test
    void hundredMegabytesArriveIntact() throws Exception
    {
        final PipeDevice[] wire = PipeDevice.pair("a", MAC_A, "b", MAC_B, WIRE_BYTES);
        Ringstack a = null;
        Ringstack b = null;
        try
        {
            a = Ringstack.launch(context("a", ADDRESS_A, wire[0]), true, null);
            b = Ringstack.launch(context("b", ADDRESS_B, wire[1]), true, null);
            final Sockets sender = a.sockets();
            final Sockets receiver = b.sockets();
            final int listener = listen(receiver, 0);
            final CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> readAll(receiver, listener));
            final byte[] written = writeAll(sender);
            final byte[] digest = read.get(60, TimeUnit.SECONDS);

            assertArrayEquals(written, digest, "SHA-256 of the bytes read = SHA-256 of the bytes written");
            assertHealthy(a, b);
        }
        finally
        {
            CloseHelper.closeAll(a, b);
        }
    }

    @Test
    void hundredMegabytesSurviveLossReorderingDuplicationAndCorruption()
    {
        transferThroughFaults(TOTAL_BYTES, TcpBulkTransferTest::faults);
        assertTrue(lastRun.deviceA.lost() > 0 && lastRun.deviceA.reordered() > 0 &&
            lastRun.deviceA.duplicated() > 0 && lastRun.deviceA.corrupted() > 0, lastRun.deviceA::toString);
    }

    @Test
    void transferThroughFaultsIsTheSameRunEveryTime()
    {
        assertEquals(transferThroughFaults(TOTAL_BYTES, TcpBulkTransferTest::faults),
            transferThroughFaults(TOTAL_BYTES, TcpBulkTransferTest::faults),
            "virtual duration, faults and every counter of both engines");
    }

    /**
     * The paths of the sender's loss recovery figures, both directions impaired alike: 20 MB must arrive intact, and
     * within a virtual time that a sender which waits for its retransmission timer on every lost retransmission or
     * tail loss, or takes reordering for loss, does not reach.
     */
    @ParameterizedTest(name = "20 MB through {0} within {3} ms of virtual time")
    @CsvSource({ "5% loss, 0.05, 0, 4000", "25% reordering, 0, 0.25, 50" })
    void twentyMegabytesCrossAnImpairedPathInTime(
        final String path, final double loss, final double reordering, final long limitMs)
    {
        final String run = transferThroughFaults(IMPAIRED_PATH_BYTES,
            (seed) -> new FaultInjectingDevice.Faults().seed(seed).loss(loss).reordering(reordering));

        assertTrue(lastRun.virtualMs <= limitMs, () -> path + ": " + run);
    }

    /**
     * {@code totalBytes} through faults on both ends, checked end to end; {@link #lastRun} keeps its devices and
     * virtual duration.
     *
     * @return what the run did: its virtual duration, the faults of both devices and both engines' counters.
     */
    private static String transferThroughFaults(
        final long totalBytes, final LongFunction<FaultInjectingDevice.Faults> faults)
    {
        final CachedNanoClock clock = new CachedNanoClock();
        clock.update(TcpTestbed.START_NS);
        final PipeDevice[] wire = PipeDevice.pair("a", MAC_A, "b", MAC_B, WIRE_BYTES);
        final FaultInjectingDevice deviceA = new FaultInjectingDevice(wire[0], faults.apply(11), clock);
        final FaultInjectingDevice deviceB = new FaultInjectingDevice(wire[1], faults.apply(12), clock);
        final long startNs = System.nanoTime();
        final String run;

        try (Ringstack a = Ringstack.launch(onVirtualClock(context("a", ADDRESS_A, deviceA), clock), false, null);
            Ringstack b = Ringstack.launch(onVirtualClock(context("b", ADDRESS_B, deviceB), clock), false, null))
        {
            final SeededSource written = new SeededSource(totalBytes, CHUNK);
            final DigestSink read = new DigestSink(CHUNK);

            transferOnVirtualClock(a, b, clock, written, read);

            final long virtualMs = TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - TcpTestbed.START_NS);
            System.out.printf("%d MB through faults in %d ms of virtual time, %d ms of real time; A %s; B %s%n",
                totalBytes / 1_000_000, virtualMs, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs),
                deviceA, deviceB);
            assertEquals(totalBytes, read.total(), "bytes read");
            assertArrayEquals(written.digest(), read.digest(),
                "SHA-256 of the bytes read = SHA-256 of the bytes written");
            assertHealthy(a, b);
            run = virtualMs + " ms; A " + deviceA + "; B " + deviceB + "\nsender:\n" + a.diagnostics() +
                "receiver:\n" + b.diagnostics();
            lastRun = new Run(virtualMs, deviceA);
        }
        return run;
    }

    /**
     * What the last transfer through faults took, and the sender's device.
     */
    private record Run(long virtualMs, FaultInjectingDevice deviceA)
    {
    }

    /**
     * Rounds of one duty cycle per engine, then as much writing and reading as the sockets take, each round
     * {@link #STEP_NS} of virtual time, until the reader sees the end of the stream.
     */
    private static void transferOnVirtualClock(
        final Ringstack a, final Ringstack b, final CachedNanoClock clock, final SeededSource written,
        final DigestSink read)
    {
        final Sockets sender = a.sockets();
        final Sockets receiver = b.sockets();
        final int listener = listen(receiver, SOCK_NONBLOCK);
        final int fd = sender.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        assertEquals(-Errno.EINPROGRESS, sender.connect(fd, SockAddr.inet(Ipv4Text.parse(ADDRESS_B), PORT)));
        int accepted = -1;
        boolean closed = false;
        while (!read.ended())
        {
            if (clock.nanoTime() - TcpTestbed.START_NS > VIRTUAL_LIMIT_NS)
            {
                fail("not done after " + TimeUnit.NANOSECONDS.toMinutes(VIRTUAL_LIMIT_NS) + " virtual minutes: " +
                    read.total() + " of " + written.totalBytes() + " bytes read\nsender:\n" + a.diagnostics() +
                    "receiver:\n" + b.diagnostics());
            }
            written.writeSome((buffer, offset, length) -> write(sender, fd, buffer, offset, length));
            if (written.finished() && !closed)
            {
                assertEquals(0, sender.close(fd), "close");
                closed = true;
            }
            a.runner().invoke();
            b.runner().invoke();
            if (accepted < 0)
            {
                accepted = receiver.accept4(listener, null, SOCK_NONBLOCK);
                assertTrue(accepted >= 0 || accepted == -Errno.EAGAIN, "accept: " + Errno.describe(accepted));
            }
            else
            {
                final int connection = accepted;
                read.readSome((buffer, offset, length) -> read(receiver, connection, buffer, offset, length));
            }
            clock.advance(STEP_NS);
        }
        receiver.close(accepted);
        receiver.close(listener);
    }

    private static FaultInjectingDevice.Faults faults(final long seed)
    {
        return new FaultInjectingDevice.Faults().seed(seed).loss(0.05).reordering(0.05).duplication(0.05)
            .corruption(0.01);
    }

    private static int listen(final Sockets sockets, final int flags)
    {
        final int listener = sockets.socket(AF_INET, SOCK_STREAM | flags, 0);
        assertEquals(0, sockets.bind(listener, SockAddr.inet(0, PORT)), "bind");
        assertEquals(0, sockets.listen(listener, 8), "listen");
        return listener;
    }

    private static void assertHealthy(final Ringstack a, final Ringstack b)
    {
        assertTrue(a.engine().counters().rxBalanced(), a::diagnostics);
        assertTrue(b.engine().counters().rxBalanced(), b::diagnostics);
        assertEquals(0, a.runner().errorCount(), a::diagnostics);
        assertEquals(0, b.runner().errorCount(), b::diagnostics);
        System.out.println("sender:\n" + a.diagnostics() + "receiver:\n" + b.diagnostics());
    }

    private static byte[] writeAll(final Sockets sockets)
    {
        final SeededSource written = new SeededSource(TOTAL_BYTES, CHUNK);
        final int fd = sockets.socket(AF_INET, SOCK_STREAM, 0);
        try
        {
            assertEquals(0, sockets.connect(fd, SockAddr.inet(Ipv4Text.parse(ADDRESS_B), PORT)), "connect");
            while (!written.finished())
            {
                written.writeSome((buffer, offset, length) -> write(sockets, fd, buffer, offset, length));
            }
        }
        finally
        {
            sockets.close(fd);
        }
        return written.digest();
    }

    private static byte[] readAll(final Sockets sockets, final int listener)
    {
        final DigestSink read = new DigestSink(CHUNK);
        final int fd = sockets.accept(listener, null);
        assertTrue(fd >= 0, () -> "accept: " + Errno.describe(fd));
        try
        {
            while (!read.ended())
            {
                read.readSome((buffer, offset, length) -> read(sockets, fd, buffer, offset, length));
            }
        }
        finally
        {
            sockets.close(fd);
            sockets.close(listener);
        }
        assertEquals(TOTAL_BYTES, read.total(), "bytes read");
        return read.digest();
    }

    /**
     * A non-blocking socket's write for {@link SeededSource}: bytes taken, 0 for {@code EAGAIN}.
     */
    private static int write(final Sockets sockets, final int fd, final byte[] buffer, final int offset,
        final int length)
    {
        final int written = sockets.write(fd, buffer, offset, length);
        assertTrue(written >= 0 || written == -Errno.EAGAIN, () -> "write: " + Errno.describe(written));
        return Math.max(written, 0);
    }

    /**
     * A socket's read for {@link DigestSink}: {@code EAGAIN} as none now, any other error fails.
     */
    private static int read(final Sockets sockets, final int fd, final byte[] buffer, final int offset,
        final int length)
    {
        final int read = sockets.read(fd, buffer, offset, length);
        assertTrue(read >= 0 || read == -Errno.EAGAIN, () -> "read: " + Errno.describe(read));
        return read;
    }
}
