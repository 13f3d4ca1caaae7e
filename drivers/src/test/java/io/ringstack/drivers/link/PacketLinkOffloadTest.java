package io.ringstack.drivers.link;

import io.ringstack.phy.FrameHandler;
import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.InternetChecksum;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.TcpSegment;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link PacketLink} opened with offload ({@code PACKET_VNET_HDR}) on a TAP interface, the way {@code ringstack
 * relay} reaches an engine's TAP: a TCP segment of 20,000 bytes that a {@link TapLink} hands the kernel whole reaches
 * the packet socket whole, and the link cuts it into the 14 frames a wire would carry, each with its own valid IPv4
 * and TCP checksums, sequence number and payload, or, for a reader that takes such segments, hands it on whole with
 * its checksum finished; a segment the packet link sends the other way leaves whole and reaches the TAP as the same
 * 14 frames. Through the {@code PACKET_MMAP} rings and with a system call per frame ({@code rings=off}). Skipped,
 * saying what is missing, without root, {@code /dev/net/tun} or {@code ip}.
 */
class PacketLinkOffloadTest
{
    private static final int SEGMENT_BYTES = 20_000;
    private static final int SEGMENT_SIZE = 1460;
    private static final int PIECES = (SEGMENT_BYTES + SEGMENT_SIZE - 1) / SEGMENT_SIZE;
    private static final int FIRST_SEQUENCE = 1_000_000;
    private static final long DEADLINE_NS = 5_000_000_000L;

    private final CountersManager counters = TapLinkTest.inMemoryCounters();
    private final UnsafeBuffer segment = TapLinkTest.tcpSegment(SEGMENT_BYTES, FIRST_SEQUENCE);

    @BeforeEach
    void needsRootAndTun()
    {
        TapNamespace.assumeAvailable();
    }

    @ParameterizedTest(name = "ring frames {0}")
    @ValueSource(ints = {PacketLink.RING_FRAMES, 0})
    void aSegmentTheTapTakesWholeIsCutIntoTheFramesAWireCarries(final int ringFrames)
    {
        onTapAndPacketLink("oc", ringFrames, (tap, link) ->
        {
            assertTrue(tap.sendSegmented(segment, 0, segment.capacity(), SEGMENT_SIZE));
            final List<byte[]> frames = receive(link, PIECES);

            assertCutAsAWire(frames);
            assertEquals(1, link.counters().rxSegmentOffload.get());
            assertEquals(0, link.counters().rxOffloadRefused.get());
            assertEquals((ringFrames == 0 ? "a read(2) or write(2) per frame: rings=off" :
                "PACKET_MMAP rings of " + ringFrames / 4 + " frames each way") +
                ", virtio-net header for TCP segmentation offload", link.path(),
                "with rings, a quarter as many slots, each holding a whole segment");
        });
    }

    @ParameterizedTest(name = "ring frames {0}")
    @ValueSource(ints = {PacketLink.RING_FRAMES, 0})
    void aReaderThatTakesWholeSegmentsGetsOneFrameWithItsChecksumFinished(final int ringFrames)
    {
        onTapAndPacketLink("ow", ringFrames, (tap, link) ->
        {
            assertTrue(link.receiveSegments(true));
            assertTrue(tap.sendSegmented(segment, 0, segment.capacity(), SEGMENT_SIZE));
            final List<byte[]> frames = receive(link, 1);

            assertEquals(1, frames.size());
            final UnsafeBuffer whole = new UnsafeBuffer(frames.get(0));
            assertEquals(segment.capacity(), whole.capacity());
            assertTcpChecksumValid(whole);
            assertEquals(1, link.counters().rxChecksumFinished.get());
        });
    }

    @ParameterizedTest(name = "ring frames {0}")
    @ValueSource(ints = {PacketLink.RING_FRAMES, 0})
    void aSegmentThePacketLinkSendsLeavesWholeAndReachesTheTapCut(final int ringFrames)
    {
        onTapAndPacketLink("os", ringFrames, (tap, link) ->
        {
            final int headers = EthernetFrame.HEADER_LENGTH + Ipv4Packet.HEADER_LENGTH + TcpSegment.HEADER_LENGTH;
            assertEquals(0xFFFF, link.segmentOffloadBytes());
            assertTrue(link.send(segment, 0, headers), "a frame through the ring before the segment");
            assertTrue(link.sendSegmented(segment, 0, segment.capacity(), SEGMENT_SIZE));
            link.flush();
            final List<byte[]> frames = receive(tap, PIECES + 1);

            assertEquals(headers, frames.remove(0).length, "the frame sent first arrives first");
            assertCutAsAWire(frames);
            assertEquals(2, link.counters().txFrames.get());
        });
    }

    /**
     * A segment handed over in two pieces off the heap, its headers in one buffer and its payload in another (as the
     * E1000 model hands on a segment from guest memory), is the same segment on the other side: from the TAP (one
     * {@code writev(2)} of three iovecs) and from the packet link (into its ring, or with {@code writev(2)}).
     */
    @ParameterizedTest(name = "ring frames {0}")
    @ValueSource(ints = {PacketLink.RING_FRAMES, 0})
    void aSegmentSentInTwoPiecesArrivesAsTheSameFramesBothWays(final int ringFrames)
    {
        onTapAndPacketLink("og", ringFrames, (tap, link) ->
        {
            final int headers = EthernetFrame.HEADER_LENGTH + Ipv4Packet.HEADER_LENGTH + TcpSegment.HEADER_LENGTH;
            final UnsafeBuffer head = new UnsafeBuffer(ByteBuffer.allocateDirect(headers));
            final UnsafeBuffer payload = new UnsafeBuffer(ByteBuffer.allocateDirect(segment.capacity() - headers));
            head.putBytes(0, segment, 0, headers);
            payload.putBytes(0, segment, headers, payload.capacity());

            assertTrue(tap.sendSegmented(head, 0, headers, payload, 0, payload.capacity(), SEGMENT_SIZE));
            assertCutAsAWire(receive(link, PIECES));

            assertTrue(link.sendSegmented(head, 0, headers, payload, 0, payload.capacity(), SEGMENT_SIZE));
            link.flush();
            assertCutAsAWire(receive(tap, PIECES));
        });
    }

    /**
     * Run {@code test} on a TAP with offload that cuts the segments it reads, and a packet link with offload on the
     * same interface, up, with rings of {@code ringFrames}.
     */
    private void onTapAndPacketLink(final String tag, final int ringFrames, final BiConsumer<TapLink, PacketLink> test)
    {
        final String name = TapNamespace.tapName(tag);
        try (TapLink tap = TapLink.open(name, counters, "test.tap:" + name, true, false))
        {
            TapNamespace.root("sysctl", "-q", "-w", "net.ipv6.conf." + name + ".disable_ipv6=1");
            TapNamespace.root("ip", "link", "set", name, "up");
            try (PacketLink link = PacketLink.open(name, counters, "test.packet:" + name, ringFrames, true))
            {
                test.accept(tap, link);
            }
        }
    }

    private void assertCutAsAWire(final List<byte[]> frames)
    {
        assertEquals(PIECES, frames.size(), "frames of at most " + SEGMENT_SIZE + " payload bytes");
        final ByteArrayOutputStream payload = new ByteArrayOutputStream();
        final int headers = EthernetFrame.HEADER_LENGTH + Ipv4Packet.HEADER_LENGTH + TcpSegment.HEADER_LENGTH;
        for (final byte[] bytes : frames)
        {
            final UnsafeBuffer frame = new UnsafeBuffer(bytes);
            assertEquals(0, InternetChecksum.compute(frame, EthernetFrame.HEADER_LENGTH, Ipv4Packet.HEADER_LENGTH),
                "IPv4 header checksum");
            assertEquals(bytes.length - EthernetFrame.HEADER_LENGTH,
                frame.getShort(EthernetFrame.HEADER_LENGTH + Ipv4Packet.TOTAL_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN));
            assertTcpChecksumValid(frame);
            assertEquals(FIRST_SEQUENCE + payload.size(), frame.getInt(
                EthernetFrame.HEADER_LENGTH + Ipv4Packet.HEADER_LENGTH + TcpSegment.SEQUENCE_NUMBER_OFFSET,
                ByteOrder.BIG_ENDIAN), "sequence number");
            payload.write(bytes, headers, bytes.length - headers);
        }
        final byte[] expected = new byte[SEGMENT_BYTES];
        segment.getBytes(headers, expected);
        assertArrayEquals(expected, payload.toByteArray(), "the payload, in order");
    }

    private static void assertTcpChecksumValid(final DirectBuffer frame)
    {
        final int ip = EthernetFrame.HEADER_LENGTH;
        final int tcpLength = frame.capacity() - ip - Ipv4Packet.HEADER_LENGTH;
        final long pseudo = InternetChecksum.pseudoHeaderSum(
            frame.getInt(ip + Ipv4Packet.SOURCE_OFFSET, ByteOrder.BIG_ENDIAN),
            frame.getInt(ip + Ipv4Packet.DESTINATION_OFFSET, ByteOrder.BIG_ENDIAN), Ipv4Packet.PROTOCOL_TCP,
            tcpLength);
        assertEquals(0, InternetChecksum.fold(
            InternetChecksum.sum(frame, ip + Ipv4Packet.HEADER_LENGTH, tcpLength, pseudo)), "TCP checksum");
    }

    /**
     * @return copies of the first {@code count} IPv4 TCP frames the link hands on within the deadline.
     */
    private static List<byte[]> receive(final DescriptorLink link, final int count)
    {
        final List<byte[]> frames = new ArrayList<>();
        final FrameHandler tcpFrames = (buffer, offset, length) ->
        {
            if (length > EthernetFrame.HEADER_LENGTH + Ipv4Packet.HEADER_LENGTH &&
                (buffer.getShort(offset + EthernetFrame.ETHER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF) ==
                EthernetFrame.ETHER_TYPE_IPV4 &&
                buffer.getByte(offset + EthernetFrame.HEADER_LENGTH + Ipv4Packet.PROTOCOL_OFFSET) ==
                Ipv4Packet.PROTOCOL_TCP)
            {
                final byte[] copy = new byte[length];
                buffer.getBytes(offset, copy);
                frames.add(copy);
            }
        };
        final long deadlineNs = System.nanoTime() + DEADLINE_NS;
        while (frames.size() < count && System.nanoTime() - deadlineNs < 0)
        {
            link.poll(tcpFrames, 64);
        }
        return frames;
    }
}
