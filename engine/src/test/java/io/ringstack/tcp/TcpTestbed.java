package io.ringstack.tcp;

import io.ringstack.Ringstack;
import io.ringstack.config.Setting;
import io.ringstack.engine.EngineContext;
import io.ringstack.engine.EngineTimers;
import io.ringstack.errno.Errno;
import io.ringstack.iface.DropReason;
import io.ringstack.iface.EngineCounters;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.iface.Timers;
import io.ringstack.phy.CapturingDevice;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.Sockets;
import io.ringstack.wire.Ipv4Text;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

import static io.ringstack.socket.SocketConstants.AF_INET;
import static io.ringstack.socket.SocketConstants.SOCK_NONBLOCK;
import static io.ringstack.socket.SocketConstants.SOCK_STREAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A packetdrill-style testbed: one engine embedded on the test thread (INVOKER mode) on a virtual clock, its device
 * the wire to a peer the test scripts segment by segment. The engine is 10.0.2.15, the peer 10.0.2.2. Sockets come
 * from {@link Ringstack#launch}; tests use non-blocking ones, since a blocking call waits on real time.
 * <p>
 * After every run of the engine the testbed checks that nothing escaped its duty cycle and that
 * {@code rx = delivered + Σ drops} holds, so every scenario proves the invariant too.
 */
final class TcpTestbed implements AutoCloseable
{
    static final int LOCAL_ADDRESS = Ipv4Text.parse("10.0.2.15");
    static final int PEER_ADDRESS = Ipv4Text.parse("10.0.2.2");
    static final long LOCAL_MAC = 0x5254_0012_3456L;
    static final long PEER_MAC = 0x5255_0A00_0202L;
    static final long START_NS = 1_000_000_000_000L;
    static final long TICK_NS = Timers.GRANULARITY_NS;
    /** The ISN key of every testbed: scenarios see the same sequence numbers on every run. */
    static final long ISN_KEY_0 = 0x0123_4567_89AB_CDEFL;
    static final long ISN_KEY_1 = 0x0FED_CBA9_8765_4321L;

    private static final int MAX_COUNTERS = 256;
    private static final int MAX_CYCLES = 100_000;

    private final CachedNanoClock clock = new CachedNanoClock();
    private final CapturingDevice device =
        new CapturingDevice("scripted0", LOCAL_MAC).answerArp(PEER_ADDRESS, PEER_MAC);
    private final Ringstack stack;
    private final List<SentSegment> sent = new ArrayList<>();

    private TcpTestbed(final UnaryOperator<EngineContext> customise)
    {
        clock.update(START_NS);
        final EngineContext context = new EngineContext()
            .name("tcp-testbed")
            .interfaceConfig(new InterfaceConfig(LOCAL_ADDRESS, 24, PEER_ADDRESS, LOCAL_MAC))
            .device(device)
            .nanoClock(clock)
            .set(Setting.TCP_ISN_KEY_0, ISN_KEY_0).set(Setting.TCP_ISN_KEY_1, ISN_KEY_1)
            .countersManager(new CountersManager(
                new UnsafeBuffer(ByteBuffer.allocateDirect(MAX_COUNTERS * CountersReader.METADATA_LENGTH)),
                new UnsafeBuffer(ByteBuffer.allocateDirect(MAX_COUNTERS * CountersReader.COUNTER_LENGTH))));
        stack = Ringstack.launch(customise.apply(context), false, null);
    }

    static TcpTestbed start()
    {
        return new TcpTestbed(UnaryOperator.identity());
    }

    static TcpTestbed start(final UnaryOperator<EngineContext> customise)
    {
        return new TcpTestbed(customise);
    }

    Sockets sockets()
    {
        return stack.sockets();
    }

    EngineCounters counters()
    {
        return stack.engine().counters();
    }

    TcpEngine tcp()
    {
        return stack.engine().tcp();
    }

    long drops(final DropReason reason)
    {
        return counters().drops(reason);
    }

    /**
     * @return a segment from the peer's {@code peerPort} to our {@code ourPort}.
     */
    PeerSegment segment(final int peerPort, final int ourPort, final int flags)
    {
        return new PeerSegment(PEER_MAC, LOCAL_MAC, PEER_ADDRESS, LOCAL_ADDRESS, peerPort, ourPort, flags);
    }

    /**
     * The peer sends {@code segment}; the engine runs until idle.
     */
    void send(final PeerSegment segment)
    {
        device.inject(segment.frame());
        run();
    }

    /**
     * Run duty cycles until one does nothing, then check the engine's health.
     */
    void run()
    {
        for (int cycle = 0; cycle < MAX_CYCLES; cycle++)
        {
            if (stack.runner().invoke() == 0 && device.pendingReceive() == 0)
            {
                collect();
                assertHealthy();
                return;
            }
        }
        fail("engine still busy after " + MAX_CYCLES + " duty cycles\n" + stack.diagnostics());
    }

    /**
     * Let virtual time pass in timer ticks, running the engine after each.
     */
    void advance(final long durationNs)
    {
        long remainingNs = durationNs;
        while (remainingNs > 0)
        {
            final long stepNs = Math.min(remainingNs, TICK_NS);
            clock.advance(stepNs);
            remainingNs -= stepNs;
            run();
        }
    }

    void advanceMillis(final long millis)
    {
        advance(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    /**
     * Let time pass until the engine sends something, at most {@code limitNs}.
     *
     * @return how long it took.
     */
    long advanceUntilSent(final long limitNs)
    {
        final long startNs = clock.nanoTime();
        while (sent.isEmpty())
        {
            if (clock.nanoTime() - startNs >= limitNs)
            {
                fail("nothing sent within " + TimeUnit.NANOSECONDS.toMillis(limitNs) + " ms\n" +
                    stack.diagnostics());
            }
            advance(TICK_NS);
        }
        return clock.nanoTime() - startNs;
    }

    /**
     * @return every segment the engine sent since the last take, oldest first.
     */
    List<SentSegment> sent()
    {
        run();
        final List<SentSegment> segments = new ArrayList<>(sent);
        sent.clear();
        return segments;
    }

    /**
     * @return the one segment the engine sent since the last take; fails if it sent none or several.
     */
    SentSegment expectSegment()
    {
        final List<SentSegment> segments = sent();
        if (segments.size() != 1)
        {
            fail("expected one segment, got " + segments.size() + ": " + segments);
        }
        final SentSegment segment = segments.get(0);
        assertTrue(segment.checksumValid, () -> "bad checksum on " + segment);
        return segment;
    }

    void expectNothingSent()
    {
        final List<SentSegment> segments = sent();
        assertTrue(segments.isEmpty(), () -> "expected nothing sent, got " + segments);
    }

    // --------------------------------------------------------------------------------------------- socket helpers

    int socket()
    {
        final int fd = sockets().socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        assertTrue(fd >= 0, () -> "socket: " + Errno.describe(fd));
        return fd;
    }

    int listen(final int port)
    {
        final int fd = socket();
        assertEquals(0, sockets().bind(fd, SockAddr.inet(0, port)), "bind");
        assertEquals(0, sockets().listen(fd, 16), "listen");
        return fd;
    }

    int accept(final int listener)
    {
        final int fd = sockets().accept(listener, null);
        assertTrue(fd >= 0, () -> "accept: " + Errno.describe(fd) + "\n" + stack.diagnostics());
        return fd;
    }

    /**
     * Start a non-blocking connect to the peer.
     */
    int connect(final int localPort, final int peerPort)
    {
        final int fd = socket();
        assertEquals(0, sockets().bind(fd, SockAddr.inet(0, localPort)), "bind");
        assertEquals(-Errno.EINPROGRESS, sockets().connect(fd, SockAddr.inet(PEER_ADDRESS, peerPort)), "connect");
        run();
        return fd;
    }

    int write(final int fd, final byte[] bytes)
    {
        final int written = sockets().write(fd, bytes, 0, bytes.length);
        run();
        return written;
    }

    int write(final int fd, final String text)
    {
        return write(fd, text.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * @return what one read returns, as text, or the error's name.
     */
    String read(final int fd)
    {
        final byte[] buffer = new byte[65536];
        final int read = sockets().read(fd, buffer, 0, buffer.length);
        run();
        return read >= 0 ? new String(buffer, 0, read, StandardCharsets.US_ASCII) :
            Errno.name(read);
    }

    void assertHealthy()
    {
        if (stack.runner().errorCount() != 0)
        {
            throw new AssertionError("error escaped the engine\n" + stack.diagnostics(), stack.runner().lastError());
        }
        assertTrue(counters().rxBalanced(), () -> "rx_frames != delivered + drops\n" + stack.diagnostics());
    }

    private void collect()
    {
        for (final byte[] frame : device.takeTransmitted())
        {
            sent.add(SentSegment.parse(frame));
        }
    }

    public void close()
    {
        stack.close();
    }
}
