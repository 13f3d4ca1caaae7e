package io.ringstack.bench;

import io.ringstack.Ringstack;
import io.ringstack.config.Setting;
import io.ringstack.engine.Command;
import io.ringstack.engine.Engine;
import io.ringstack.engine.EngineClient;
import io.ringstack.engine.EngineContext;
import io.ringstack.iface.DropReason;
import io.ringstack.iface.EngineCounters;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.Sockets;
import io.ringstack.udp.UdpEndpoint;
import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.UdpDatagram;
import java.util.concurrent.TimeUnit;
import org.agrona.BufferUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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

import static io.ringstack.bench.UdpFrames.ENGINE_ADDRESS;
import static io.ringstack.bench.UdpFrames.ENGINE_MAC;
import static io.ringstack.bench.UdpFrames.FRAME_LENGTH;
import static io.ringstack.bench.UdpFrames.PEER_ADDRESS;

/**
 * The receive path of a 64-byte UDP datagram, one operation per frame, and two peers measured in the same run:
 * <ul>
 *   <li>{@link #receiveViaRecvfrom}: the engine parses Ethernet/IPv4/UDP, verifies both checksums, counts, and
 *       copies the datagram into the socket's off-heap ring ({@link Engine#injectFrame}, 64 frames, then the
 *       counters published as at the end of a duty cycle); then the application drains the socket with
 *       {@code recvfrom(MSG_DONTWAIT)} into a preallocated array, one call per datagram. The whole path an
 *       application sees.</li>
 *   <li>{@link #receiveViaRing}: the same dispatch, drained by reading the socket's ring directly with one
 *       {@code read} per batch, as an engine-thread consumer or an Aeron-style subscriber would.</li>
 *   <li>{@link #ringOnly} (peer): an Agrona {@link OneToOneRingBuffer} write of a 64-byte message and its read,
 *       64 per batch: the cost of the ring alone.</li>
 *   <li>{@link #parseOnly} (peer): the engine's own flyweights parse the frame and verify both checksums, with
 *       the dispatcher's address checks but no counters and no delivery.</li>
 *   <li>{@link #parseMinimal} (peer): the same checks written by hand with no flyweights
 *       ({@link MinimalUdpParse}): what the parse would cost if the engine's layering cost nothing.</li>
 * </ul>
 * Every benchmark handles {@link #BATCH} frames per invocation, so ops/s is frames/s. The engine runs embedded on
 * the benchmark thread with no device; the same frame buffer is injected each time (cache-hot, as a NIC ring
 * slot would be for a 64-byte frame). {@link WithoutBoundsChecks} runs the same four with Agrona's bounds checks
 * off. The trial tear-down fails the run if any frame was dropped or not read back.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class UdpReceiveBenchmark extends ForkedBenchmark
{
    /** Frames per benchmark invocation. */
    public static final int BATCH = 64;
    /**
     * The JVM flag of {@link WithoutBoundsChecks}, not in the pom: it turns off Agrona's buffer bounds checks. A fair
     * benchmark setting only because ringstack's flyweights check lengths themselves; correctness never depends on
     * Agrona's checks.
     */
    public static final String DISABLE_BOUNDS_CHECKS = "-Dagrona.disable.bounds.checks=true";

    private static final int SOCKET_PORT = 7777;
    private static final int RING_PORT = 7778;
    private static final int PEER_RING_CAPACITY = 64 * 1024;
    private static final int MESSAGE_TYPE = 1;

    private Ringstack stack;
    private Engine engine;
    private Sockets sockets;
    private int fd;
    private OneToOneRingBuffer receiveRing;
    private OneToOneRingBuffer peerRing;
    private UnsafeBuffer socketFrame;
    private UnsafeBuffer ringFrame;
    private final byte[] payload = new byte[2048];

    private final EthernetFrame ethernet = new EthernetFrame();
    private final Ipv4Packet ipv4 = new Ipv4Packet();
    private final UdpDatagram udp = new UdpDatagram();

    private long framesConsumed;
    private long peerMessagesWritten;
    private long peerMessagesRead;
    private long peerSink;
    private long parseFailures;

    private final MessageHandler copyDatagram = this::onDatagram;
    private final MessageHandler touchMessage = this::onPeerMessage;

    /**
     * Launch an embedded engine on this thread and open two sockets: one through the {@code Sockets} facade,
     * one through {@link EngineClient} (the layer the facade is built on) to get at its {@link UdpEndpoint}'s ring.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        final EngineContext context = new EngineContext()
            .name("bench")
            .interfaceConfig(new InterfaceConfig(ENGINE_ADDRESS, 24, PEER_ADDRESS, ENGINE_MAC));
        stack = Ringstack.launch(context, false, null);
        engine = stack.engine();

        sockets = stack.sockets();
        fd = check(sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0), "socket");
        check(sockets.bind(fd, SockAddr.inet(SocketConstants.INADDR_ANY, SOCKET_PORT)), "bind");

        final EngineClient client = stack.client();
        final int slot = check(client.allocateSlot(), "allocateSlot");
        final UdpEndpoint endpoint = new UdpEndpoint(context.settings().intValue(Setting.UDP_RECEIVE_RING_CAPACITY));
        check((int)client.openUdp(slot, endpoint, context.settings().longValue(Setting.CALL_TIMEOUT_NS)), "openUdp");
        check((int)client.call(Command.UDP_BIND, slot, SocketConstants.INADDR_ANY, RING_PORT, null, 0, 0,
            context.settings().longValue(Setting.CALL_TIMEOUT_NS)), "UDP_BIND");
        receiveRing = endpoint.receiveRing();

        peerRing = new OneToOneRingBuffer(new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(PEER_RING_CAPACITY + RingBufferDescriptor.TRAILER_LENGTH, 64)));
        socketFrame = UdpFrames.toEngine(SOCKET_PORT);
        ringFrame = UdpFrames.toEngine(RING_PORT);
    }

    /**
     * Fail the run unless every frame was delivered and read back and every peer operation succeeded, so that a
     * figure can never come from a path that silently dropped.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        drainLeftovers();
        final EngineCounters counters = engine.counters();
        final long frames = counters.rxFrames.get();
        final String problem;
        if (counters.rxDelivered.get() != frames || counters.totalDrops(DropReason.Direction.RX) != 0)
        {
            problem = "frames dropped";
        }
        else if (framesConsumed != frames)
        {
            problem = "delivered " + frames + " frames but read back " + framesConsumed;
        }
        else if (peerMessagesWritten != peerMessagesRead)
        {
            problem = "peer ring wrote " + peerMessagesWritten + " messages but read " + peerMessagesRead;
        }
        else if (parseFailures != 0)
        {
            problem = parseFailures + " frames failed the parse-only checks";
        }
        else
        {
            problem = null;
        }
        final String diagnostics = stack.diagnostics();
        stack.close();
        if (problem != null)
        {
            throw new IllegalStateException(problem + "\n" + diagnostics);
        }
    }

    /**
     * Dispatch 64 frames into the socket's ring, then drain it through {@code recvfrom(MSG_DONTWAIT)} until
     * {@code -EAGAIN}. When the batch wraps the ring, the first {@code -EAGAIN} comes early (see
     * {@link #drainLeftovers}) and the rest of the batch is read by the next invocation.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int receiveViaRecvfrom()
    {
        final Engine engine = this.engine;
        final UnsafeBuffer frame = socketFrame;
        for (int i = 0; i < BATCH; i++)
        {
            engine.injectFrame(frame, 0, FRAME_LENGTH);
        }
        engine.counters().publish();
        int bytes = 0;
        int result;
        while ((result = sockets.recvfrom(fd, payload, 0, payload.length, SocketConstants.MSG_DONTWAIT, null)) >= 0)
        {
            bytes += result;
            framesConsumed++;
        }
        return bytes;
    }

    /**
     * Dispatch 64 frames into a socket's ring, then drain the ring with one read, copying each payload out.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int receiveViaRing()
    {
        final Engine engine = this.engine;
        final UnsafeBuffer frame = ringFrame;
        for (int i = 0; i < BATCH; i++)
        {
            engine.injectFrame(frame, 0, FRAME_LENGTH);
        }
        engine.counters().publish();
        return receiveRing.read(copyDatagram);
    }

    /**
     * Peer: write 64 messages of 64 bytes into a one-to-one ring, then read them with one read.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int ringOnly()
    {
        final OneToOneRingBuffer ring = peerRing;
        final UnsafeBuffer frame = socketFrame;
        for (int i = 0; i < BATCH; i++)
        {
            if (ring.write(MESSAGE_TYPE, frame, 0, FRAME_LENGTH))
            {
                peerMessagesWritten++;
            }
        }
        return ring.read(touchMessage);
    }

    /**
     * Peer: parse and verify 64 frames with the engine's flyweights, deliver nothing.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int parseOnly()
    {
        final UnsafeBuffer frame = socketFrame;
        int ports = 0;
        for (int i = 0; i < BATCH; i++)
        {
            ports += parse(frame, FRAME_LENGTH);
        }
        return ports;
    }

    /**
     * Peer: the same checks on 64 frames by the hand-written {@link MinimalUdpParse}.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int parseMinimal()
    {
        final UnsafeBuffer frame = socketFrame;
        int ports = 0;
        for (int i = 0; i < BATCH; i++)
        {
            final int port = MinimalUdpParse.parse(frame, FRAME_LENGTH, ENGINE_MAC, ENGINE_ADDRESS);
            parseFailures += port == SOCKET_PORT ? 0 : 1;
            ports += port;
        }
        return ports;
    }

    /**
     * The dispatcher's receive checks for a unicast UDP datagram, in its order.
     *
     * @return the destination port, or 0 after counting a failure.
     */
    private int parse(final UnsafeBuffer frame, final int length)
    {
        if (ethernet.wrap(frame, 0, length) &&
            ethernet.destination() == ENGINE_MAC &&
            ethernet.etherType() == EthernetFrame.ETHER_TYPE_IPV4 &&
            ipv4.wrap(frame, ethernet.payloadOffset(), ethernet.payloadLength()) == Ipv4Packet.VALID &&
            ipv4.isChecksumValid() &&
            ipv4.destination() == ENGINE_ADDRESS &&
            !ipv4.isFragment() &&
            ipv4.protocol() == Ipv4Packet.PROTOCOL_UDP &&
            udp.wrap(frame, ipv4.payloadOffset(), ipv4.payloadLength()) == UdpDatagram.VALID &&
            udp.isChecksumValid(ipv4.source(), ipv4.destination()))
        {
            return udp.destinationPort();
        }
        parseFailures++;
        return 0;
    }

    private void onDatagram(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        buffer.getBytes(index + UdpEndpoint.PAYLOAD_OFFSET, payload, 0, length - UdpEndpoint.PAYLOAD_OFFSET);
        framesConsumed++;
    }

    private void onPeerMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index,
        final int length)
    {
        peerSink += buffer.getLong(index) + length;
        peerMessagesRead++;
    }

    /**
     * Read what the last invocations left behind. A batch that wraps a ring leaves the records after the wrap for
     * the next read: {@code OneToOneRingBuffer.read} stops at the end of the ring, and {@code recvfrom(MSG_DONTWAIT)}
     * returns {@code -EAGAIN} once, with datagrams still queued, when the record at the head is the ring's tail
     * padding. So the socket is only drained after two {@code -EAGAIN} in a row.
     */
    private void drainLeftovers()
    {
        while (receiveRing.size() > 0)
        {
            receiveRing.read(copyDatagram);
        }
        while (peerRing.size() > 0)
        {
            peerRing.read(touchMessage);
        }
        for (int misses = 0; misses < 2; )
        {
            if (sockets.recvfrom(fd, payload, 0, payload.length, SocketConstants.MSG_DONTWAIT, null) >= 0)
            {
                framesConsumed++;
                misses = 0;
            }
            else
            {
                misses++;
            }
        }
    }

    private static int check(final int result, final String call)
    {
        if (result < 0)
        {
            throw new IllegalStateException(call + " failed: " + result);
        }
        return result;
    }

    /**
     * The same benchmarks with {@code -Dagrona.disable.bounds.checks=true} before the flags every fork has, in their
     * own forks of the same run.
     */
    @State(Scope.Thread)
    @Fork(jvmArgsPrepend = DISABLE_BOUNDS_CHECKS)
    public static class WithoutBoundsChecks extends UdpReceiveBenchmark
    {
    }
}
