package io.ringstack.drivers.link;

import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link PacketLink} on one end of a veth pair whose other end the Linux kernel holds in a network namespace of
 * the test's own: ARP requests written into the socket are answered by the kernel; deleting the pair under a
 * running link is one counted link down; and opening fails with one line that says why. Skipped, saying what is
 * missing, without root or {@code ip}.
 */
class PacketLinkTest
{
    private static final long DEADLINE_NS = 5_000_000_000L;

    private final CountersManager counters = TapLinkTest.inMemoryCounters();

    @BeforeEach
    void needsRoot()
    {
        TapNamespace.assumeAvailable();
    }

    @Test
    void theKernelAnswersArpAcrossTheVethAndEveryFrameIsCounted()
    {
        final String outside = TapNamespace.tapName("po");
        try (TapNamespace namespace = TapNamespace.create("p"))
        {
            namespace.vethPair(outside, TapNamespace.tapName("pi"), TapLinkTest.KERNEL_PREFIX);
            try (PacketLink link = PacketLink.open(outside, counters, "test.packet:" + outside))
            {
                final TapLinkTest.ArpReplies replies = new TapLinkTest.ArpReplies();
                final long deadlineNs = System.nanoTime() + DEADLINE_NS;
                int sent = 0;
                while (replies.count < 3 && System.nanoTime() - deadlineNs < 0)
                {
                    if (sent < 3)
                    {
                        assertTrue(link.send(TapLinkTest.arpRequest(), 0, TapLinkTest.ARP_FRAME_LENGTH));
                        sent++;
                    }
                    link.poll(replies, 16);
                }
                assertEquals(3, replies.count, "ARP replies from the kernel within 5 s");
                assertEquals(3, link.counters().txFrames.get());
                assertTrue(link.counters().rxFrames.get() >= 3, "every frame read is counted");
                assertTrue(link.counters().rxEagain.get() > 0, "a read that finds nothing is counted as EAGAIN");
                link.readKernelDrops();
                assertEquals(0, link.kernelDrops(), "the kernel dropped nothing for a socket that keeps up");
                assertEquals(0, link.counters().errors.get() + link.counters().down.get());
            }
        }
    }

    @Test
    void deletingTheInterfaceUnderARunningLinkIsOneCountedLinkDown()
    {
        final String outside = TapNamespace.tapName("do");
        try (TapNamespace namespace = TapNamespace.create("pd"))
        {
            final String inside = TapNamespace.tapName("di");
            namespace.vethPair(outside, inside, TapLinkTest.KERNEL_PREFIX);
            try (PacketLink link = PacketLink.open(outside, counters, "test.packet:" + outside))
            {
                final TapLinkTest.ArpReplies replies = new TapLinkTest.ArpReplies();
                link.poll(replies, 16);
                assertTrue(link.isUp());

                namespace.run("ip", "link", "del", inside);

                final long deadlineNs = System.nanoTime() + DEADLINE_NS;
                while (link.isUp() && System.nanoTime() - deadlineNs < 0)
                {
                    link.poll(replies, 16);
                    link.send(TapLinkTest.arpRequest(), 0, TapLinkTest.ARP_FRAME_LENGTH);
                }
                assertFalse(link.isUp(), "the link is down within 5 s of the interface going");
                assertFalse(link.send(TapLinkTest.arpRequest(), 0, TapLinkTest.ARP_FRAME_LENGTH));
                assertEquals(0, link.poll(replies, 16));
                assertEquals(1, link.counters().down.get(), "the link went down once");
                assertEquals(0, link.counters().errors.get());
            }
        }
    }

    @Test
    void aMissingInterfaceIsRefusedInOneLine()
    {
        final UncheckedIOException error = assertThrows(UncheckedIOException.class,
            () -> PacketLink.open("rsnone0", counters, "test.packet:rsnone0"));
        assertEquals("cannot open packet link rsnone0: no interface rsnone0 (ip link shows them)", error.getMessage());
    }

    @Test
    void anInterfaceThatIsDownIsRefusedInOneLine()
    {
        final String outside = TapNamespace.tapName("wo");
        try (TapNamespace namespace = TapNamespace.create("pw"))
        {
            namespace.vethPair(outside, TapNamespace.tapName("wi"), TapLinkTest.KERNEL_PREFIX);
            TapNamespace.root("ip", "link", "set", outside, "down");
            final UncheckedIOException error = assertThrows(UncheckedIOException.class,
                () -> PacketLink.open(outside, counters, "test.packet:" + outside));
            assertEquals("cannot open packet link " + outside + ": interface " + outside + " is down (ip link set " +
                outside + " up)", error.getMessage());
        }
    }
}
