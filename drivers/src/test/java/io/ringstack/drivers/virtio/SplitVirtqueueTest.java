package io.ringstack.drivers.virtio;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The split virtqueue's sizes (the table in VirtIO 1.2 section 2.7) and its 16-bit free-running index arithmetic.
 */
class SplitVirtqueueTest
{
    @Test
    void areaSizesFollowTheSpecificationTable()
    {
        assertEquals(16 * 256, SplitVirtqueue.descriptorTableLength(256));
        assertEquals(6 + 2 * 256, SplitVirtqueue.availRingLength(256));
        assertEquals(6 + 8 * 256, SplitVirtqueue.usedRingLength(256));
        assertEquals(0x1000 + 16 * 3 + 14,
            SplitVirtqueue.descriptor(0x1000, 3) + SplitVirtqueue.DESCRIPTOR_NEXT_OFFSET);
    }

    @Test
    void fieldOffsetsFollowTheSpecificationStructs()
    {
        assertEquals(16, SplitVirtqueue.DESCRIPTOR_LENGTH);
        assertEquals(0, SplitVirtqueue.DESCRIPTOR_ADDR_OFFSET);
        assertEquals(8, SplitVirtqueue.DESCRIPTOR_LEN_OFFSET);
        assertEquals(12, SplitVirtqueue.DESCRIPTOR_FLAGS_OFFSET);
        assertEquals(14, SplitVirtqueue.DESCRIPTOR_NEXT_OFFSET);
        assertEquals(0, SplitVirtqueue.AVAIL_FLAGS_OFFSET);
        assertEquals(2, SplitVirtqueue.AVAIL_IDX_OFFSET);
        assertEquals(4, SplitVirtqueue.AVAIL_RING_OFFSET);
        assertEquals(0, SplitVirtqueue.USED_FLAGS_OFFSET);
        assertEquals(2, SplitVirtqueue.USED_IDX_OFFSET);
        assertEquals(4, SplitVirtqueue.USED_RING_OFFSET);
        assertEquals(0, SplitVirtqueue.USED_ID_OFFSET);
        assertEquals(4, SplitVirtqueue.USED_LEN_OFFSET);
        assertEquals(1, SplitVirtqueue.DESC_F_NEXT);
        assertEquals(2, SplitVirtqueue.DESC_F_WRITE);
        assertEquals(4, SplitVirtqueue.DESC_F_INDIRECT);
        assertEquals(1, SplitVirtqueue.AVAIL_F_NO_INTERRUPT);
    }

    @Test
    void queueSizesArePowersOfTwoUpTo32768()
    {
        assertTrue(SplitVirtqueue.isValidSize(1));
        assertTrue(SplitVirtqueue.isValidSize(256));
        assertTrue(SplitVirtqueue.isValidSize(32768));
        assertFalse(SplitVirtqueue.isValidSize(0));
        assertFalse(SplitVirtqueue.isValidSize(96));
        assertFalse(SplitVirtqueue.isValidSize(65536));
        assertFalse(SplitVirtqueue.isValidSize(-256));
    }

    @Test
    void indicesWrapFrom65535ToZeroWhileSlotsGoRoundTheRing()
    {
        assertEquals(0, SplitVirtqueue.nextIndex(65535));
        assertEquals(3, SplitVirtqueue.distance(65534, 1));
        assertEquals(0, SplitVirtqueue.distance(7, 7));
        assertEquals(65535, SplitVirtqueue.distance(1, 0), "one behind is a full wrap ahead");
        assertEquals(0x100 + 4 + 2 * 7, SplitVirtqueue.availSlot(0x100, 65535, 8));
        assertEquals(0x100 + 4, SplitVirtqueue.availSlot(0x100, 0, 8));
        assertEquals(0x200 + 4 + 8 * 255, SplitVirtqueue.usedSlot(0x200, 65535, 256));
        assertEquals(0x200 + 4, SplitVirtqueue.usedSlot(0x200, SplitVirtqueue.nextIndex(65535), 256));
    }
}
