package io.ringstack.iface;

import io.ringstack.errno.Errno;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.ringstack.iface.TestFrames.PEER_ADDRESS;
import static io.ringstack.iface.TestFrames.PEER_MAC;
import static io.ringstack.iface.TestFrames.ascii;
import static io.ringstack.iface.TestFrames.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The receive counters are tallied on the engine thread and published once per duty cycle: a frame's counts are
 * not in the shared counters while the cycle that dispatched it runs, and are there, exact, as soon as it ends;
 * {@code rx_frames = rx_delivered + Σ drops[reason] + held} holds at every cycle's end, read through the counters
 * themselves as {@code ringstack stat} reads them.
 */
class CounterPublicationTest
{
    private static final int BOUND_PORT = 5555;

    private EngineHarness harness;

    @BeforeEach
    void startEngine()
    {
        harness = EngineHarness.start();
        harness.learn(PEER_ADDRESS, PEER_MAC);
        final int fd = harness.sockets().socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0);
        assertTrue(fd >= 0, () -> Errno.describe(fd));
        assertEquals(0, harness.sockets().bind(fd, SockAddr.inet(0, BOUND_PORT)));
    }

    @AfterEach
    void stopEngine()
    {
        harness.close();
    }

    @Test
    void framesDispatchedWithinACycleAppearInTheCountersWhenTheCycleEnds()
    {
        final EngineCounters counters = harness.counters();
        final long framesBefore = stat("rx_frames");
        final long deliveredBefore = stat("rx_delivered");
        final long udpBefore = stat("rx_udp");
        final long noSocketBefore = stat("drop_udp_no_socket");
        final byte[] delivered = udp(40000, BOUND_PORT, ascii("to the bound socket"));
        final byte[] unbound = udp(40000, 9999, ascii("to nobody"));

        inject(delivered);
        inject(delivered);
        inject(unbound);

        assertEquals(framesBefore, stat("rx_frames"), "nothing is published while the cycle runs");
        assertEquals(deliveredBefore, stat("rx_delivered"), "nothing is published while the cycle runs");
        assertEquals(noSocketBefore, stat("drop_udp_no_socket"), "nothing is published while the cycle runs");

        harness.engine().doWork();

        assertEquals(framesBefore + 3, stat("rx_frames"), harness::diagnostics);
        assertEquals(deliveredBefore + 2, stat("rx_delivered"), harness::diagnostics);
        assertEquals(udpBefore + 3, stat("rx_udp"), harness::diagnostics);
        assertEquals(noSocketBefore + 1, stat("drop_udp_no_socket"), harness::diagnostics);
        assertEquals(framesBefore + 3, counters.rxFrames.get(), "the engine's own view reads the same value");
        assertTrue(counters.rxBalanced(), harness::diagnostics);
    }

    @Test
    void everyCycleEndsWithEachFrameDeliveredOrDroppedOnce()
    {
        final EngineCounters counters = harness.counters();
        final List<byte[]> frames = TestFrames.everyProtocol(BOUND_PORT);
        long expectedFrames = stat("rx_frames");
        for (final byte[] frame : frames)
        {
            harness.receive(frame);
            expectedFrames++;
            assertEquals(expectedFrames, stat("rx_frames"), harness::diagnostics);
            assertEquals(stat("rx_frames"), stat("rx_delivered") + rxDropsRead() + stat("ipv4_fragments_held"),
                harness::diagnostics);
            assertTrue(counters.rxBalanced(), harness::diagnostics);
        }
    }

    @Test
    void aCycleThatCountsNothingLeavesTheCountersAsTheyWere()
    {
        inject(udp(40000, BOUND_PORT, ascii("one")));
        harness.engine().doWork();
        final long frames = stat("rx_frames");
        final long delivered = stat("rx_delivered");

        harness.engine().doWork();

        assertEquals(frames, stat("rx_frames"));
        assertEquals(delivered, stat("rx_delivered"));
    }

    private void inject(final byte[] frame)
    {
        harness.engine().injectFrame(new UnsafeBuffer(frame), 0, frame.length);
    }

    /**
     * @return the counter labelled {@code "harness: " + name}, read through the counters as another process would.
     */
    private long stat(final String name)
    {
        final CountersReader reader = harness.engine().context().countersManager();
        final String label = "harness: " + name;
        final long[] value = { Long.MIN_VALUE };
        reader.forEach((id, typeId, keyBuffer, counterLabel) ->
        {
            if (counterLabel.equals(label))
            {
                value[0] = reader.getCounterValue(id);
            }
        });
        if (value[0] == Long.MIN_VALUE)
        {
            fail("no counter labelled " + label);
        }
        return value[0];
    }

    private long rxDropsRead()
    {
        long sum = 0;
        for (final DropReason reason : DropReason.values())
        {
            if (reason.direction() == DropReason.Direction.RX)
            {
                sum += stat(reason.label());
            }
        }
        return sum;
    }
}
