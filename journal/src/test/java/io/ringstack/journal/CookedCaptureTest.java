package io.ringstack.journal;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Linux cooked captures (tcpdump's {@code LINKTYPE_LINUX_SLL} and {@code LINKTYPE_LINUX_SLL2} headers) become the
 * Ethernet frames the captured host received: the same bytes a capture on its Ethernet interface would hold, what it
 * sent skipped, and the imported journal replays identical.
 */
class CookedCaptureTest
{
    private static final int ARPHRD_ETHER = 1;
    private static final int TO_HOST = 0;
    private static final int BROADCAST = 1;
    private static final int OUTGOING = 4;

    @TempDir
    Path directory;

    @Test
    void anSllBroadcastArpRequestBecomesTheEthernetBroadcastThePeerSent()
    {
        final byte[] arp = PeerFrames.bytes(PeerFrames.arpRequest());

        assertArrayEquals(arp, ethernet(CookedCapture.LINKTYPE_LINUX_SLL, sll(BROADCAST, arp)));
    }

    @Test
    void anSll2EchoRequestToTheHostBecomesTheFrameAddressedToItsMac()
    {
        final byte[] echo = PeerFrames.bytes(PeerFrames.echoRequest(1, 1));

        assertArrayEquals(echo, ethernet(CookedCapture.LINKTYPE_LINUX_SLL2, sll2(TO_HOST, echo)));
    }

    @Test
    void aPacketShorterThanItsCookedHeaderIsMalformed()
    {
        final UnsafeBuffer packet = new UnsafeBuffer(new byte[19]);

        assertEquals(CookedCapture.MALFORMED,
            CookedCapture.packetType(CookedCapture.LINKTYPE_LINUX_SLL2, packet, 0, packet.capacity()));
        assertEquals(CookedCapture.MALFORMED, CookedCapture.toEthernet(CookedCapture.LINKTYPE_LINUX_SLL2, packet, 0,
            packet.capacity(), PeerFrames.ENGINE_MAC, new UnsafeBuffer(new byte[64])));
    }

    @Test
    void anSll2CaptureImportsWhatTheHostReceivedAndReplaysIdentical() throws IOException
    {
        final byte[] arp = PeerFrames.bytes(PeerFrames.arpRequest());
        final byte[] echo = PeerFrames.bytes(PeerFrames.echoRequest(1, 1));
        final Path capture = directory.resolve("any.pcap");
        Files.write(capture, ClassicPcap.of(ByteOrder.LITTLE_ENDIAN, PcapFormat.PCAP_MAGIC_MICROSECONDS,
            CookedCapture.LINKTYPE_LINUX_SLL2, List.of(sll2(BROADCAST, arp), sll2(TO_HOST, echo),
            sll2(OUTGOING, echo)), 1_700_000_000_000_000_000L, 1_000_000L));

        final CaptureImport.Result result = CaptureImport.run(capture, directory.resolve("journal"),
            new CaptureImport.Settings(null, null, null), ProgressListener.NONE);

        assertEquals(List.of(3L, 2L, 1L, 0L, 0L), List.of(result.packets(), result.imported(),
            result.skippedOutbound(), result.skippedTruncated(), result.skippedNotEthernet()));
        final ReplayReport replay = Replayer.replay(directory.resolve("journal"), null);
        assertTrue(replay.identical(), replay.summary());
        assertEquals(2, replay.deviceFrames());
    }

    private static byte[] ethernet(final int linkType, final byte[] packet)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[2048]);
        final int length = CookedCapture.toEthernet(
            linkType, new UnsafeBuffer(packet), 0, packet.length, PeerFrames.ENGINE_MAC, frame);
        assertTrue(length > 0, "converted");
        final byte[] bytes = new byte[length];
        frame.getBytes(0, bytes);
        return bytes;
    }

    /**
     * The SLL packet of an Ethernet frame: its source as the 6-byte address, its ethertype as the protocol.
     */
    private static byte[] sll(final int packetType, final byte[] frame)
    {
        final ByteBuffer packet = ByteBuffer.allocate(16 + frame.length - 14);
        packet.putShort((short)packetType).putShort((short)ARPHRD_ETHER).putShort((short)6)
            .put(frame, 6, 6).putShort((short)0).put(frame, 12, 2).put(frame, 14, frame.length - 14);
        return packet.array();
    }

    /**
     * The SLL2 packet of an Ethernet frame, interface index 2.
     */
    private static byte[] sll2(final int packetType, final byte[] frame)
    {
        final ByteBuffer packet = ByteBuffer.allocate(20 + frame.length - 14);
        packet.put(frame, 12, 2).putShort((short)0).putInt(2).putShort((short)ARPHRD_ETHER).put((byte)packetType)
            .put((byte)6).put(frame, 6, 6).putShort((short)0).put(frame, 14, frame.length - 14);
        return packet.array();
    }
}
