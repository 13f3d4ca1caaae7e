package io.ringstack.iface;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ringstack.config.Setting;
import io.ringstack.errno.Errno;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.Sockets;
import io.ringstack.wire.TcpSegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.ringstack.iface.TestFrames.PEER_ADDRESS;
import static io.ringstack.iface.TestFrames.PEER_MAC;
import static io.ringstack.iface.TestFrames.TCP_SYN_HEX;
import static io.ringstack.iface.TestFrames.TRANSPORT;
import static io.ringstack.iface.TestFrames.ascii;
import static io.ringstack.iface.TestFrames.hex;
import static io.ringstack.iface.TestFrames.tcp;
import static io.ringstack.iface.TestFrames.u32;
import static io.ringstack.wire.TcpSegment.FLAG_ACK;
import static io.ringstack.wire.TcpSegment.FLAG_FIN;
import static io.ringstack.wire.TcpSegment.FLAG_PSH;
import static io.ringstack.wire.TcpSegment.FLAG_RST;
import static io.ringstack.wire.TcpSegment.FLAG_SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz target of the dispatcher as a whole: one frame, as a device hands it over, to a fresh embedded engine that
 * knows its gateway, has a UDP socket bound to {@link #UDP_PORT}, a TCP listener on {@link #LISTEN_PORT} and one
 * connection accepted from it (the peer's port {@link #PEER_PORT}), then virtual time passes.
 * <p>
 * The input's first byte says what to do with the rest, the frame: bit 0 makes its IPv4 header checksum right
 * again and bit 1 its transport checksum (where the damaged headers still let them be computed), so that mutations
 * reach the layers above the checksums; bits 2-3 pick how long time passes afterwards ({@link #TIME_STEPS_NS}),
 * so that timers the frame armed (ARP, retransmission, delayed ACK, TIME-WAIT) fire too. Seeds: a valid frame of
 * every protocol ({@link TestFrames#everyProtocol}) and, for the listener and the connection, a SYN with options,
 * data with timestamps, an ACK with a SACK block, a FIN and a RST, all with both checksums resealed.
 * <p>
 * It proves, for every input: no error escapes a duty cycle and {@code rx = delivered + Σ drops} and its TX twin
 * hold after every run of the engine (the harness checks both), the device's frame was taken, and every frame the
 * engine sends in answer is well formed ({@link EngineHarness#assertWellFormed}).
 */
class DispatcherFuzzTest
{
    static final int UDP_PORT = 7777;
    static final int LISTEN_PORT = 8080;
    static final int PEER_PORT = 40004;
    static final int PEER_ISN = 0x1000_0000;

    static final int RESEAL_IPV4 = 1;
    static final int RESEAL_TRANSPORT = 1 << 1;
    static final int TIME_STEP_SHIFT = 2;
    static final long[] TIME_STEPS_NS =
    {
        0, EngineHarness.TICK_NS, TimeUnit.MILLISECONDS.toNanos(50), TimeUnit.MILLISECONDS.toNanos(1100),
    };

    /** NOP, NOP, Timestamps TSval 1, TSecr 0 (RFC 7323 3). */
    private static final byte[] TIMESTAMPS = hex("01 01 080a 00000001 00000000");
    /** NOP, NOP, SACK with one block (RFC 2018 3), for bytes the engine never sent. */
    private static final byte[] ONE_SACK_BLOCK = hex("01 01 050a 00001000 00002000");
    /** MSS 1460, NOP, window scale 7, SACK permitted, NOP, NOP. */
    private static final byte[] SYN_OPTIONS = hex("020405b4 01 030307 0402 0101");

    @MethodSource("seeds")
    @FuzzTest
    @Timeout(60)
    void noFrameMakesTheEngineThrowLoseCountOrAnswerMalformed(final byte[] input)
    {
        if (input.length == 0)
        {
            return;
        }
        final byte[] frame = frameOf(input);
        final long timeStepNs = TIME_STEPS_NS[(input[0] >>> TIME_STEP_SHIFT) & 0x3];

        try (ServingEngine serving = ServingEngine.start())
        {
            final EngineHarness harness = serving.harness;
            final long taken = harness.counters().deviceRxFrames.get();
            harness.receive(frame);
            harness.advance(timeStepNs);
            assertEquals(taken + 1, harness.counters().deviceRxFrames.get(), "the frame was taken");
            for (final byte[] sent : harness.takeTransmitted())
            {
                EngineHarness.assertWellFormed(sent);
            }
        }
    }

    static Stream<Arguments> seeds()
    {
        return seedFrames().stream().map(frame ->
        {
            final byte[] input = new byte[1 + frame.length];
            input[0] = (byte)(RESEAL_IPV4 | RESEAL_TRANSPORT);
            System.arraycopy(frame, 0, input, 1, frame.length);
            return Arguments.of((Object)input);
        });
    }

    /**
     * The seed corpus as frames: a valid frame of every protocol, and segments for the listener and the connection
     * of a {@link ServingEngine}.
     */
    static List<byte[]> seedFrames()
    {
        final List<byte[]> frames = new ArrayList<>(TestFrames.everyProtocol(UDP_PORT));
        try (ServingEngine serving = ServingEngine.start())
        {
            final int ourNext = serving.ourNext;
            frames.add(tcp(40010, LISTEN_PORT, 7, 0, FLAG_SYN, SYN_OPTIONS, new byte[0]));
            frames.add(tcp(PEER_PORT, LISTEN_PORT, PEER_ISN + 1, ourNext, FLAG_ACK | FLAG_PSH, TIMESTAMPS,
                ascii("hello")));
            frames.add(tcp(PEER_PORT, LISTEN_PORT, PEER_ISN + 1, ourNext, FLAG_ACK, ONE_SACK_BLOCK, new byte[0]));
            frames.add(tcp(PEER_PORT, LISTEN_PORT, PEER_ISN + 1, ourNext, FLAG_FIN | FLAG_ACK, new byte[0]));
            frames.add(tcp(PEER_PORT, LISTEN_PORT, PEER_ISN + 1, 0, FLAG_RST, new byte[0]));
        }
        frames.add(hex(TCP_SYN_HEX));
        return frames;
    }

    /**
     * The frame an input stands for: its bytes after the first, with the checksums resealed as the first says.
     */
    static byte[] frameOf(final byte[] input)
    {
        final int control = input[0];
        byte[] frame = Arrays.copyOfRange(input, 1, input.length);
        if ((control & RESEAL_IPV4) != 0)
        {
            frame = TestFrames.resealIpv4(frame);
        }
        if ((control & RESEAL_TRANSPORT) != 0)
        {
            TestFrames.resealTransport(frame);
        }
        return frame;
    }

    /**
     * An engine serving on the QEMU network of {@link TestFrames}: the gateway learned, a UDP socket bound, a TCP
     * listener, and one connection from the peer through the three-way handshake and accepted. ISN keys are fixed,
     * so every start has the same sequence numbers.
     */
    static final class ServingEngine implements AutoCloseable
    {
        final EngineHarness harness;
        /** The bound UDP socket. */
        final int udp;
        /** The engine's next sequence number on the accepted connection. */
        final int ourNext;

        private ServingEngine(final EngineHarness harness, final int udp, final int ourNext)
        {
            this.harness = harness;
            this.udp = udp;
            this.ourNext = ourNext;
        }

        static ServingEngine start()
        {
            final EngineHarness harness = EngineHarness.start(context -> context
                .set(Setting.TCP_ISN_KEY_0, 0x0123_4567_89AB_CDEFL)
                .set(Setting.TCP_ISN_KEY_1, 0x0FED_CBA9_8765_4321L));
            harness.learn(PEER_ADDRESS, PEER_MAC);
            final Sockets sockets = harness.sockets();

            final int udp = sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0);
            assertEquals(0, sockets.bind(udp, SockAddr.inet(0, UDP_PORT)), "bind UDP");

            final int listener = sockets.socket(SocketConstants.AF_INET,
                SocketConstants.SOCK_STREAM | SocketConstants.SOCK_NONBLOCK, 0);
            assertEquals(0, sockets.bind(listener, SockAddr.inet(0, LISTEN_PORT)), "bind TCP");
            assertEquals(0, sockets.listen(listener, 16), "listen");

            harness.receive(tcp(PEER_PORT, LISTEN_PORT, PEER_ISN, 0, FLAG_SYN, SYN_OPTIONS, new byte[0]));
            final byte[] synAck = harness.takeOnlyTransmitted();
            final int ourNext = u32(synAck, TRANSPORT + TcpSegment.SEQUENCE_NUMBER_OFFSET) + 1;
            harness.receive(tcp(PEER_PORT, LISTEN_PORT, PEER_ISN + 1, ourNext, FLAG_ACK, new byte[0]));
            final int accepted = sockets.accept(listener, null);
            assertTrue(accepted >= 0, () -> "accept: " + Errno.describe(accepted) + "\n" + harness.diagnostics());
            harness.takeTransmitted();
            return new ServingEngine(harness, udp, ourNext);
        }

        public void close()
        {
            harness.close();
        }
    }
}
