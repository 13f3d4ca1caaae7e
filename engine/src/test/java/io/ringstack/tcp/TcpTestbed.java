package io.ringstack.tcp;

import io.ringstack.EmbeddedStack;
import io.ringstack.config.Setting;
import io.ringstack.engine.EngineContext;
import io.ringstack.errno.Errno;
import io.ringstack.iface.DropReason;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.phy.CapturingDevice;
import io.ringstack.socket.SockAddr;
import io.ringstack.wire.Ipv4Text;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static io.ringstack.socket.SocketConstants.AF_INET;
import static io.ringstack.socket.SocketConstants.SOCK_NONBLOCK;
import static io.ringstack.socket.SocketConstants.SOCK_STREAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A packetdrill-style testbed: an {@link EmbeddedStack} whose device is the wire to a peer the test scripts segment
 * by segment. The engine is 10.0.2.15, the peer 10.0.2.2, whose ARP the device answers itself. Tests use non-blocking
 * sockets, since a blocking call waits on real time.
 */
final class TcpTestbed extends EmbeddedStack
{
    static final int LOCAL_ADDRESS = Ipv4Text.parse("10.0.2.15");
    static final int PEER_ADDRESS = Ipv4Text.parse("10.0.2.2");
    static final long LOCAL_MAC = 0x5254_0012_3456L;
    static final long PEER_MAC = 0x5255_0A00_0202L;
    /** The ISN key of every testbed: scenarios see the same sequence numbers on every run. */
    static final long ISN_KEY_0 = 0x0123_4567_89AB_CDEFL;
    static final long ISN_KEY_1 = 0x0FED_CBA9_8765_4321L;

    private TcpTestbed(final int segmentOffloadBytes, final UnaryOperator<EngineContext> customise)
    {
        super("tcp-testbed", new InterfaceConfig(LOCAL_ADDRESS, 24, PEER_ADDRESS, LOCAL_MAC),
            new CapturingDevice("scripted0", LOCAL_MAC).answerArp(PEER_ADDRESS, PEER_MAC)
                .segmentOffload(segmentOffloadBytes),
            context -> customise.apply(
                context.set(Setting.TCP_ISN_KEY_0, ISN_KEY_0).set(Setting.TCP_ISN_KEY_1, ISN_KEY_1)));
    }

    static TcpTestbed start()
    {
        return new TcpTestbed(0, UnaryOperator.identity());
    }

    static TcpTestbed start(final UnaryOperator<EngineContext> customise)
    {
        return new TcpTestbed(0, customise);
    }

    /**
     * A testbed whose device cuts TCP segments of up to {@code segmentOffloadBytes} of IP packet itself.
     */
    static TcpTestbed withSegmentOffload(
        final int segmentOffloadBytes, final UnaryOperator<EngineContext> customise)
    {
        return new TcpTestbed(segmentOffloadBytes, customise);
    }

    TcpEngine tcp()
    {
        return engine().tcp();
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
        receive(segment.frame());
    }

    /**
     * Let time pass until the engine sends something, at most {@code limitNs}.
     *
     * @return how long it took.
     */
    long advanceUntilSent(final long limitNs)
    {
        return advanceUntil(() -> device().transmittedCount() > 0, limitNs);
    }

    /**
     * @return every segment the engine sent since the last take, oldest first.
     */
    List<SentSegment> sent()
    {
        runUntilIdle();
        final List<SentSegment> segments = new ArrayList<>();
        for (final byte[] frame : device().takeTransmitted())
        {
            segments.add(SentSegment.parse(frame));
        }
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
        assertTrue(fd >= 0, () -> "accept: " + Errno.describe(fd) + "\n" + diagnostics());
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
        runUntilIdle();
        return fd;
    }

    int write(final int fd, final byte[] bytes)
    {
        final int written = sockets().write(fd, bytes, 0, bytes.length);
        runUntilIdle();
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
        runUntilIdle();
        return read >= 0 ? new String(buffer, 0, read, StandardCharsets.US_ASCII) :
            Errno.name(read);
    }
}
