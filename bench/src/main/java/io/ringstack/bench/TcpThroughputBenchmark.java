package io.ringstack.bench;

import io.ringstack.Ringstack;
import io.ringstack.config.Setting;
import io.ringstack.engine.EngineContext;
import io.ringstack.errno.Errno;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.Sockets;
import io.ringstack.wire.Ipv4Text;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
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

/**
 * TCP bulk throughput: one or eight connections ({@code connections}), a writer (the benchmark thread) writing 64 KiB
 * per call to each connection in turn and a reader thread per connection draining its other end, measured two ways
 * in the same run.
 * <ul>
 *   <li>{@link #ringstack}: the engine on its own thread ({@code Ringstack.launch(context, true, null)}) with no
 *       device; the connection runs over its in-process loopback (127.0.0.1). Writes and reads go through the
 *       {@code Sockets} facade, bytes through the connection's rings.</li>
 *   <li>{@link #kernel} (the peer figure): {@code java.nio} blocking {@code SocketChannel}s over the kernel's
 *       127.0.0.1, 64 KiB direct buffers.</li>
 * </ul>
 * Each operation is one byte ({@code @OperationsPerInvocation(65536)}), so ops/s is bytes/s; Gbps = ops/s * 8 /
 * 1e9. The trial tear-down closes the writers and fails the run unless each reader got every byte written to its
 * connection.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TcpThroughputBenchmark extends ForkedBenchmark
{
    /** Bytes per write, and per benchmark invocation. */
    public static final int WRITE_BYTES = 64 * 1024;

    private static final int PORT = 5201;
    private static final long JOIN_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(30);

    /**
     * Write 64 KiB into the ringstack connection, blocking until all of it is in the send ring.
     */
    @Benchmark
    @OperationsPerInvocation(WRITE_BYTES)
    public int ringstack(final RingstackLoopback loopback)
    {
        return loopback.writeChunk();
    }

    /**
     * Write 64 KiB into the kernel's loopback connection, blocking until the kernel took all of it.
     */
    @Benchmark
    @OperationsPerInvocation(WRITE_BYTES)
    public int kernel(final KernelLoopback loopback) throws IOException
    {
        return loopback.writeChunk();
    }

    /**
     * Connections over the loopback of an engine on its own thread, and a thread reading each.
     */
    @State(Scope.Thread)
    public static class RingstackLoopback
    {
        @Param({ "1", "8" })
        int connections;

        private final byte[] chunk = new byte[WRITE_BYTES];
        private Ringstack stack;
        private Sockets sockets;
        private int[] writers;
        private long[] written;
        private Reader[] readers;
        private int next;

        @Setup(Level.Trial)
        public void setUp()
        {
            stack = Ringstack.launch(new EngineContext()
                .name("tcp-bench")
                .interfaceConfig(new InterfaceConfig(Ipv4Text.parse("10.0.2.15"), 24, 0, 0x0200_0000_0001L))
                .set(Setting.LOOPBACK_RING_CAPACITY, 8 << 20)
                .set(Setting.FRAME_BUDGET, 256)
                .set(Setting.TCP_SEND_BUFFER_CAPACITY, 4 << 20)
                .set(Setting.TCP_RECEIVE_BUFFER_CAPACITY, 4 << 20), true, null);
            sockets = stack.sockets();
            final int listener = Checks.errno(
                sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_STREAM, 0), "socket");
            Checks.errno(sockets.bind(listener, SockAddr.inet(0, PORT)), "bind");
            Checks.errno(sockets.listen(listener, connections), "listen");
            writers = new int[connections];
            written = new long[connections];
            readers = new Reader[connections];
            for (int i = 0; i < connections; i++)
            {
                writers[i] = Checks.errno(
                    sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_STREAM, 0), "socket");
                Checks.errno(sockets.connect(writers[i], SockAddr.inet(SocketConstants.INADDR_LOOPBACK, PORT)),
                    "connect");
                readers[i] = new Reader(sockets, Checks.errno(sockets.accept(listener, null), "accept"));
                readers[i].start();
            }
            sockets.close(listener);
        }

        int writeChunk()
        {
            final int connection = next;
            next = connection + 1 == connections ? 0 : connection + 1;
            final int result = sockets.write(writers[connection], chunk, 0, WRITE_BYTES);
            written[connection] += Math.max(result, 0);
            return result;
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException
        {
            final StringBuilder problems = new StringBuilder();
            for (int i = 0; i < connections; i++)
            {
                sockets.close(writers[i]);
                readers[i].join(JOIN_TIMEOUT_MS);
                if (readers[i].bytes != written[i] || readers[i].error != 0)
                {
                    problems.append("connection ").append(i).append(": wrote ").append(written[i])
                        .append(" bytes, read ").append(readers[i].bytes).append(" (")
                        .append(Errno.describe(readers[i].error)).append(")\n");
                }
            }
            final String diagnostics = stack.diagnostics();
            stack.close();
            if (problems.length() > 0)
            {
                throw new IllegalStateException(problems + diagnostics);
            }
        }
    }

    /**
     * Drains a ringstack connection until end of stream.
     */
    static final class Reader extends Thread
    {
        private final Sockets sockets;
        private final int fd;
        private final byte[] buffer = new byte[WRITE_BYTES];
        volatile long bytes;
        volatile int error;

        Reader(final Sockets sockets, final int fd)
        {
            super("tcp-bench-reader");
            setDaemon(true);
            this.sockets = sockets;
            this.fd = fd;
        }

        public void run()
        {
            long total = 0;
            while (true)
            {
                final int read = sockets.read(fd, buffer, 0, buffer.length);
                if (read > 0)
                {
                    total += read;
                    bytes = total;
                }
                else if (read == 0)
                {
                    break;
                }
                else if (read != -Errno.EAGAIN)
                {
                    error = read;
                    break;
                }
            }
            sockets.close(fd);
        }
    }

    /**
     * Connections over the kernel's 127.0.0.1 with {@code java.nio}, and a thread reading each.
     */
    @State(Scope.Thread)
    public static class KernelLoopback
    {
        @Param({ "1", "8" })
        int connections;

        private final ByteBuffer chunk = ByteBuffer.allocateDirect(WRITE_BYTES);
        private SocketChannel[] writers;
        private long[] written;
        private Thread[] readers;
        private long[] read;
        private volatile IOException readError;
        private int next;

        @Setup(Level.Trial)
        public void setUp() throws IOException
        {
            writers = new SocketChannel[connections];
            written = new long[connections];
            readers = new Thread[connections];
            read = new long[connections];
            try (ServerSocketChannel server = ServerSocketChannel.open())
            {
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), connections);
                for (int i = 0; i < connections; i++)
                {
                    writers[i] = SocketChannel.open(server.getLocalAddress());
                    final SocketChannel accepted = server.accept();
                    final int connection = i;
                    readers[i] = new Thread(() -> drain(accepted, connection), "kernel-bench-reader-" + i);
                    readers[i].setDaemon(true);
                    readers[i].start();
                }
            }
        }

        int writeChunk() throws IOException
        {
            final int connection = next;
            next = connection + 1 == connections ? 0 : connection + 1;
            chunk.clear();
            while (chunk.hasRemaining())
            {
                writers[connection].write(chunk);
            }
            written[connection] += WRITE_BYTES;
            return WRITE_BYTES;
        }

        /**
         * Read a connection to its end; its total is published by the thread's end, which {@link #tearDown} joins.
         */
        private void drain(final SocketChannel channel, final int connection)
        {
            final ByteBuffer buffer = ByteBuffer.allocateDirect(WRITE_BYTES);
            long total = 0;
            try (channel)
            {
                int count;
                while ((count = channel.read(buffer)) >= 0)
                {
                    total += count;
                    buffer.clear();
                }
            }
            catch (final IOException ex)
            {
                readError = ex;
            }
            read[connection] = total;
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException, InterruptedException
        {
            for (int i = 0; i < connections; i++)
            {
                writers[i].close();
                readers[i].join(JOIN_TIMEOUT_MS);
            }
            if (readError != null)
            {
                throw new UncheckedIOException(readError);
            }
            for (int i = 0; i < connections; i++)
            {
                if (readers[i].isAlive() || read[i] != written[i])
                {
                    throw new IllegalStateException("connection " + i + ": wrote " + written[i] + " bytes, read " +
                        read[i]);
                }
            }
        }
    }
}
