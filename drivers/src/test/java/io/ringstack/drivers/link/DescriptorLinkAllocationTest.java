package io.ringstack.drivers.link;

import io.ringstack.testkit.AllocationMeter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writing frames into a TAP or a packet socket on a veth and reading what the kernel answers allocates nothing on
 * the heap: the test thread sends ARP requests through a {@link TapLink} or a {@link PacketLink} (through its
 * {@code PACKET_MMAP} rings, and with {@code rings=off} a system call per frame) and polls the kernel's replies
 * (through a TAP or a packet link with offload, behind a virtio-net header, with a TCP segment of 20 KB for the
 * kernel to cut after each burst), and an {@link AllocationMeter} reads its allocated bytes around 50,000 requests
 * against a baseline of the measurement alone, once the JIT has settled. Skipped, saying what is missing, without
 * root, {@code /dev/net/tun} or {@code ip}.
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

    /** Payload of the TCP segment a TAP with offload is given to cut, and the size of each piece. */
    private static final int SEGMENT_BYTES = 20_000;
    private static final int SEGMENT_SIZE = 1460;

    private final UnsafeBuffer request = TapLinkTest.arpRequest();
    private final UnsafeBuffer segment = TapLinkTest.tcpSegment(SEGMENT_BYTES, 1);
    private final TapLinkTest.ArpReplies replies = new TapLinkTest.ArpReplies();
    private DescriptorLink link;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tap", "tap-offload", "packet", "packet-rings=off", "packet-offload"})
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

            final long segments = link.segmentOffloadBytes() == 0 ? 0 : MEASURED_FRAMES / BURST;
            assertEquals((MEASURED_FRAMES + segments) * measurement.runs(),
                link.counters().txFrames.get() - sentBefore);
            assertTrue(replies.count > 0, "the kernel answered");
            assertEquals(0, measurement.workBytes(), () -> "heap bytes allocated sending " + MEASURED_FRAMES +
                " frames into a " + kind + " link and polling the answers: " + measurement.workBytes() +
                " (JIT compiled for " + measurement.jitMillis() + " ms meanwhile)");
            assertEquals(0, link.counters().errors.get() + link.counters().down.get());
        }
    }

    private static DescriptorLink open(final String kind, final String name, final TapNamespace namespace)
    {
        if (kind.startsWith("tap"))
        {
            final TapLink tap =
                TapLink.open(name, TapLinkTest.inMemoryCounters(), "test.tap:" + name, kind.endsWith("offload"));
            namespace.adopt(name, TapLinkTest.KERNEL_PREFIX);
            return tap;
        }
        namespace.vethPair(name, TapNamespace.tapName("mi"), TapLinkTest.KERNEL_PREFIX);
        return PacketLink.open(name, TapLinkTest.inMemoryCounters(), "test.packet:" + name,
            kind.endsWith("rings=off") ? 0 : PacketLink.RING_FRAMES, kind.endsWith("offload"));
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
            if (link.segmentOffloadBytes() != 0 && !link.sendSegmented(segment, 0, segment.capacity(), SEGMENT_SIZE))
            {
                throw new AssertionError("the link refused a segment to cut");
            }
            link.poll(replies, BURST);
        }
    }
}
