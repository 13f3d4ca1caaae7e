package io.ringstack.iface;

import io.ringstack.config.Setting;
import io.ringstack.engine.EngineContext;
import io.ringstack.wire.IcmpPacket;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.ringstack.iface.TestFrames.PEER_ADDRESS;
import static io.ringstack.iface.TestFrames.PEER_MAC;
import static io.ringstack.iface.TestFrames.ascii;
import static io.ringstack.iface.TestFrames.echoRequest;
import static io.ringstack.iface.TestFrames.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ICMP output is rate limited as RFC 1812 4.3.2.8 asks and as Linux does it ({@code icmp_msgs_per_sec} 1000,
 * {@code icmp_msgs_burst} 50, {@code icmp_ratemask} 0x1818): a flood that would draw an error per packet draws a
 * burst and then the rate, every message held back is counted, and echo replies are limited only when the mask says
 * so. Virtual time, so each figure is exact.
 */
class IcmpRateLimitTest
{
    private static final int CLOSED_PORT = 4444;
    private static final long MILLISECOND_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private EngineHarness harness;

    @AfterEach
    void stopEngine()
    {
        if (harness != null)
        {
            harness.close();
        }
    }

    @ParameterizedTest(name = "{0} msgs/s, burst {1}: after {2} ms of silence {3} of a flood of 200 are answered")
    @CsvSource({
        // rate, burst, idle ms, answered
        "1000, 50,    0,  50",   // Linux's defaults: the burst alone
        "1000, 50,   10,  50",   // the bucket is full already: idle time does not raise it past the burst
        "1000, 50, 1000,  50",
        " 100,  5,    0,   5",
        "   0, 50,    0, 200",   // 0 lifts the limit, as icmp_msgs_per_sec=0 does
    })
    void floodToAClosedPortDrawsTheBurstAndCountsTheRest(
        final int rate, final int burst, final int idleMs, final int answered)
    {
        start(ctx -> ctx.set(Setting.ICMP_MSGS_PER_SEC, rate).set(Setting.ICMP_MSGS_BURST, burst));
        harness.clock().advance(idleMs * MILLISECOND_NS);

        final int sent = floodClosedPort(200);

        assertEquals(answered, sent, "port unreachables sent");
        assertEquals(200 - answered, harness.counters().drops(DropReason.ICMP_RATE_LIMITED));
        assertEquals(200, harness.counters().drops(DropReason.UDP_NO_SOCKET), "every datagram still counted");
    }

    @Test
    void anEmptiedBucketRefillsAtTheRateOneMessagePerMillisecond()
    {
        start(UnaryOperator.identity());
        assertEquals(50, floodClosedPort(100));

        harness.clock().advance(MILLISECOND_NS - 1);
        assertEquals(0, floodClosedPort(5), "not a whole token yet");
        harness.clock().advance(1);
        assertEquals(1, floodClosedPort(5), "one token after one millisecond");
        harness.clock().advance(10 * MILLISECOND_NS);
        assertEquals(10, floodClosedPort(20), "ten after ten");
    }

    @Test
    void aSteadyFloodForOneSecondDrawsTheBurstPlusOneThousand()
    {
        start(UnaryOperator.identity());
        int answered = 0;
        for (int ms = 0; ms < 1000; ms++)
        {
            answered += floodClosedPort(5);
            harness.clock().advance(MILLISECOND_NS);
        }
        answered += floodClosedPort(5);

        assertEquals(50 + 1000, answered, "5000 datagrams a second to a closed port");
        assertEquals(5005 - answered, harness.counters().drops(DropReason.ICMP_RATE_LIMITED));
    }

    @Test
    void echoRepliesAreNotLimitedByDefaultAsOnLinux()
    {
        start(UnaryOperator.identity());

        assertEquals(200, pingFlood(200));
        assertEquals(0, harness.counters().drops(DropReason.ICMP_RATE_LIMITED));
    }

    @Test
    void echoRepliesAreLimitedWhenTheMaskIncludesThem()
    {
        start(ctx -> ctx.set(Setting.ICMP_RATE_MASK, 0x1818 | 1 << IcmpPacket.TYPE_ECHO_REPLY));

        assertEquals(50, pingFlood(200));
        assertEquals(150, harness.counters().drops(DropReason.ICMP_RATE_LIMITED));
        assertEquals(0, floodClosedPort(10), "errors and replies share one bucket");
    }

    @Test
    void bucketLetsOnlyMaskedTypesSpendTokens()
    {
        final IcmpRateLimit limit = new IcmpRateLimit(1000, 2, 1 << IcmpPacket.TYPE_DESTINATION_UNREACHABLE);

        assertTrue(limit.tryAcquire(IcmpPacket.TYPE_DESTINATION_UNREACHABLE, 0));
        assertTrue(limit.tryAcquire(IcmpPacket.TYPE_DESTINATION_UNREACHABLE, 0));
        assertFalse(limit.tryAcquire(IcmpPacket.TYPE_DESTINATION_UNREACHABLE, 0));
        assertTrue(limit.tryAcquire(IcmpPacket.TYPE_ECHO_REPLY, 0), "echo reply is not in the mask");
        assertTrue(limit.tryAcquire(IcmpPacket.TYPE_DESTINATION_UNREACHABLE, MILLISECOND_NS));
        assertFalse(limit.tryAcquire(IcmpPacket.TYPE_DESTINATION_UNREACHABLE, MILLISECOND_NS));
        assertTrue(limit.tryAcquire(IcmpPacket.TYPE_DESTINATION_UNREACHABLE, Long.MAX_VALUE), "no overflow");
    }

    private void start(final UnaryOperator<EngineContext> customise)
    {
        harness = EngineHarness.start(customise);
        harness.learn(PEER_ADDRESS, PEER_MAC);
    }

    /**
     * @return the ICMP messages the engine sent for {@code count} datagrams to a closed port, all at this instant.
     */
    private int floodClosedPort(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            harness.receive(udp(40000 + i, CLOSED_PORT, ascii("knock")));
        }
        return harness.takeTransmitted().size();
    }

    private int pingFlood(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            harness.receive(echoRequest(0x1234, i, ascii("ping")));
        }
        return harness.takeTransmitted().size();
    }
}
