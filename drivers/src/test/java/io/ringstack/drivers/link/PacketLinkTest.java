package io.ringstack.drivers.link;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link PacketLink} on one end of a veth pair whose other end the Linux kernel holds in a network namespace of
 * the test's own: ARP requests sent into the socket are answered by the kernel, through the {@code PACKET_MMAP}
 * rings, through a {@code read(2)} and {@code write(2)} per frame with {@code rings=off}, and through those too
 * when the kernel refuses the rings; a burst larger than the rings is counted, each frame read, dropped by the
 * kernel or refused; a frame the kernel will not send is counted and the frames behind it still go; deleting the
 * pair under a running link, even one that only receives, is one counted link down; and opening fails with one line
 * that says why. Skipped, saying what is missing, without root or {@code ip}.
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

    /**
     * With rings, with {@code rings=off}, and with rings of 2 GiB, which the kernel refuses at once (its array of
     * 2^25 blocks is past what it allocates in one piece), so the link reads and writes each frame.
     */
    @ParameterizedTest(name = "ring frames {0}")
    @ValueSource(ints = {PacketLink.RING_FRAMES, 0, 1 << 30})
    void theKernelAnswersArpAcrossTheVethAndEveryFrameIsCounted(final int ringFrames)
    {
        final String outside = TapNamespace.tapName("po");
        try (TapNamespace namespace = TapNamespace.create("p"))
        {
            namespace.vethPair(outside, TapNamespace.tapName("pi"), TapLinkTest.KERNEL_PREFIX);
            try (PacketLink link = PacketLink.open(outside, counters, "test.packet:" + outside, ringFrames, false))
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
                final boolean rings = ringFrames == PacketLink.RING_FRAMES;
                assertEquals(rings ? ringFrames : 0, counter(outside, "link_ring_frames"));
                final String path = rings ? "PACKET_MMAP rings of 2048 frames each way" :
                    ringFrames == 0 ? "a read(2) or write(2) per frame: rings=off" :
                    "a read(2) or write(2) per frame: PACKET_RX_RING refused, errno ";
                assertTrue(link.path().startsWith(path), link.path());
            }
        }
    }

    @Test
    void aBurstLargerThanTheRingsIsCountedNotLostSilently()
    {
        final String outside = TapNamespace.tapName("bo");
        try (TapNamespace namespace = TapNamespace.create("pb"))
        {
            namespace.vethPair(outside, TapNamespace.tapName("bi"), TapLinkTest.KERNEL_PREFIX);
            final int ringFrames = PacketRings.FRAMES_PER_BLOCK;
            try (PacketLink link = PacketLink.open(outside, counters, "test.packet:" + outside, ringFrames, false))
            {
                final UnsafeBuffer request = TapLinkTest.arpRequest();
                final int attempts = 8 * ringFrames;
                for (int i = 0; i < attempts; i++)
                {
                    link.send(request, 0, TapLinkTest.ARP_FRAME_LENGTH);
                }
                link.flush();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300));
                final TapLinkTest.ArpReplies replies = new TapLinkTest.ArpReplies();
                while (link.poll(replies, 16) > 0)
                {
                    assertTrue(replies.count <= ringFrames, "no more replies than the receive ring holds");
                }
                link.readKernelDrops();

                final long sent = link.counters().txFrames.get();
                assertEquals(attempts, sent + link.counters().txEagain.get(), "each frame sent or refused");
                assertTrue(sent >= ringFrames, "a full transmit ring is kicked for room: " + sent);
                assertEquals(ringFrames, replies.count, "the receive ring held the first replies");
                assertEquals(sent, link.counters().rxFrames.get() + link.kernelDrops(),
                    "each reply to a frame sent was read or counted dropped by the kernel");
                assertEquals(0, link.counters().errors.get() + link.counters().down.get());
            }
        }
    }

    @Test
    void aFrameTheKernelWillNotSendIsCountedAndTheFramesBehindItStillGo()
    {
        final String outside = TapNamespace.tapName("fo");
        try (TapNamespace namespace = TapNamespace.create("pf"))
        {
            namespace.vethPair(outside, TapNamespace.tapName("fi"), TapLinkTest.KERNEL_PREFIX);
            try (PacketLink link = PacketLink.open(outside, counters, "test.packet:" + outside))
            {
                final UnsafeBuffer longerThanTheMtu = new UnsafeBuffer(new byte[1600]);
                longerThanTheMtu.putBytes(0, TapLinkTest.arpRequest(), 0, TapLinkTest.ARP_FRAME_LENGTH);
                assertTrue(link.send(longerThanTheMtu, 0, longerThanTheMtu.capacity()), "the ring takes it");
                assertTrue(link.send(TapLinkTest.arpRequest(), 0, TapLinkTest.ARP_FRAME_LENGTH));
                assertFalse(link.send(new UnsafeBuffer(new byte[4096]), 0, 4096), "longer than a slot");

                final TapLinkTest.ArpReplies replies = new TapLinkTest.ArpReplies();
                final long deadlineNs = System.nanoTime() + DEADLINE_NS;
                while (replies.count < 1 && System.nanoTime() - deadlineNs < 0)
                {
                    link.poll(replies, 16);
                }
                assertEquals(1, replies.count, "the request behind the refused frame is answered");
                assertEquals(2, counter(outside, "link_tx_wrong_format"), "the kernel's refusal and the link's");
                assertTrue(link.send(TapLinkTest.arpRequest(), 0, TapLinkTest.ARP_FRAME_LENGTH));
                while (replies.count < 2 && System.nanoTime() - deadlineNs < 0)
                {
                    link.poll(replies, 16);
                }
                assertEquals(2, replies.count, "the ring goes on after the refusal");
                assertEquals(0, link.counters().errors.get() + link.counters().down.get());
            }
        }
    }

    private long counter(final String interfaceName, final String name)
    {
        final String label = "test.packet:" + interfaceName + ": " + name;
        final long[] value = {-1};
        counters.forEach((counterValue, id, counterLabel) ->
        {
            if (counterLabel.equals(label))
            {
                value[0] = counterValue;
            }
        });
        return value[0];
    }

    /**
     * On the rings a link that sends learns it from its next {@code send(2)}, one that only receives from the
     * socket's error; without them from a read or a write.
     */
    @ParameterizedTest(name = "ring frames {0}, sending {1}")
    @CsvSource({"2048, true", "2048, false", "0, true", "0, false"})
    void deletingTheInterfaceUnderARunningLinkIsOneCountedLinkDown(final int ringFrames, final boolean sending)
    {
        final String outside = TapNamespace.tapName("do");
        try (TapNamespace namespace = TapNamespace.create("pd"))
        {
            final String inside = TapNamespace.tapName("di");
            namespace.vethPair(outside, inside, TapLinkTest.KERNEL_PREFIX);
            try (PacketLink link = PacketLink.open(outside, counters, "test.packet:" + outside, ringFrames, false))
            {
                final TapLinkTest.ArpReplies replies = new TapLinkTest.ArpReplies();
                link.poll(replies, 16);
                assertTrue(link.isUp());

                namespace.run("ip", "link", "del", inside);

                final long deadlineNs = System.nanoTime() + DEADLINE_NS;
                while (link.isUp() && System.nanoTime() - deadlineNs < 0)
                {
                    link.poll(replies, 16);
                    if (sending)
                    {
                        link.send(TapLinkTest.arpRequest(), 0, TapLinkTest.ARP_FRAME_LENGTH);
                    }
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
