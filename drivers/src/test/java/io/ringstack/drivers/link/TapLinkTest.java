package io.ringstack.drivers.link;

import io.ringstack.phy.FrameHandler;
import io.ringstack.wire.ArpPacket;
import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.TcpSegment;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.Ipv4Text;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link TapLink} against the Linux kernel: ARP requests written into a TAP are answered by the kernel on its
 * side, in a network namespace of the test's own; the interface deleted under a running link is a counted link
 * down; and opening fails with one line that says why. Skipped, saying what is missing, without root,
 * {@code /dev/net/tun} or {@code ip}.
 */
class TapLinkTest
{
    static final long LINK_MAC = 0x5254_00AA_BB01L;
    static final int LINK_ADDRESS = Ipv4Text.parse("10.0.9.2");
    static final int KERNEL_ADDRESS = Ipv4Text.parse("10.0.9.1");
    static final String KERNEL_PREFIX = "10.0.9.1/24";
    static final int ARP_FRAME_LENGTH = EthernetFrame.HEADER_LENGTH + ArpPacket.LENGTH;
    private static final long DEADLINE_NS = 5_000_000_000L;

    private final CountersManager counters = inMemoryCounters();

    @BeforeEach
    void needsRootAndTun()
    {
        TapNamespace.assumeAvailable();
    }

    @Test
    void theKernelAnswersArpThroughTheTapAndEveryFrameIsCounted()
    {
        final String tap = TapNamespace.tapName("a");
        try (TapLink link = TapLink.open(tap, counters, "test.tap:" + tap);
            TapNamespace namespace = TapNamespace.create("a"))
        {
            namespace.adopt(tap, KERNEL_PREFIX);
            final UnsafeBuffer request = arpRequest();
            final ArpReplies replies = new ArpReplies();
            final long deadlineNs = System.nanoTime() + DEADLINE_NS;
            int sent = 0;
            while (replies.count < 3 && System.nanoTime() - deadlineNs < 0)
            {
                if (sent < 3)
                {
                    assertTrue(link.send(request, 0, ARP_FRAME_LENGTH), "the TAP takes an ARP request");
                    sent++;
                }
                link.poll(replies, 16);
            }
            assertEquals(3, replies.count, "ARP replies from " + Ipv4Text.format(KERNEL_ADDRESS) + " within 5 s");
            assertEquals(3, link.counters().txFrames.get());
            assertTrue(link.counters().rxFrames.get() >= 3, "every frame read is counted");
            assertTrue(link.counters().rxEagain.get() > 0, "a read that finds nothing is counted as EAGAIN");
            assertEquals(0, link.counters().errors.get() + link.counters().down.get());
        }
    }

    @Test
    void deletingTheInterfaceUnderARunningLinkIsOneCountedLinkDown()
    {
        final String tap = TapNamespace.tapName("d");
        try (TapLink link = TapLink.open(tap, counters, "test.tap:" + tap);
            TapNamespace namespace = TapNamespace.create("d"))
        {
            namespace.adopt(tap, KERNEL_PREFIX);
            final ArpReplies replies = new ArpReplies();
            link.poll(replies, 16);
            assertTrue(link.isUp());

            namespace.run("ip", "link", "del", tap);

            assertEquals(0, link.poll(replies, 16), "nothing arrives from a deleted interface");
            assertFalse(link.send(arpRequest(), 0, ARP_FRAME_LENGTH), "nothing goes out on it");
            assertEquals(0, link.poll(replies, 16));
            assertFalse(link.isUp());
            assertEquals(1, link.counters().down.get(), "the link went down once");
            assertEquals(0, link.counters().errors.get());
        }
    }

    @Test
    void anInterfaceThatIsNoTapIsRefusedInOneLine()
    {
        final UncheckedIOException error =
            assertThrows(UncheckedIOException.class, () -> TapLink.open("lo", counters, "test.tap:lo"));
        assertEquals("cannot open TAP link lo: interface lo exists but is not a TAP without packet information " +
            "(ip tuntap add dev lo mode tap makes one)", error.getMessage());
    }

    @Test
    void aTapAnotherDescriptorHoldsIsBusy()
    {
        final String tap = TapNamespace.tapName("b");
        try (TapLink ignored = TapLink.open(tap, counters, "test.tap:" + tap))
        {
            final UncheckedIOException error =
                assertThrows(UncheckedIOException.class, () -> TapLink.open(tap, counters, "test.tap2:" + tap));
            assertEquals("cannot open TAP link " + tap + ": interface " + tap +
                " is busy: another process or link has it open", error.getMessage());
        }
    }

    static UnsafeBuffer arpRequest()
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[ARP_FRAME_LENGTH]);
        final int arp = EthernetFrame.writeHeader(
            frame, 0, EthernetFrame.BROADCAST, LINK_MAC, EthernetFrame.ETHER_TYPE_ARP);
        ArpPacket.write(frame, arp, ArpPacket.OPERATION_REQUEST, LINK_MAC, LINK_ADDRESS, 0, KERNEL_ADDRESS);
        return frame;
    }

    /**
     * An IPv4 TCP segment of {@code payloadBytes} (each byte its offset modulo 251) from the test's address to the
     * kernel's, broadcast, its checksum field holding the pseudo-header's sum, as an engine hands one to a link with
     * segmentation offload to cut. A kernel that takes it checks its virtio-net header (a header it refuses fails the
     * write), then drops it.
     */
    static UnsafeBuffer tcpSegment(final int payloadBytes, final int sequence)
    {
        final int tcpLength = TcpSegment.HEADER_LENGTH + payloadBytes;
        final UnsafeBuffer frame = new UnsafeBuffer(
            new byte[EthernetFrame.HEADER_LENGTH + Ipv4Packet.HEADER_LENGTH + tcpLength]);
        final int ip = EthernetFrame.writeHeader(frame, 0, EthernetFrame.BROADCAST, LINK_MAC,
            EthernetFrame.ETHER_TYPE_IPV4);
        final int tcp = Ipv4Packet.writeHeader(frame, ip, tcpLength, 1, 64, Ipv4Packet.PROTOCOL_TCP, LINK_ADDRESS,
            KERNEL_ADDRESS);
        TcpSegment.writeHeader(frame, tcp, 40000, 9, sequence, 0, TcpSegment.HEADER_LENGTH, TcpSegment.FLAG_ACK, 1000);
        for (int i = 0; i < payloadBytes; i++)
        {
            frame.putByte(tcp + TcpSegment.HEADER_LENGTH + i, (byte)(i % 251));
        }
        TcpSegment.writePseudoHeaderChecksum(frame, tcp, tcpLength, LINK_ADDRESS, KERNEL_ADDRESS);
        return frame;
    }

    static CountersManager inMemoryCounters()
    {
        return new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(64 * CountersReader.METADATA_LENGTH)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(64 * CountersReader.COUNTER_LENGTH)));
    }

    /**
     * Counts the ARP replies from the kernel's address among whatever the kernel sends out of the TAP.
     */
    static final class ArpReplies implements FrameHandler
    {
        long count;

        public void onFrame(final DirectBuffer buffer, final int offset, final int length)
        {
            if (length >= ARP_FRAME_LENGTH &&
                (buffer.getShort(offset + EthernetFrame.ETHER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF) ==
                EthernetFrame.ETHER_TYPE_ARP &&
                buffer.getShort(offset + EthernetFrame.HEADER_LENGTH + ArpPacket.OPERATION_OFFSET,
                    ByteOrder.BIG_ENDIAN) == ArpPacket.OPERATION_REPLY &&
                buffer.getInt(offset + EthernetFrame.HEADER_LENGTH + ArpPacket.SENDER_ADDRESS_OFFSET,
                    ByteOrder.BIG_ENDIAN) == KERNEL_ADDRESS)
            {
                count++;
            }
        }
    }
}
