package io.ringstack.tcp;

import io.ringstack.Ringstack;
import io.ringstack.config.Setting;
import io.ringstack.engine.EngineContext;
import io.ringstack.engine.EngineRunner;
import io.ringstack.errno.Errno;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.Sockets;
import io.ringstack.testkit.AllocationMeter;
import io.ringstack.wire.Ipv4Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.function.IntConsumer;

import static io.ringstack.socket.SocketConstants.AF_INET;
import static io.ringstack.socket.SocketConstants.INADDR_LOOPBACK;
import static io.ringstack.socket.SocketConstants.SOCK_NONBLOCK;
import static io.ringstack.socket.SocketConstants.SOCK_STREAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Proves that TCP's steady state allocates nothing on the heap: one connection over the engine's loopback, the
 * engine embedded on the test thread, a non-blocking writer and reader on the same thread, so that every
 * allocation of the data path (write into the send ring and its doorbell, segments out, loopback dispatch, input
 * into the receive ring, ACKs, timers, the read) would be counted by the {@link AllocationMeter}. Warm-up runs until
 * three batches in a row allocate nothing while the JIT compiles nothing (the JIT allocates on the thread that
 * triggers a compile), then the measured run must allocate 0 bytes; a run the JIT finished a compilation during is
 * run again, up to five runs in all. Two workloads: bulk transfer (256 MiB measured; also with ECN negotiated, its
 * data ECT(0), RFC 3168, and with BBR, its rate samples and pacing), and request/response as
 * {@code TcpRequestResponseBenchmark} runs it (Nagle off, a request of 1 byte or 1 KiB answered with as many bytes;
 * 100,000 transactions measured), whose JMH figure of a fraction of a byte per operation is the fork's background.
 */
class TcpAllocationTest
{
    private static final int CHUNK = 64 * 1024;
    private static final int WARMUP_BATCH_BYTES = 32 << 20;
    private static final int WARMUP_MAX_BATCHES = 60;
    private static final int WARMUP_QUIET_BATCHES = 3;
    private static final int MEASURED_BYTES = 256 << 20;
    /** A measurement the JIT compiled during is repeated: a tier-up on this thread can cost a few hundred bytes. */
    private static final int MEASUREMENT_ATTEMPTS = 5;
    private static final int WARMUP_BATCH_TRANSACTIONS = 20_000;
    private static final int MEASURED_TRANSACTIONS = 100_000;
    /** Engine duty cycles a transaction may take before the test fails instead of spinning on. */
    private static final int CYCLES_PER_TRANSACTION_LIMIT = 1_000;

    private final AllocationMeter meter = AllocationMeter.forCurrentThread();
    private final byte[] chunk = new byte[CHUNK];
    private final byte[] sink = new byte[CHUNK];
    private Ringstack stack;
    private EngineRunner runner;
    private Sockets sockets;
    private int writer;
    private int reader;
    private long written;
    private long read;

    @AfterEach
    void close()
    {
        stack.close();
    }

    @ParameterizedTest(name = "tcpEcn {0}, {1}")
    @CsvSource({ "2, CUBIC", "1, CUBIC", "2, BBR" })
    void bulkTransferOverLoopbackAllocatesNothing(final int ecn, final TcpCongestionAlgorithm algorithm)
    {
        connect(new EngineContext().set(Setting.LOOPBACK_RING_CAPACITY, 1 << 20).set(Setting.TCP_ECN, ecn)
            .set(Setting.TCP_CONGESTION_CONTROL, algorithm));
        assertEquals(ecn == 1 ? 2 : 0, stack.engine().counters().tcpEcnConnections.get(), "both ends use ECN");

        meter.warmUp(WARMUP_MAX_BATCHES, WARMUP_QUIET_BATCHES,
            () -> meter.bytesDuring(this::transfer, WARMUP_BATCH_BYTES), stack::diagnostics);

        final AllocationMeter.Measurement measurement =
            meter.measure(this::transfer, MEASURED_BYTES, MEASUREMENT_ATTEMPTS);

        assertEquals(0, measurement.bytes(), () -> "heap bytes allocated while moving 256 MiB (JIT compiled for " +
            measurement.jitMillis() + " ms meanwhile, run " + measurement.runs() + " of at most " +
            MEASUREMENT_ATTEMPTS + ")\n" + stack.diagnostics());
        drain();
        assertEquals(written, read, "every byte written was read");
        assertTrue(stack.engine().counters().rxBalanced(), stack::diagnostics);
    }

    @ParameterizedTest(name = "{0}-byte requests")
    @ValueSource(ints = { 1, 1024 })
    void requestResponseOverLoopbackAllocatesNothing(final int size)
    {
        connect(new EngineContext().set(Setting.TCP_NAGLE, false));
        final byte[] request = new byte[size];
        final byte[] response = new byte[size];
        final IntConsumer transactions = (count) -> exchange(request, response, count);

        meter.warmUp(WARMUP_MAX_BATCHES, WARMUP_QUIET_BATCHES,
            () -> meter.bytesDuring(transactions, WARMUP_BATCH_TRANSACTIONS), stack::diagnostics);

        final AllocationMeter.Measurement measurement =
            meter.measure(transactions, MEASURED_TRANSACTIONS, MEASUREMENT_ATTEMPTS);

        assertEquals(0, measurement.bytes(), () -> "heap bytes allocated by " + MEASURED_TRANSACTIONS + " " + size +
            "-byte transactions (JIT compiled for " + measurement.jitMillis() + " ms meanwhile, run " +
            measurement.runs() + " of at most " + MEASUREMENT_ATTEMPTS + ")\n" + stack.diagnostics());
        assertTrue(stack.engine().counters().rxBalanced(), stack::diagnostics);
    }

    private void connect(final EngineContext context)
    {
        stack = Ringstack.launch(context
            .name("tcp-alloc")
            .interfaceConfig(new InterfaceConfig(Ipv4Text.parse("10.0.2.15"), 24, 0, 0x0200_0000_0001L)), false, null);
        runner = stack.runner();
        sockets = stack.sockets();
        final int listener = sockets.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        assertEquals(0, sockets.bind(listener, SockAddr.inet(0, 9000)));
        assertEquals(0, sockets.listen(listener, 1));
        writer = sockets.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        assertEquals(-Errno.EINPROGRESS, sockets.connect(writer, SockAddr.inet(INADDR_LOOPBACK, 9000)));
        for (int i = 0; i < 10; i++)
        {
            runner.invoke();
        }
        reader = sockets.accept4(listener, null, SOCK_NONBLOCK);
        assertTrue(reader >= 0, () -> "accept: " + Errno.describe(reader));
    }

    private void transfer(final int bytes)
    {
        final long target = written + bytes;
        while (written < target)
        {
            final int accepted = sockets.write(writer, chunk, 0, CHUNK);
            written += Math.max(accepted, 0);
            runner.invoke();
            int got;
            while ((got = sockets.read(reader, sink, 0, CHUNK)) > 0)
            {
                read += got;
            }
        }
    }

    /**
     * The client writes a request, the server reads all of it and writes it back, the client reads the response.
     */
    private void exchange(final byte[] request, final byte[] response, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            assertEquals(request.length, sockets.write(writer, request, 0, request.length), "request written");
            readFully(response, reader, request.length);
            assertEquals(response.length, sockets.write(reader, response, 0, response.length), "response written");
            readFully(request, writer, response.length);
        }
    }

    /**
     * Run the engine until {@code length} bytes have been read from {@code fd} into {@code into}.
     */
    private void readFully(final byte[] into, final int fd, final int length)
    {
        int filled = 0;
        for (int cycles = 0; filled < length; cycles++)
        {
            if (cycles == CYCLES_PER_TRANSACTION_LIMIT)
            {
                fail("no whole message after " + cycles + " duty cycles: " + filled + " of " + length + " bytes\n" +
                    stack.diagnostics());
            }
            runner.invoke();
            final int got = sockets.read(fd, into, filled, length - filled);
            filled += Math.max(got, 0);
        }
    }

    /**
     * Read what is still in flight; the last small segment may wait for a delayed ACK (Nagle), so drain by time.
     */
    private void drain()
    {
        final long deadlineNs = System.nanoTime() + 5_000_000_000L;
        while (read < written && System.nanoTime() - deadlineNs < 0)
        {
            runner.invoke();
            int got;
            while ((got = sockets.read(reader, sink, 0, CHUNK)) > 0)
            {
                read += got;
            }
        }
    }
}
