package io.ringstack.drivers.virtio;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Golden bytes of {@code struct virtio_net_hdr} as VirtIO 1.2 section 5.1.6 lays it out with VERSION_1.
 */
class VirtioNetHeaderTest
{
    @Test
    void layoutIsTheTwelveByteVersion1Header()
    {
        assertEquals(12, VirtioNetHeader.LENGTH);
        assertEquals(0, VirtioNetHeader.FLAGS_OFFSET);
        assertEquals(1, VirtioNetHeader.GSO_TYPE_OFFSET);
        assertEquals(2, VirtioNetHeader.HDR_LEN_OFFSET);
        assertEquals(4, VirtioNetHeader.GSO_SIZE_OFFSET);
        assertEquals(6, VirtioNetHeader.CSUM_START_OFFSET);
        assertEquals(8, VirtioNetHeader.CSUM_OFFSET_OFFSET);
        assertEquals(10, VirtioNetHeader.NUM_BUFFERS_OFFSET);
    }

    @Test
    void writesNoOffloadAndALittleEndianBufferCountOverWhateverWasThere()
    {
        final byte[] bytes = new byte[14];
        Arrays.fill(bytes, (byte)0x5A);

        VirtioNetHeader.write(new UnsafeBuffer(bytes), 1, 0x0102);

        assertArrayEquals(new byte[]{ 0x5A, 0, VirtioNetHeader.GSO_NONE, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x01, 0x5A },
            bytes);
    }

    /**
     * What Linux's {@code virtio_net_hdr_from_skb} writes for a TSO segment of IPv4 TCP with timestamps behind
     * Ethernet: NEEDS_CSUM, GSO_TCPV4, hdr_len 66 (14 + 20 + 32), gso_size 1448, csum_start 34, csum_offset 16.
     */
    @Test
    void writesATcpSegmentationOffloadOfIpv4WithTimestamps()
    {
        final byte[] bytes = new byte[14];
        Arrays.fill(bytes, (byte)0x5A);

        VirtioNetHeader.writeTcpSegmentation(new UnsafeBuffer(bytes), 1, 66, 1448, 34);

        assertArrayEquals(new byte[]{ 0x5A, 0x01, 0x01, 0x42, 0x00, (byte)0xA8, 0x05, 0x22, 0x00, 0x10, 0x00, 0x00,
            0x00, 0x5A }, bytes);
    }

    @Test
    void readsTheHeaderLengthsOfATcpSegmentOffItsFrame()
    {
        final byte[] bytes = new byte[14];
        Arrays.fill(bytes, (byte)0x5A);

        final UnsafeBuffer frame = new UnsafeBuffer(SegmentFrames.tcp(9000, 1));
        VirtioNetHeader.writeTcpSegmentation(new UnsafeBuffer(bytes), 1, frame, 0, 1448);

        assertArrayEquals(new byte[]{ 0x5A, 0x01, 0x01, 0x42, 0x00, (byte)0xA8, 0x05, 0x22, 0x00, 0x10, 0x00, 0x00,
            0x00, 0x5A }, bytes, "as the header written from the lengths: hdr_len 66, csum_start 34");
    }

    /**
     * With MRG_RXBUF a frame spread over 17 receive buffers says so in the first one's header (section 5.1.6.4).
     */
    @Test
    void writesTheBufferCountOfAMergedFrame()
    {
        final byte[] bytes = new byte[12];

        VirtioNetHeader.write(new UnsafeBuffer(bytes), 0, 17);

        assertArrayEquals(new byte[]{ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x11, 0x00 }, bytes);
        assertEquals(17, VirtioNetHeader.field(new UnsafeBuffer(bytes), 0, VirtioNetHeader.NUM_BUFFERS_OFFSET));
    }

    /**
     * RFC 1071 section 3's example words, 00 01 f2 03 f4 f5 f6 f7, from csum_start on, the field their first: their
     * sum is 0xddf2, and the field takes its complement.
     */
    @Test
    void finishesAPartialChecksumFromCsumStartAndRefusesAFieldOutsideTheFrame()
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[]{ 0x7F, 0x7F, 0x12, 0x34, 0x00, 0x01, (byte)0xF2, 0x03,
            (byte)0xF4, (byte)0xF5, (byte)0xF6, (byte)0xF7 });

        assertFalse(VirtioNetHeader.finishChecksum(frame, 0, 12, 4, 7), "a field at bytes 11-12 of a 12-byte frame");
        assertTrue(VirtioNetHeader.finishChecksum(frame, 0, 12, 4, 0));

        assertEquals(0x220D, frame.getShort(4, ByteOrder.BIG_ENDIAN) & 0xFFFF);
        assertEquals(0x7F7F, frame.getShort(0, ByteOrder.BIG_ENDIAN) & 0xFFFF, "bytes before csum_start kept");
        assertEquals(0x1234, frame.getShort(2, ByteOrder.BIG_ENDIAN) & 0xFFFF);
    }
}
