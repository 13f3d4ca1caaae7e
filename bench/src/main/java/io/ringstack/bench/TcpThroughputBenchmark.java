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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * TCP bulk throughput: one connection, a writer (the benchmark thread) writing 64 KiB per call and a reader thread
 * draining the other end, measured two ways in the same run.
 * <ul>
 *   <li>{@link #ringstack}: the engine on its own thread ({@code Ringstack.launch(context, true, null)}) with no
 *       device; the connection runs over its in-process loopback (127.0.0.1). Writes and reads go through the
 *       {@code Sockets} facade, bytes through the connection's rings.</li>
 *   <li>{@link #kernel} (the peer figure): {@code java.nio} blocking {@code SocketChannel}s over the kernel's
 *       127.0.0.1, 64 KiB direct buffers.</li>
 * </ul>
 * Each operation is one byte ({@code @OperationsPerInvocation(65536)}), so ops/s is bytes/s; Gbps = ops/s * 8 /
 * 1e9. The trial tear-down closes the writer and fails the run unless the reader got every byte written.
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
     * A connection over the loopback of an engine on its own thread, and a thread reading it.
     */
    @State(Scope.Thread)
    public static class RingstackLoopback
    {
        private final byte[] chunk = new byte[WRITE_BYTES];
        private Ringstack stack;
        private Sockets sockets;
        private int writer;
        private long written;
        private Reader reader;

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
            final int listener = check(sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_STREAM, 0),
                "socket");
            check(sockets.bind(listener, SockAddr.inet(0, PORT)), "bind");
            check(sockets.listen(listener, 1), "listen");
            writer = check(sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_STREAM, 0), "socket");
            check(sockets.connect(writer, SockAddr.inet(SocketConstants.INADDR_LOOPBACK, PORT)), "connect");
            final int accepted = check(sockets.accept(listener, null), "accept");
            sockets.close(listener);
            reader = new Reader(sockets, accepted);
            reader.start();
        }

        int writeChunk()
        {
            final int result = sockets.write(writer, chunk, 0, WRITE_BYTES);
            written += Math.max(result, 0);
            return result;
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException
        {
            sockets.close(writer);
            reader.join(TimeUnit.SECONDS.toMillis(30));
            final String diagnostics = stack.diagnostics();
            stack.close();
            if (reader.bytes != written || reader.error != 0)
            {
                throw new IllegalStateException("wrote " + written + " bytes, read " + reader.bytes + " (" +
                    Errno.describe(reader.error) + ")\n" + diagnostics);
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
     * A connection over the kernel's 127.0.0.1 with {@code java.nio}, and a thread reading it.
     */
    @State(Scope.Thread)
    public static class KernelLoopback
    {
        private final ByteBuffer chunk = ByteBuffer.allocateDirect(WRITE_BYTES);
        private SocketChannel writer;
        private Thread reader;
        private long written;
        private volatile long read;
        private volatile IOException readError;

        @Setup(Level.Trial)
        public void setUp() throws IOException
        {
            try (ServerSocketChannel server = ServerSocketChannel.open())
            {
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                writer = SocketChannel.open(server.getLocalAddress());
                final SocketChannel accepted = server.accept();
                reader = new Thread(() -> drain(accepted), "kernel-bench-reader");
                reader.setDaemon(true);
                reader.start();
            }
        }

        int writeChunk() throws IOException
        {
            chunk.clear();
            while (chunk.hasRemaining())
            {
                writer.write(chunk);
            }
            written += WRITE_BYTES;
            return WRITE_BYTES;
        }

        private void drain(final SocketChannel channel)
        {
            final ByteBuffer buffer = ByteBuffer.allocateDirect(WRITE_BYTES);
            long total = 0;
            try (channel)
            {
                int count;
                while ((count = channel.read(buffer)) >= 0)
                {
                    total += count;
                    read = total;
                    buffer.clear();
                }
            }
            catch (final IOException ex)
            {
                readError = ex;
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException, InterruptedException
        {
            writer.close();
            reader.join(TimeUnit.SECONDS.toMillis(30));
            if (readError != null)
            {
                throw new UncheckedIOException(readError);
            }
            if (read != written)
            {
                throw new IllegalStateException("wrote " + written + " bytes, read " + read);
            }
        }
    }

    private static int check(final int result, final String call)
    {
        if (result < 0)
        {
            throw new IllegalStateException(call + " failed with " + Errno.name(result));
        }
        return result;
    }
}
