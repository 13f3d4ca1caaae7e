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
import io.ringstack.phy.RingReads;
import io.ringstack.socket.SocketConstants;
import io.ringstack.udp.UdpEndpoint;
import java.util.concurrent.TimeUnit;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
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
import static io.ringstack.bench.UdpFrames.PEER_PORT;

/**
 * The engine's receive path per protocol, one operation per frame: each invocation is one duty cycle
 * ({@link Engine#doWork()}) in which a {@link BurstDevice} hands over {@link #BATCH} copies of one frame in place,
 * the dispatcher checks and switches each, its arm handles it, and the cycle's counters are published.
 * <ul>
 *   <li>{@code udp}: a datagram to a bound socket, copied into the socket's ring; the ring is drained after the
 *       cycle.</li>
 *   <li>{@code icmpEcho}: an echo request, answered with an echo reply built and handed to the device.</li>
 *   <li>{@code arp}: an ARP request for the engine's address, answered with an ARP reply.</li>
 * </ul>
 * The frames are those of {@link ParseBenchmark} ({@link WireFrames}), UDP and ICMP at 64, 512 and 1514 bytes. The trial
 * tear-down fails the run unless every frame was delivered, none dropped, every request answered and every datagram
 * read back.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DispatcherBenchmark extends ForkedBenchmark
{
    /** Frames per duty cycle: the engine's default frame budget. */
    public static final int BATCH = 64;

    /** The protocol and the frame length; ARP has one size. */
    @Param({ "udp:64", "udp:512", "udp:1514", "icmpEcho:64", "icmpEcho:512", "icmpEcho:1514", "arp:60" })
    String frame;

    private final Bed bed = new Bed();

    @Setup(Level.Trial)
    public void setUp()
    {
        final String protocol = frame.substring(0, frame.indexOf(':'));
        final int frameLength = Integer.parseInt(frame.substring(frame.indexOf(':') + 1));
        switch (protocol)
        {
            case "udp":
                bed.start(WireFrames.udp(frameLength, Bed.PORT), frameLength, true);
                break;
            case "icmpEcho":
                bed.start(WireFrames.icmpEcho(frameLength), frameLength, false);
                break;
            default:
                bed.start(WireFrames.arpRequest(), WireFrames.ARP_FRAME_LENGTH, false);
                break;
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int dispatch()
    {
        return bed.cycle();
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        bed.stop(frame);
    }

    /**
     * An embedded engine on a {@link BurstDevice} that knows the peer (from one ARP request), with a UDP socket
     * whose ring it drains when the frames are datagrams.
     */
    static final class Bed
    {
        static final int PORT = PEER_PORT + 1;

        private final BurstDevice device = new BurstDevice(ENGINE_MAC);
        private final MessageHandler countDatagram = this::onDatagram;
        private Ringstack stack;
        private Engine engine;
        private OneToOneRingBuffer receiveRing;
        private boolean datagrams;
        private long datagramsRead;

        void start(final UnsafeBuffer frame, final int frameLength, final boolean datagrams)
        {
            this.datagrams = datagrams;
            final EngineContext context = new EngineContext()
                .name("dispatcher")
                .interfaceConfig(new InterfaceConfig(ENGINE_ADDRESS, 24, PEER_ADDRESS, ENGINE_MAC))
                .device(device)
                .set(Setting.FRAME_BUDGET, BATCH);
            stack = Ringstack.launch(context, false, null);
            engine = stack.engine();
            final EngineClient client = stack.client();
            final long timeoutNs = context.settings().longValue(Setting.CALL_TIMEOUT_NS);
            final int slot = Checks.errno(client.allocateSlot(), "allocateSlot");
            final UdpEndpoint endpoint =
                new UdpEndpoint(context.settings().intValue(Setting.UDP_RECEIVE_RING_CAPACITY));
            Checks.errno((int)client.openUdp(slot, endpoint, timeoutNs), "openUdp");
            Checks.errno((int)client.call(
                Command.UDP_BIND, slot, SocketConstants.INADDR_ANY, PORT, null, 0, 0, timeoutNs), "UDP_BIND");
            receiveRing = endpoint.receiveRing();

            device.feed(WireFrames.arpRequest(), WireFrames.ARP_FRAME_LENGTH, 1);
            engine.doWork();
            device.feed(frame, frameLength, BATCH);
        }

        int cycle()
        {
            final int work = engine.doWork();
            if (datagrams)
            {
                drain();
            }
            return work;
        }

        /**
         * Stop the engine; fail the run if any frame was dropped, any request went unanswered or any datagram was
         * not read.
         */
        void stop(final String what)
        {
            device.feed(null, 0, 0);
            engine.doWork();
            final EngineCounters counters = engine.counters();
            final long frames = counters.rxFrames.get();
            final String problem;
            if (frames != device.received() || counters.rxDelivered.get() != frames ||
                counters.totalDrops(DropReason.Direction.RX) != 0 || counters.totalDrops(DropReason.Direction.TX) != 0)
            {
                problem = "frames dropped or not counted: the device handed over " + device.received();
            }
            else if (datagrams && datagramsRead != frames - 1)
            {
                problem = "delivered " + (frames - 1) + " datagrams but read " + datagramsRead;
            }
            else if (!datagrams && device.transmitted() != frames)
            {
                problem = "answered " + device.transmitted() + " of " + frames + " requests";
            }
            else
            {
                problem = null;
            }
            final String diagnostics = stack.diagnostics();
            stack.close();
            if (problem != null)
            {
                throw new IllegalStateException(what + ": " + problem + "\n" + diagnostics);
            }
        }

        /**
         * Read every datagram in the socket's ring: a read stops at the ring's end, so read until one finds none.
         */
        private void drain()
        {
            while (RingReads.read(receiveRing, countDatagram, Integer.MAX_VALUE) > 0)
            {
                // each read takes what lies before the ring's end
            }
        }

        private void onDatagram(
            final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            datagramsRead++;
        }
    }
}
