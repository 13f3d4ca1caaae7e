package io.ringstack.drivers.link;

import io.ringstack.testkit.AllocationMeter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writing frames into a TAP or a packet socket on a veth and reading what the kernel answers allocates nothing on
 * the heap: the test thread sends ARP requests through a {@link TapLink} or a {@link PacketLink} and polls the
 * kernel's replies, and an {@link AllocationMeter} reads its allocated bytes around 50,000 requests against a
 * baseline of the measurement alone, once the JIT has settled. Skipped, saying what is missing, without root,
 * {@code /dev/net/tun} or {@code ip}.
 */
class DescriptorLinkAllocationTest
{
    private static final int BURST = 16;
    private static final int WARMUP_BATCH_FRAMES = 5_000;
    private static final int WARMUP_MAX_BATCHES = 60;
    private static final int WARMUP_QUIET_BATCHES = 3;
    private static final int MEASURED_FRAMES = 50_000;
    /** A measurement the JIT compiled during is repeated: a tier-up on this thread can cost a few hundred bytes. */
    private static final int MEASUREMENT_ATTEMPTS = 5;

    private final UnsafeBuffer request = TapLinkTest.arpRequest();
    private final TapLinkTest.ArpReplies replies = new TapLinkTest.ArpReplies();
    private DescriptorLink link;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tap", "packet"})
    void sendingAndPollingFramesAllocatesNothing(final String kind)
    {
        TapNamespace.assumeAvailable();
        final AllocationMeter meter = AllocationMeter.forCurrentThread();
        final String name = TapNamespace.tapName("m" + kind.charAt(0));
        try (TapNamespace namespace = TapNamespace.create("m");
            DescriptorLink opened = open(kind, name, namespace))
        {
            link = opened;
            meter.warmUp(WARMUP_MAX_BATCHES, WARMUP_QUIET_BATCHES,
                () -> meter.bytesDuring(this::exchange, WARMUP_BATCH_FRAMES) - meter.bytesDuring(this::exchange, 0),
                () -> "");
            final long sentBefore = link.counters().txFrames.get();

            final AllocationMeter.Measurement measurement =
                meter.measure(this::exchange, MEASURED_FRAMES, MEASUREMENT_ATTEMPTS);

            assertEquals((long)MEASURED_FRAMES * measurement.runs(), link.counters().txFrames.get() - sentBefore);
            assertTrue(replies.count > 0, "the kernel answered");
            assertEquals(0, measurement.workBytes(), () -> "heap bytes allocated sending " + MEASURED_FRAMES +
                " frames into a " + kind + " link and polling the answers: " + measurement.workBytes() +
                " (JIT compiled for " + measurement.jitMillis() + " ms meanwhile)");
            assertEquals(0, link.counters().errors.get() + link.counters().down.get());
        }
    }

    private static DescriptorLink open(final String kind, final String name, final TapNamespace namespace)
    {
        if (kind.equals("tap"))
        {
            final TapLink tap = TapLink.open(name, TapLinkTest.inMemoryCounters(), "test.tap:" + name);
            namespace.adopt(name, TapLinkTest.KERNEL_PREFIX);
            return tap;
        }
        namespace.vethPair(name, TapNamespace.tapName("mi"), TapLinkTest.KERNEL_PREFIX);
        return PacketLink.open(name, TapLinkTest.inMemoryCounters(), "test.packet:" + name);
    }

    private void exchange(final int frames)
    {
        for (int sent = 0; sent < frames; sent += BURST)
        {
            for (int i = 0; i < BURST; i++)
            {
                if (!link.send(request, 0, TapLinkTest.ARP_FRAME_LENGTH))
                {
                    throw new AssertionError("the link refused a frame");
                }
            }
            link.poll(replies, BURST);
        }
    }
}
