package io.ringstack.iface;

import io.ringstack.config.Setting;
import io.ringstack.engine.Engine;
import io.ringstack.engine.EngineContext;
import io.ringstack.errno.Errno;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.ringstack.iface.TestFrames.OUR_ADDRESS;
import static io.ringstack.iface.TestFrames.OUR_MAC;
import static io.ringstack.iface.TestFrames.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loopback has an MTU of its own, 65535 by default as Linux's {@code lo} has 64 KiB: TCP over it cuts its data
 * into segments of 65495 bytes (the MTU less 40 bytes of headers), and the largest UDP datagram crosses it in one
 * frame. Set to 1500, loopback behaves as an Ethernet link. The stream runs on a clock that stands still: no segment
 * waits for a delayed ACK, since the first window, one 64 KiB segment, opens again as soon as it is read. A loopback ring that cannot hold a frame of the MTU is
 * refused when the engine is built, naming both settings.
 */
class LoopbackMtuTest
{
    private static final int PORT = 7001;
    private static final int STREAM_BYTES = 1 << 20;

    private EngineHarness harness;

    @AfterEach
    void stopEngine()
    {
        if (harness != null)
        {
            harness.close();
        }
    }

    @ParameterizedTest(name = "loopback MTU {0}")
    @ValueSource(ints = { 65535, 1500 })
    void tcpOverLoopbackCutsItsDataIntoSegmentsOfTheLoopbackMtuLessFortyBytes(final int mtu)
    {
        harness = EngineHarness.start((context) -> context.set(Setting.LOOPBACK_MTU, mtu));
        final int[] ends = connectedStream();
        final byte[] written = bytes(STREAM_BYTES, 0x5A);
        final byte[] read = new byte[STREAM_BYTES];
        final long framesBefore = harness.counters().loopbackFrames.get();
        int sent = 0;
        int received = 0;
        for (int round = 0; received < STREAM_BYTES && round < 10_000; round++)
        {
            if (sent < STREAM_BYTES)
            {
                final int result = harness.sockets().send(
                    ends[0], written, sent, STREAM_BYTES - sent, SocketConstants.MSG_DONTWAIT);
                sent += Math.max(0, result);
            }
            harness.runUntilIdle();
            final int result = harness.sockets().recv(
                ends[1], read, received, STREAM_BYTES - received, SocketConstants.MSG_DONTWAIT);
            received += Math.max(0, result);
        }

        final int sentInAll = sent;
        assertEquals(STREAM_BYTES, received, () -> "sent " + sentInAll + "; " + harness.diagnostics());
        assertArrayEquals(written, read, harness::diagnostics);
        final long frames = harness.counters().loopbackFrames.get() - framesBefore;
        final long mss = mtu - 40;
        final long dataFrames = (STREAM_BYTES + mss - 1) / mss;
        assertTrue(frames >= dataFrames && frames <= 3 * dataFrames,
            () -> frames + " loopback frames for " + dataFrames + " segments of " + mss + " bytes and their ACKs");
    }

    @Test
    void theLargestUdpDatagramCrossesLoopbackInOneFrame()
    {
        harness = EngineHarness.start(UnaryOperator.identity());
        final int receiver = harness.boundUdpSocket(PORT);
        final int sender = harness.boundUdpSocket(0);

        harness.sendOverLoopbackAndReceive(sender, receiver, PORT, bytes(65507, 0x24));

        assertEquals(1, harness.counters().loopbackFrames.get(), harness::diagnostics);
        assertEquals(0, harness.counters().rxIpv4Fragments.get(), harness::diagnostics);
    }

    @Test
    void aLoopbackRingTooSmallForAFrameOfTheMtuIsRefusedNamingBothSettings()
    {
        final EngineContext context = new EngineContext()
            .name("small-ring")
            .interfaceConfig(new InterfaceConfig(OUR_ADDRESS, 24, 0, OUR_MAC))
            .countersManager(EngineHarness.newCountersManager())
            .set(Setting.LOOPBACK_RING_CAPACITY, 256 * 1024);

        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new Engine(context));

        assertEquals("loopbackRingCapacity 262144 holds IP packets of 32754 bytes at most (an eighth of it, less the " +
            "Ethernet header), fewer than loopbackMtu 65535: raise the one or lower the other", refused.getMessage());
    }

    /**
     * @return a connected TCP stream over 127.0.0.1, the writer first.
     */
    private int[] connectedStream()
    {
        final SockAddr address = SockAddr.inet(SocketConstants.INADDR_LOOPBACK, PORT);
        final int listener = harness.sockets().socket(SocketConstants.AF_INET, SocketConstants.SOCK_STREAM, 0);
        assertEquals(0, harness.sockets().bind(listener, address));
        assertEquals(0, harness.sockets().listen(listener, 1));
        final int writer = harness.sockets().socket(SocketConstants.AF_INET, SocketConstants.SOCK_STREAM, 0);
        final int connected = harness.sockets().connect(writer, address);
        assertTrue(connected == 0 || connected == -Errno.EINPROGRESS, () -> Errno.describe(connected));
        harness.runUntilIdle();
        final int reader = harness.sockets().accept(listener, null);
        assertTrue(reader >= 0, () -> "accept: " + Errno.describe(reader));
        return new int[] {writer, reader};
    }

}
