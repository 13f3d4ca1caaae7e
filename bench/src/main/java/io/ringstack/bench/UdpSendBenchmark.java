package io.ringstack.bench;

import io.ringstack.Ringstack;
import io.ringstack.config.Setting;
import io.ringstack.engine.EngineContext;
import io.ringstack.engine.EngineRunner;
import io.ringstack.iface.DropReason;
import io.ringstack.iface.EngineCounters;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.PipeDevice;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.Sockets;
import io.ringstack.wire.EthernetFrame;
import java.util.concurrent.TimeUnit;
import org.agrona.DirectBuffer;
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
import static io.ringstack.bench.UdpFrames.PEER_ADDRESS;
import static io.ringstack.bench.UdpFrames.PEER_MAC;

/**
 * The application's UDP send path, one operation per datagram, so ops/s is datagrams/s: {@code sendto} from the
 * {@code Sockets} facade through the engine's command ring, UDP and IPv4 output, onto
 * <ul>
 *   <li>the loopback ring ({@link #loopback}, {@link #loopbackBatch}): to 127.0.0.1, where a socket of the same
 *       engine is bound; the benchmark drains it with {@code recvfrom(MSG_DONTWAIT)}, so the figure includes the
 *       delivery back up;</li>
 *   <li>a device ({@link #device}, {@link #deviceBatch}): to the peer 10.0.2.2 on a {@link PipeDevice}, whose other
 *       end of the cable the benchmark drains, counting each frame and checking its length.</li>
 * </ul>
 * The engine runs embedded on the benchmark thread, so each {@code sendto} runs the duty cycle that carries out its
 * command (the whole cost of a send on one core). {@code ...Batch} sends {@value #BATCH} datagrams before each
 * drain, the others one. {@code frameLength} is the length of the frame on the wire (64, 512, 1514: a full MTU),
 * the payload being 42 bytes less. The engine learns the peer's MAC address in the set-up from an ARP request the
 * peer sends, so no send waits for ARP. The trial tear-down fails the run unless every datagram arrived, whole,
 * and nothing was dropped.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class UdpSendBenchmark extends ForkedBenchmark
{
    /** Datagrams per drain in the batch benchmarks. */
    public static final int BATCH = 32;

    private static final int SINK_PORT = 9;
    private static final int SOURCE_PORT = 7002;
    private static final int CABLE_CAPACITY = 1 << 20;

    @Param({ "64", "512", "1514" })
    int frameLength;

    private final FrameCounter peer = new FrameCounter();
    private final SockAddr loopbackSink = SockAddr.inet(SocketConstants.INADDR_LOOPBACK, SINK_PORT);
    private final SockAddr deviceSink = SockAddr.inet(PEER_ADDRESS, SINK_PORT);
    private byte[] payload;
    private byte[] received;
    private Ringstack stack;
    private EngineRunner runner;
    private Sockets sockets;
    private PipeDevice peerEnd;
    private int sender;
    private int sink;
    private long sentToLoopback;
    private long sentToDevice;
    private long delivered;
    private long failures;
    private int lastFailure;

    /**
     * Counts the frames on the peer's end of the cable, and those of another length than sent.
     */
    static final class FrameCounter implements FrameHandler
    {
        long frames;
        long otherLength;
        int expectedLength;

        public void onFrame(final DirectBuffer buffer, final int offset, final int length)
        {
            frames++;
            if (length != expectedLength)
            {
                otherLength++;
            }
        }
    }

    @Setup(Level.Trial)
    public void setUp()
    {
        payload = new byte[frameLength - WireFrames.TRANSPORT_OFFSET - 8];
        received = new byte[payload.length + 1];
        final PipeDevice[] ends = PipeDevice.pair("engine", ENGINE_MAC, "peer", PEER_MAC, CABLE_CAPACITY);
        peerEnd = ends[1];
        stack = Ringstack.launch(new EngineContext()
            .name("udp-send")
            .device(ends[0])
            .set(Setting.ARP_ENTRY_LIFETIME_NS, TimeUnit.HOURS.toNanos(1))
            .interfaceConfig(new InterfaceConfig(ENGINE_ADDRESS, 24, 0, ENGINE_MAC)), false, null);
        runner = stack.runner();
        sockets = stack.sockets();
        sender = Checks.errno(sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0), "socket");
        Checks.errno(sockets.bind(sender, SockAddr.inet(SocketConstants.INADDR_ANY, SOURCE_PORT)), "bind");
        sink = Checks.errno(sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0), "socket");
        Checks.errno(sockets.bind(sink, SockAddr.inet(SocketConstants.INADDR_ANY, SINK_PORT)), "bind");

        final UnsafeBuffer request = WireFrames.arpRequest();
        peerEnd.transmit(request, 0, request.capacity());
        runner.invoke();
        peerEnd.receive(peer, 1);
        if (1 != peer.frames)
        {
            throw new IllegalStateException("the engine did not answer the peer's ARP request\n" + stack.diagnostics());
        }
        peer.frames = 0;
        peer.otherLength = 0;
        peer.expectedLength = frameLength;
    }

    @Benchmark
    public long loopback()
    {
        return toLoopback(1);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long loopbackBatch()
    {
        return toLoopback(BATCH);
    }

    @Benchmark
    public long device()
    {
        return toDevice(1);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long deviceBatch()
    {
        return toDevice(BATCH);
    }

    private long toLoopback(final int count)
    {
        sentToLoopback += send(count, loopbackSink);
        runner.invoke();
        drainSink();
        return delivered;
    }

    private long toDevice(final int count)
    {
        sentToDevice += send(count, deviceSink);
        while (peerEnd.receive(peer, BATCH) > 0)
        {
            // a cable read stops at the end of its ring: read on until it is empty
        }
        return peer.frames;
    }

    /**
     * @return the datagrams sent; a failed call is counted, and fails the run.
     */
    private int send(final int count, final SockAddr destination)
    {
        int sent = 0;
        for (int i = 0; i < count; i++)
        {
            final int result = sockets.sendto(sender, payload, 0, payload.length, 0, destination);
            if (result == payload.length)
            {
                sent++;
            }
            else
            {
                failures++;
                lastFailure = result;
            }
        }
        return sent;
    }

    /**
     * Read the sink until it is empty: until two {@code -EAGAIN} in a row, as the ring's tail padding can give one
     * early (see {@code UdpReceiveBenchmark}).
     */
    private void drainSink()
    {
        for (int misses = 0; misses < 2; )
        {
            final int length = sockets.recvfrom(sink, received, 0, received.length, SocketConstants.MSG_DONTWAIT, null);
            if (length >= 0)
            {
                delivered++;
                misses = 0;
                if (length != payload.length)
                {
                    failures++;
                    lastFailure = length;
                }
            }
            else
            {
                misses++;
            }
        }
    }

    /**
     * Fail the run unless every datagram sent arrived whole where it was sent, and the engine dropped nothing.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        try
        {
            runner.invoke();
            drainSink();
            while (peerEnd.receive(peer, BATCH) > 0)
            {
                // drained
            }
            final EngineCounters counters = stack.engine().counters();
            if (0 != failures || 0 != peer.otherLength || delivered != sentToLoopback || peer.frames != sentToDevice ||
                0 != counters.totalDrops(DropReason.Direction.TX) || 0 != counters.totalDrops(DropReason.Direction.RX))
            {
                throw new IllegalStateException("sent " + sentToLoopback + " to the loopback, " + delivered +
                    " delivered; sent " + sentToDevice + " to the device, " + peer.frames + " on the wire (" +
                    peer.otherLength + " of another length than " + frameLength + "); " + failures +
                    " failed calls, the last " + lastFailure + "\n" + stack.diagnostics());
            }
        }
        finally
        {
            stack.close();
        }
    }
}
