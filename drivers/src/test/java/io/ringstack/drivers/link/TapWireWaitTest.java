package io.ringstack.drivers.link;

import io.ringstack.phy.WireWait;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wait of a TAP link ({@link DescriptorWireWait}), the kernel on the other side in a network namespace of the
 * test's own: a frame from the kernel ends it long before its timeout, so does a wake from another thread or one that
 * came first, with nothing to read it lasts its timeout, and a deleted interface is not waited on again, so an idle
 * engine on it parks instead of spinning. The bounds on time are deadlines a hang would miss by seconds, and the
 * lower bounds of timeouts the kernel keeps. Skipped, saying what is missing, without root, {@code /dev/net/tun} or
 * {@code ip}.
 */
class TapWireWaitTest
{
    private static final long LONG_WAIT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long EARLY_NS = TimeUnit.SECONDS.toNanos(5);
    private static final long SHORT_WAIT_NS = TimeUnit.MILLISECONDS.toNanos(30);

    private final CountersManager counters = TapLinkTest.inMemoryCounters();

    @BeforeEach
    void needsRootAndTun()
    {
        TapNamespace.assumeAvailable();
    }

    @Test
    void aFrameFromTheKernelEndsTheWaitLongBeforeItsTimeout()
    {
        final String tap = TapNamespace.tapName("w");
        try (TapLink link = TapLink.open(tap, counters, "test.tap:" + tap);
            TapNamespace namespace = TapNamespace.create("w"))
        {
            namespace.adopt(tap, TapLinkTest.KERNEL_PREFIX);
            final WireWait wait = link.wireWait();
            assertNotNull(wait);
            assertSame(wait, link.wireWait(), "one wait per link");
            final TapLinkTest.ArpReplies replies = new TapLinkTest.ArpReplies();
            while (link.poll(replies, 16) > 0)
            {
                replies.count = 0;
            }

            assertTrue(link.send(TapLinkTest.arpRequest(), 0, TapLinkTest.ARP_FRAME_LENGTH));
            final long waitedNs = timed(() -> wait.await(LONG_WAIT_NS));

            assertTrue(waitedNs < EARLY_NS, () -> "the ARP reply ended the wait: " + waitedNs + " ns");
            assertTrue(link.poll(replies, 16) >= 1, "and it is there to read");
        }
    }

    @Test
    void aWakeFromAnotherThreadOrBeforeTheWaitEndsIt() throws Exception
    {
        final String tap = TapNamespace.tapName("k");
        try (TapLink link = TapLink.open(tap, counters, "test.tap:" + tap))
        {
            final WireWait wait = link.wireWait();
            wait.wake();
            assertTrue(timed(() -> wait.await(LONG_WAIT_NS)) < EARLY_NS, "a wake that came first ends the wait");
            assertTrue(timed(() -> wait.await(SHORT_WAIT_NS)) >= SHORT_WAIT_NS, "and is taken by it: the next one " +
                "lasts its timeout, the interface being down");

            final CompletableFuture<Void> waker = CompletableFuture.runAsync(() ->
            {
                sleepMillis(50);
                wait.wake();
            });
            final long waitedNs = timed(() -> wait.await(LONG_WAIT_NS));
            waker.get(EARLY_NS, TimeUnit.NANOSECONDS);
            assertTrue(waitedNs < EARLY_NS, () -> "the wake ended the wait: " + waitedNs + " ns");
        }
    }

    @Test
    void aDeletedInterfaceIsNotWaitedOnAgainSoAnIdleEngineParksInsteadOfSpinning()
    {
        final String tap = TapNamespace.tapName("x");
        try (TapLink link = TapLink.open(tap, counters, "test.tap:" + tap);
            TapNamespace namespace = TapNamespace.create("x"))
        {
            namespace.adopt(tap, TapLinkTest.KERNEL_PREFIX);
            final WireWait wait = link.wireWait();
            namespace.run("ip", "link", "del", tap);

            wait.await(SHORT_WAIT_NS);
            final long waitedNs = timed(() ->
            {
                for (int i = 0; i < 3; i++)
                {
                    wait.await(SHORT_WAIT_NS);
                }
            });

            assertTrue(waitedNs >= 3 * SHORT_WAIT_NS, () -> "three waits of 30 ms after the hang-up took " +
                waitedNs + " ns: the wait spun on a dead descriptor");
        }
    }

    @Test
    void aRelaysWaitOnTwoWiresEndsWithAFrameOnTheSecond()
    {
        final String quiet = TapNamespace.tapName("q");
        final String busy = TapNamespace.tapName("b");
        try (TapLink first = TapLink.open(quiet, counters, "test.tap:" + quiet);
            TapLink second = TapLink.open(busy, counters, "test.tap:" + busy);
            TapNamespace namespace = TapNamespace.create("b"))
        {
            namespace.adopt(busy, TapLinkTest.KERNEL_PREFIX);
            final WireWait wait = first.wireWaitWith(second);
            assertNotNull(wait);
            assertSame(wait, first.wireWaitWith(second), "one wait per pair");
            final TapLinkTest.ArpReplies replies = new TapLinkTest.ArpReplies();
            while (second.poll(replies, 16) > 0)
            {
                replies.count = 0;
            }
            assertTrue(timed(() -> wait.await(SHORT_WAIT_NS)) >= SHORT_WAIT_NS, "nothing to read: its timeout");

            assertTrue(second.send(TapLinkTest.arpRequest(), 0, TapLinkTest.ARP_FRAME_LENGTH));
            final long waitedNs = timed(() -> wait.await(LONG_WAIT_NS));

            assertTrue(waitedNs < EARLY_NS, () -> "the ARP reply on the second wire ended the wait: " + waitedNs +
                " ns");
            assertTrue(second.poll(replies, 16) >= 1, "and it is there to read");
        }
    }

    @Test
    void aClosedLinkHasNoWait()
    {
        final String tap = TapNamespace.tapName("c");
        final TapLink link = TapLink.open(tap, counters, "test.tap:" + tap);
        link.close();

        assertNull(link.wireWait());
        assertNull(link.wireWaitWith(link));
    }

    private static long timed(final Runnable action)
    {
        final long startNs = System.nanoTime();
        action.run();
        return System.nanoTime() - startNs;
    }

    private static void sleepMillis(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
