package io.ringstack.drivers.link;

import io.ringstack.drivers.e1000.TcpFrames;
import io.ringstack.phy.FrameHandler;
import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.TcpSegment;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A TCP segment a TAP hands over whole is cut as Linux's {@code tcp_gso_segment} cuts one: pieces of
 * {@code gso_size} payload bytes behind copies of the headers, the total length, identification, sequence number,
 * flags and both checksums each piece's own, whatever the kernel left in the checksum field; what is not an IPv4 TCP
 * segment that can be cut is left whole.
 */
class TcpSegmentCutterTest
{
    private static final int MSS = 1448;
    private static final int FLAGS = TcpSegment.FLAG_ACK | TcpSegment.FLAG_PSH | TcpSegment.FLAG_FIN |
        TcpSegment.FLAG_CWR;

    private final TcpSegmentCutter cutter = new TcpSegmentCutter();
    private final List<byte[]> pieces = new ArrayList<>();
    private final FrameHandler keep = (buffer, offset, length) -> pieces.add(copy(buffer, offset, length));

    @Test
    void cutsIntoPiecesOfGsoSizeEachWithItsOwnLengthIdentificationSequenceFlagsAndChecksums()
    {
        final int payload = 3 * MSS + 100;
        final int sequence = 0xFFFF_F000;
        final UnsafeBuffer frame = TcpFrames.segment(payload, 0xFFFE, sequence, FLAGS);
        final byte[] original = copy(frame, 0, frame.capacity());

        assertTrue(cutter.begin(frame, 0, frame.capacity(), MSS, 0));
        while (cutter.hasNext())
        {
            cutter.next(keep);
        }

        assertEquals(4, pieces.size());
        for (int k = 0; k < pieces.size(); k++)
        {
            final byte[] piece = pieces.get(k);
            final String what = "piece " + k;
            assertEquals(TcpFrames.HEADERS + (k < 3 ? MSS : 100), piece.length, what);
            TcpFrames.assertChecksummed(piece, what);
            assertEquals((0xFFFE + k) & 0xFFFF, TcpFrames.identification(piece), what);
            assertEquals(sequence + k * MSS, TcpFrames.sequence(piece), what);
            final int expectedFlags = TcpSegment.FLAG_ACK | (k == 0 ? TcpSegment.FLAG_CWR : 0) |
                (k == 3 ? TcpSegment.FLAG_PSH | TcpSegment.FLAG_FIN : 0);
            assertEquals(expectedFlags, TcpFrames.flags(piece), what);
            assertArrayEquals(headersBut(original), headersBut(piece), what + ": the other header fields");
            assertArrayEquals(Arrays.copyOfRange(original, TcpFrames.HEADERS + k * MSS,
                TcpFrames.HEADERS + k * MSS + piece.length - TcpFrames.HEADERS),
                Arrays.copyOfRange(piece, TcpFrames.HEADERS, piece.length), what + ": payload");
        }
    }

    @Test
    void aSegmentOfAtMostGsoSizeGoesOnAsOnePieceChecksummed()
    {
        final UnsafeBuffer frame = TcpFrames.segment(MSS, 7, 1, TcpSegment.FLAG_ACK | TcpSegment.FLAG_PSH);

        assertTrue(cutter.begin(frame, 0, frame.capacity(), MSS, 0));
        while (cutter.hasNext())
        {
            cutter.next(keep);
        }

        assertEquals(1, pieces.size());
        TcpFrames.assertChecksummed(pieces.get(0), "the one piece");
        assertEquals(TcpSegment.FLAG_ACK | TcpSegment.FLAG_PSH, TcpFrames.flags(pieces.get(0)));
    }

    @Test
    void leavesWholeWhatIsNotAnIpv4TcpSegmentWithHeadersShorterThanGsoSize()
    {
        final UnsafeBuffer udp = TcpFrames.segment(4 * MSS, 1, 1, TcpSegment.FLAG_ACK);
        udp.putByte(TcpFrames.IP + Ipv4Packet.PROTOCOL_OFFSET, (byte)Ipv4Packet.PROTOCOL_UDP);
        final UnsafeBuffer ipv6 = TcpFrames.segment(4 * MSS, 1, 1, TcpSegment.FLAG_ACK);
        ipv6.putShort(EthernetFrame.ETHER_TYPE_OFFSET, (short)EthernetFrame.ETHER_TYPE_IPV6, ByteOrder.BIG_ENDIAN);
        final UnsafeBuffer tcp = TcpFrames.segment(4 * MSS, 1, 1, TcpSegment.FLAG_ACK);

        assertFalse(cutter.begin(udp, 0, udp.capacity(), MSS, 0), "UDP");
        assertFalse(cutter.begin(ipv6, 0, ipv6.capacity(), MSS, 0), "IPv6");
        assertFalse(cutter.begin(tcp, 0, TcpFrames.TCP + 10, MSS, 0), "a TCP header past the frame's end");
        assertFalse(cutter.begin(tcp, 0, tcp.capacity(), TcpFrames.HEADERS - 1, 0), "gso_size under the headers");
        assertFalse(cutter.hasNext());
    }

    /**
     * @return the Ethernet header, the IPv4 header's first two bytes and its addresses, the TCP ports, acknowledgment
     * number, data offset, window and urgent pointer: what every piece keeps of the frame's headers.
     */
    private static byte[] headersBut(final byte[] frame)
    {
        final ByteBuffer kept = ByteBuffer.allocate(TcpFrames.HEADERS);
        kept.put(frame, 0, TcpFrames.IP + Ipv4Packet.TOTAL_LENGTH_OFFSET);
        kept.put(frame, TcpFrames.IP + Ipv4Packet.FLAGS_FRAGMENT_OFFSET_OFFSET, 4);
        kept.put(frame, TcpFrames.IP + Ipv4Packet.SOURCE_OFFSET, 8 + TcpSegment.SEQUENCE_NUMBER_OFFSET);
        kept.put(frame, TcpFrames.TCP + TcpSegment.ACKNOWLEDGMENT_NUMBER_OFFSET, 5);
        kept.put(frame, TcpFrames.TCP + TcpSegment.WINDOW_OFFSET, 2);
        kept.put(frame, TcpFrames.TCP + TcpSegment.URGENT_POINTER_OFFSET, 2);
        return Arrays.copyOf(kept.array(), kept.position());
    }

    private static byte[] copy(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }
}
