package io.ringstack.bench;

import io.ringstack.Ringstack;
import io.ringstack.config.Setting;
import io.ringstack.engine.EngineContext;
import io.ringstack.errno.Errno;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.Sockets;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import static io.ringstack.bench.UdpFrames.ENGINE_ADDRESS;
import static io.ringstack.bench.UdpFrames.ENGINE_MAC;

/**
 * TCP request/response on one connection, one operation per transaction, so ops/s is transactions/s: the client (the
 * benchmark thread) writes a request of {@code size} bytes (1 or 1024) and blocks until it has read the whole
 * response of the same size; a server thread reads each whole request and writes it back. Nagle is off on both
 * sides, as a request/response protocol sets it. Measured two ways in the same run:
 * <ul>
 *   <li>{@link #ringstack}: both ends on the {@code Sockets} facade of one engine on its own thread, over its
 *       loopback (127.0.0.1);</li>
 *   <li>{@link #kernel} (the peer figure): blocking {@code java.nio} {@link SocketChannel}s with
 *       {@code TCP_NODELAY} over the kernel's 127.0.0.1.</li>
 * </ul>
 * The first byte of each request is the low byte of its sequence number, and the response must carry it back.
 * The client's receives time out after a second on ringstack, after {@link Watchdog#TIMEOUT_NS} on the kernel's;
 * the servers wait for the next request until the client closes. The trial
 * tear-down fails the run unless every request got its whole response and the server answered exactly as many.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TcpRequestResponseBenchmark extends ForkedBenchmark
{
    private static final int PORT = 5202;
    private static final long RECEIVE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long JOIN_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(10);

    /**
     * One transaction over the engine's loopback.
     */
    @Benchmark
    public int ringstack(final RingstackConnection connection)
    {
        return connection.transaction();
    }

    /**
     * One transaction over the kernel's 127.0.0.1.
     */
    @Benchmark
    public int kernel(final KernelConnection connection) throws IOException
    {
        return connection.transaction();
    }

    /**
     * A connection over the loopback of an engine on its own thread, and the server thread answering it.
     */
    @State(Scope.Thread)
    public static class RingstackConnection
    {
        @Param({ "1", "1024" })
        int size;

        private final RoundTrips roundTrips = new RoundTrips();
        private byte[] request;
        private byte[] response;
        private Ringstack stack;
        private Sockets sockets;
        private int client;
        private Thread server;
        private volatile long answered;
        private volatile int serverError;

        @Setup(Level.Trial)
        public void setUp()
        {
            request = new byte[size];
            response = new byte[size];
            stack = Ringstack.launch(new EngineContext()
                .name("tcp-request-response")
                .interfaceConfig(new InterfaceConfig(ENGINE_ADDRESS, 24, 0, ENGINE_MAC))
                .set(Setting.TCP_NAGLE, false), true, null);
            sockets = stack.sockets();
            final int listener = Checks.errno(
                sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_STREAM, 0), "socket");
            Checks.errno(sockets.bind(listener, SockAddr.inet(0, PORT)), "bind");
            Checks.errno(sockets.listen(listener, 1), "listen");
            client = Checks.errno(sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_STREAM, 0), "socket");
            Checks.errno(sockets.connect(client, SockAddr.inet(SocketConstants.INADDR_LOOPBACK, PORT)), "connect");
            Checks.errno(sockets.setReceiveTimeout(client, RECEIVE_TIMEOUT_NS), "setReceiveTimeout");
            final int accepted = Checks.errno(sockets.accept(listener, null), "accept");
            sockets.close(listener);
            Checks.errno(sockets.setReceiveTimeout(accepted, RECEIVE_TIMEOUT_NS), "setReceiveTimeout");
            server = new Thread(() -> serve(accepted), "tcp-request-response-server");
            server.setDaemon(true);
            server.start();
        }

        int transaction()
        {
            final long sequence = roundTrips.next();
            request[0] = (byte)sequence;
            final int written = sockets.write(client, request, 0, size);
            final int read = written == size ? readFully(sockets, client, response, false) : written;
            roundTrips.reply(read, size, response[0] == (byte)sequence);
            return read;
        }

        /**
         * Answer each whole request with its bytes until the client closes; a wait that times out is tried again.
         */
        private void serve(final int fd)
        {
            final byte[] buffer = new byte[size];
            while (true)
            {
                final int read = readFully(sockets, fd, buffer, true);
                if (read != size)
                {
                    serverError = read;
                    break;
                }
                final int written = sockets.write(fd, buffer, 0, size);
                if (written != size)
                {
                    serverError = written < 0 ? written : -Errno.EAGAIN;
                    break;
                }
                answered++;
            }
            sockets.close(fd);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException
        {
            try
            {
                sockets.close(client);
                server.join(JOIN_TIMEOUT_MS);
                if (0 != serverError)
                {
                    throw new IllegalStateException("the server failed: " + Errno.describe(serverError) + "\n" +
                        stack.diagnostics());
                }
                roundTrips.verify("ringstack, " + size + " bytes", answered);
            }
            finally
            {
                stack.close();
            }
        }

        /**
         * @param patient whether to wait on when a receive times out, as the server does between requests.
         * @return {@code buffer.length} once the buffer is full, 0 at the end of the stream, or the error.
         */
        private static int readFully(final Sockets sockets, final int fd, final byte[] buffer, final boolean patient)
        {
            int filled = 0;
            while (filled < buffer.length)
            {
                final int read = sockets.read(fd, buffer, filled, buffer.length - filled);
                if (read > 0)
                {
                    filled += read;
                }
                else if (read != -Errno.EAGAIN || !patient)
                {
                    return read;
                }
            }
            return filled;
        }
    }

    /**
     * A connection over the kernel's 127.0.0.1, and the server thread answering it.
     */
    @State(Scope.Thread)
    public static class KernelConnection
    {
        @Param({ "1", "1024" })
        int size;

        private final RoundTrips roundTrips = new RoundTrips();
        private ByteBuffer request;
        private ByteBuffer response;
        private SocketChannel client;
        private SocketChannel accepted;
        private Watchdog watchdog;
        private Thread server;
        private volatile long answered;
        private volatile IOException serverError;

        @Setup(Level.Trial)
        public void setUp() throws IOException
        {
            request = ByteBuffer.allocateDirect(size);
            response = ByteBuffer.allocateDirect(size);
            try (ServerSocketChannel listener = ServerSocketChannel.open())
            {
                listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                client = SocketChannel.open(listener.getLocalAddress());
                accepted = listener.accept();
            }
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            accepted.setOption(StandardSocketOptions.TCP_NODELAY, true);
            watchdog = new Watchdog("kernel-tcp-watchdog", client, accepted);
            server = new Thread(this::serve, "kernel-request-response-server");
            server.setDaemon(true);
            server.start();
        }

        int transaction() throws IOException
        {
            final long sequence = roundTrips.next();
            request.clear();
            request.put(0, (byte)sequence);
            response.clear();
            watchdog.enter();
            try
            {
                while (request.hasRemaining())
                {
                    client.write(request);
                }
                while (response.hasRemaining() && client.read(response) >= 0)
                {
                    // until the whole response is in
                }
            }
            catch (final IOException ex)
            {
                throw watchdog.explain(ex);
            }
            finally
            {
                watchdog.exit();
            }
            roundTrips.reply(response.position(), size, response.get(0) == (byte)sequence);
            return response.position();
        }

        private void serve()
        {
            final ByteBuffer buffer = ByteBuffer.allocateDirect(size);
            try (SocketChannel channel = accepted)
            {
                while (true)
                {
                    buffer.clear();
                    while (buffer.hasRemaining())
                    {
                        if (channel.read(buffer) < 0)
                        {
                            return;
                        }
                    }
                    buffer.flip();
                    while (buffer.hasRemaining())
                    {
                        channel.write(buffer);
                    }
                    answered++;
                }
            }
            catch (final IOException ex)
            {
                serverError = ex;
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException, InterruptedException
        {
            client.close();
            server.join(JOIN_TIMEOUT_MS);
            watchdog.close();
            if (null != serverError)
            {
                throw watchdog.explain(serverError);
            }
            roundTrips.verify("kernel, " + size + " bytes", answered);
        }
    }
}
