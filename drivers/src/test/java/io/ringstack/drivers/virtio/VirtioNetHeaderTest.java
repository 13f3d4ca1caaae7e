package io.ringstack.drivers.virtio;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
