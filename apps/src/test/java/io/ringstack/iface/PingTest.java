package io.ringstack.iface;

import io.ringstack.engine.EngineClient;
import io.ringstack.errno.Errno;
import io.ringstack.seed.SeedWorld;
import io.ringstack.wire.Ipv4Text;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ping from the guest engine, each engine on its own thread and joined to the gateway's by a wire, as under QEMU's
 * user-mode network: the gateway answers, loopback answers, and an address nobody holds gives a clear
 * {@code -ETIMEDOUT} when the caller's timeout passes, never a hang.
 */
class PingTest
{
    private static final int PAYLOAD_LENGTH = 56;
    private static final Duration TEST_LIMIT = Duration.ofSeconds(10);

    private SeedWorld world;
    private EngineClient client;
    private int slot;

    @BeforeEach
    void startWorld()
    {
        world = SeedWorld.overPipe("ping", null);
        client = world.guest().client();
        slot = client.allocateSlot();
        assertTrue(slot >= 0, () -> Errno.describe(slot));
    }

    @AfterEach
    void stopWorld()
    {
        client.freeSlot(slot);
        world.close();
    }

    @Test
    void gatewayAnswersWithAPositiveRoundTripTimeAndCountsOneEchoRequest()
    {
        final EngineCounters gateway = world.gateway().engine().counters();
        final long icmpBefore = gateway.rxIcmp.get();
        final long deliveredBefore = gateway.rxDelivered.get();

        final long rttNs = assertTimeoutPreemptively(TEST_LIMIT,
            () -> client.ping(slot, world.gatewayAddress(), PAYLOAD_LENGTH, TimeUnit.SECONDS.toNanos(2)));

        assertTrue(rttNs > 0, () -> "round-trip time " + Errno.describe((int)rttNs) + "\n" + world.diagnostics());
        assertEquals(icmpBefore + 1, gateway.rxIcmp.get(), "one ICMP message reached the gateway");
        awaitOrFail(() -> gateway.rxDelivered.get() == deliveredBefore + 2 && gateway.rxBalanced(),
            "the gateway delivered the ARP request and the echo request, and dropped nothing");
        assertEquals(0, gateway.totalDrops(DropReason.Direction.RX), world::diagnostics);
    }

    @Test
    void loopbackAnswers()
    {
        final long rttNs = assertTimeoutPreemptively(TEST_LIMIT,
            () -> client.ping(slot, Ipv4Text.parse("127.0.0.1"), PAYLOAD_LENGTH, TimeUnit.SECONDS.toNanos(2)));

        assertTrue(rttNs >= 0, () -> Errno.describe((int)rttNs) + "\n" + world.diagnostics());
        assertTrue(world.guest().engine().counters().loopbackFrames.get() >= 2, "request and reply over loopback");
    }

    @Test
    void ourOwnAddressAnswers()
    {
        final long rttNs = assertTimeoutPreemptively(TEST_LIMIT,
            () -> client.ping(slot, world.ownAddress(), PAYLOAD_LENGTH, TimeUnit.SECONDS.toNanos(2)));

        assertTrue(rttNs >= 0, () -> Errno.describe((int)rttNs) + "\n" + world.diagnostics());
    }

    @Test
    void addressNobodyHoldsTimesOutWithinTheCallersTimeout()
    {
        final long timeoutNs = TimeUnit.MILLISECONDS.toNanos(300);
        final long startNs = System.nanoTime();

        final long result = assertTimeoutPreemptively(TEST_LIMIT,
            () -> client.ping(slot, Ipv4Text.parse("10.0.2.77"), PAYLOAD_LENGTH, timeoutNs));

        final long elapsedNs = System.nanoTime() - startNs;
        assertEquals(-Errno.ETIMEDOUT, result, () -> Errno.describe((int)result));
        assertTrue(elapsedNs >= timeoutNs, "waited the whole timeout: " + elapsedNs + " ns");
        assertTrue(elapsedNs < timeoutNs + TimeUnit.SECONDS.toNanos(2), "and not much longer: " + elapsedNs + " ns");
        assertTrue(world.guest().engine().counters().arpRequestsSent.get() >= 1, "the guest asked who has it");
    }

    @Test
    void secondPingOnTheSameSlotAfterATimeoutGetsItsOwnAnswer()
    {
        final long timedOut = assertTimeoutPreemptively(TEST_LIMIT,
            () -> client.ping(slot, Ipv4Text.parse("10.0.2.77"), PAYLOAD_LENGTH, TimeUnit.MILLISECONDS.toNanos(100)));
        assertEquals(-Errno.ETIMEDOUT, timedOut);

        final long rttNs = assertTimeoutPreemptively(TEST_LIMIT,
            () -> client.ping(slot, world.gatewayAddress(), PAYLOAD_LENGTH, TimeUnit.SECONDS.toNanos(2)));

        assertTrue(rttNs > 0, () -> Errno.describe((int)rttNs) + "\n" + world.diagnostics());
    }

    @Test
    void matchedEchoReplyIsCounted()
    {
        final long rttNs = assertTimeoutPreemptively(TEST_LIMIT,
            () -> client.ping(slot, world.gatewayAddress(), PAYLOAD_LENGTH, TimeUnit.SECONDS.toNanos(2)));

        assertTrue(rttNs > 0, () -> Errno.describe((int)rttNs));
        assertEquals(1, world.guest().engine().counters().pingRepliesMatched.get(), world::diagnostics);
    }

    private void awaitOrFail(final BooleanSupplier condition, final String what)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs >= 0)
            {
                throw new AssertionError(what + "\n" + world.diagnostics());
            }
            Thread.yield();
        }
    }
}
