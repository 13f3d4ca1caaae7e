package io.ringstack.bench;

import io.ringstack.Ringstack;
import io.ringstack.engine.Engine;
import io.ringstack.engine.EngineContext;
import io.ringstack.iface.DropReason;
import io.ringstack.iface.EngineCounters;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.Sockets;
import java.util.concurrent.TimeUnit;
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
 * The application's receive calls on a 64-byte UDP datagram, one operation per datagram, so ops/s is datagrams/s:
 * the engine dispatches {@value #FRAMES} frames into the socket's ring ({@link Engine#injectFrame}), then the
 * application drains the socket, measured two ways in the same run:
 * <ul>
 *   <li>{@link #recvmmsg}: {@code Sockets.recvmmsg(MSG_DONTWAIT)} with {@code batch} = 1 or 32 datagrams per call,
 *       until {@code -EAGAIN};</li>
 *   <li>{@link #recvfromEach}: one {@code recvfrom(MSG_DONTWAIT)} per datagram, the same path as
 *       {@code UdpReceiveBenchmark.receiveViaRecvfrom}.</li>
 * </ul>
 * The engine runs embedded on the benchmark thread with no device. The trial tear-down fails the run unless every
 * frame was delivered and read back.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class UdpBatchReceiveBenchmark extends ForkedBenchmark
{
    /** Frames dispatched per invocation. */
    public static final int FRAMES = 64;

    private static final int SOCKET_PORT = 7777;

    private Ringstack stack;
    private Engine engine;
    private Sockets sockets;
    private int fd;
    private UnsafeBuffer frame;
    private final byte[] payload = new byte[2048];
    private long framesConsumed;

    /**
     * The buffers of one {@code recvmmsg}.
     */
    @State(Scope.Thread)
    public static class Batch
    {
        @Param({ "1", "32" })
        int batch;

        byte[][] buffers;
        int[] lengths;
        SockAddr[] sources;

        @Setup(Level.Trial)
        public void setUp()
        {
            buffers = new byte[batch][2048];
            lengths = new int[batch];
            sources = new SockAddr[batch];
            for (int i = 0; i < batch; i++)
            {
                sources[i] = SockAddr.inet(0, 0);
            }
        }
    }

    @Setup(Level.Trial)
    public void setUp()
    {
        stack = Ringstack.launch(new EngineContext()
            .name("bench-batch")
            .interfaceConfig(new InterfaceConfig(ENGINE_ADDRESS, 24, PEER_ADDRESS, ENGINE_MAC)), false, null);
        engine = stack.engine();
        sockets = stack.sockets();
        fd = Checks.errno(sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0), "socket");
        Checks.errno(sockets.bind(fd, SockAddr.inet(SocketConstants.INADDR_ANY, SOCKET_PORT)), "bind");
        frame = UdpFrames.toEngine(SOCKET_PORT);
    }

    /**
     * Fail the run unless every frame was delivered and read back.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        framesConsumed += drain();
        final EngineCounters counters = engine.counters();
        final long frames = counters.rxFrames.get();
        final String diagnostics = stack.diagnostics();
        stack.close();
        if (counters.rxDelivered.get() != frames || counters.totalDrops(DropReason.Direction.RX) != 0 ||
            framesConsumed != frames)
        {
            throw new IllegalStateException("delivered " + counters.rxDelivered.get() + " of " + frames +
                " frames, read back " + framesConsumed + "\n" + diagnostics);
        }
    }

    /**
     * Dispatch the frames, then drain the socket with {@code recvmmsg} of {@code batch} datagrams.
     */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public int recvmmsg(final Batch batch)
    {
        inject();
        int datagrams = 0;
        int result;
        while ((result = sockets.recvmmsg(
            fd, batch.buffers, batch.lengths, batch.sources, batch.batch, SocketConstants.MSG_DONTWAIT)) > 0)
        {
            datagrams += result;
        }
        framesConsumed += datagrams;
        return datagrams;
    }

    /**
     * Dispatch the frames, then drain the socket with one {@code recvfrom} per datagram.
     */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public int recvfromEach()
    {
        inject();
        final int datagrams = drain();
        framesConsumed += datagrams;
        return datagrams;
    }

    /**
     * Drain the socket with {@code recvfrom}, counting what it reads.
     */
    private int drain()
    {
        int datagrams = 0;
        while (sockets.recvfrom(fd, payload, 0, payload.length, SocketConstants.MSG_DONTWAIT, null) >= 0)
        {
            datagrams++;
        }
        return datagrams;
    }

    private void inject()
    {
        final Engine engine = this.engine;
        final UnsafeBuffer frame = this.frame;
        for (int i = 0; i < FRAMES; i++)
        {
            engine.injectFrame(frame, 0, FRAME_LENGTH);
        }
    }
}
