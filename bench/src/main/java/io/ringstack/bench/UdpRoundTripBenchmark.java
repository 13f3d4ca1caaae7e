package io.ringstack.bench;

import io.ringstack.Ringstack;
import io.ringstack.config.Setting;
import io.ringstack.engine.EngineContext;
import io.ringstack.iface.DropReason;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.Sockets;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
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
 * UDP round trips between two application threads, one operation per round trip, so ops/s is round trips/s: the
 * client (the benchmark thread) sends a datagram and blocks until its echo comes back; a server thread receives it
 * and sends it back. Measured two ways in the same run, at 64, 512 and 1472 bytes of payload (1472: a full
 * 1500-byte MTU):
 * <ul>
 *   <li>{@link #ringstack}: both threads use the {@code Sockets} facade of one engine running on its own thread
 *       with no device: {@code sendto} to 127.0.0.1 goes through the engine's loopback ring, a blocking
 *       {@code recvfrom} waits for the echo, and the server ({@link RingstackUdpEcho}) does the same the other
 *       way.</li>
 *   <li>{@link #kernel} (the peer figure): two blocking {@code java.nio} {@link DatagramChannel}s over the kernel's
 *       127.0.0.1, connected to each other ({@link KernelUdpEcho}).</li>
 * </ul>
 * Every wait has a deadline: ringstack's receives time out after a second, the kernel's reads after
 * {@link Watchdog#TIMEOUT_NS}. The trial tear-down fails the run unless every request came back whole with its own
 * sequence number, the server echoed exactly as many, and the engine dropped no frame.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class UdpRoundTripBenchmark extends ForkedBenchmark
{
    /** The payload of a datagram that fills a 1500-byte MTU: 1500 - 20 - 8. */
    public static final int FULL_PAYLOAD = 1472;
    /** The busy polling measured beside the default of none: 50 µs, the value Linux suggests for SO_BUSY_POLL. */
    public static final long BUSY_POLL_NS = 50_000;

    private static final int ECHO_PORT = 7000;
    private static final int CLIENT_PORT = 7001;
    private static final long RECEIVE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(1);

    /**
     * One round trip through the engine's loopback ring.
     */
    @Benchmark
    public int ringstack(final RingstackLoopback loopback)
    {
        return loopback.roundTrip();
    }

    /**
     * One round trip through the kernel's 127.0.0.1.
     */
    @Benchmark
    public int kernel(final KernelLoopback loopback) throws IOException
    {
        return loopback.roundTrip();
    }

    /**
     * An engine on its own thread, its echo server, and the client's socket.
     */
    @State(Scope.Thread)
    public static class RingstackLoopback
    {
        @Param({ "64", "512", "" + FULL_PAYLOAD })
        int payloadLength;

        /** {@link Setting#BUSY_POLL_NS} of the engine: 0, its default, or {@link #BUSY_POLL_NS}. */
        @Param({ "0", "" + BUSY_POLL_NS })
        long busyPollNs;

        private final RoundTrips roundTrips = new RoundTrips();
        private final SockAddr echo = SockAddr.inet(SocketConstants.INADDR_LOOPBACK, ECHO_PORT);
        private byte[] request;
        private byte[] reply;
        private UnsafeBuffer requestView;
        private UnsafeBuffer replyView;
        private Ringstack stack;
        private Sockets sockets;
        private RingstackUdpEcho server;
        private int fd;

        @Setup(Level.Trial)
        public void setUp()
        {
            request = new byte[payloadLength];
            reply = new byte[payloadLength + 1];
            requestView = new UnsafeBuffer(request);
            replyView = new UnsafeBuffer(reply);
            stack = Ringstack.launch(new EngineContext()
                .name("udp-round-trip")
                .set(Setting.BUSY_POLL_NS, busyPollNs)
                .interfaceConfig(new InterfaceConfig(ENGINE_ADDRESS, 24, 0, ENGINE_MAC)), true, null);
            sockets = stack.sockets();
            server = new RingstackUdpEcho(sockets, ECHO_PORT, reply.length);
            fd = Checks.errno(sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0), "socket");
            Checks.errno(sockets.bind(fd, SockAddr.inet(SocketConstants.INADDR_ANY, CLIENT_PORT)), "bind");
            Checks.errno(sockets.setReceiveTimeout(fd, RECEIVE_TIMEOUT_NS), "setReceiveTimeout");
        }

        int roundTrip()
        {
            final long sequence = roundTrips.next();
            requestView.putLong(0, sequence);
            final int sent = sockets.sendto(fd, request, 0, payloadLength, 0, echo);
            final int received = sent < 0 ? sent : sockets.recvfrom(fd, reply, 0, reply.length, 0, null);
            roundTrips.reply(received, payloadLength, replyView.getLong(0));
            return received;
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            try
            {
                server.close();
                roundTrips.verify("ringstack, " + payloadLength + " bytes", server.echoed());
                if (0 != stack.engine().counters().totalDrops(DropReason.Direction.RX))
                {
                    throw new IllegalStateException("the engine dropped frames:\n" + stack.diagnostics());
                }
            }
            finally
            {
                stack.close();
            }
        }
    }

    /**
     * Two connected datagram channels over the kernel's 127.0.0.1 and the echo thread of one.
     */
    @State(Scope.Thread)
    public static class KernelLoopback
    {
        @Param({ "64", "512", "" + FULL_PAYLOAD })
        int payloadLength;

        private final RoundTrips roundTrips = new RoundTrips();
        private ByteBuffer request;
        private ByteBuffer reply;
        private KernelUdpEcho echo;
        private DatagramChannel client;
        private Watchdog watchdog;

        @Setup(Level.Trial)
        public void setUp() throws IOException
        {
            request = ByteBuffer.allocateDirect(payloadLength);
            reply = ByteBuffer.allocateDirect(payloadLength + 1);
            echo = new KernelUdpEcho(reply.capacity());
            client = echo.client();
            watchdog = new Watchdog("kernel-udp-watchdog", client);
        }

        int roundTrip() throws IOException
        {
            final long sequence = roundTrips.next();
            request.clear();
            request.putLong(0, sequence);
            reply.clear();
            watchdog.enter();
            try
            {
                client.write(request);
                client.read(reply);
            }
            catch (final IOException ex)
            {
                throw watchdog.explain(ex);
            }
            finally
            {
                watchdog.exit();
            }
            roundTrips.reply(reply.position(), payloadLength, reply.getLong(0));
            return reply.position();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException
        {
            watchdog.close();
            echo.close();
            roundTrips.verify("kernel, " + payloadLength + " bytes", echo.echoed());
        }
    }
}
