package io.ringstack.drivers.virtio;

/**
 * Layout of a split virtqueue (VirtIO 1.2 section 2.7) in guest memory: three areas, each written by one side only,
 * all little-endian. The driver fills descriptors and offers chain heads on the available ring; the device
 * returns them on the used ring. Both rings carry a 16-bit free-running index that wraps from 65535 to 0; the slot
 * of index {@code i} is {@code i mod size}, so the queue size is a power of two.
 * <p>
 * Descriptor table (descriptor area), 16-byte aligned, {@code 16 * size} bytes, written by the driver:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                  addr (le64, guest-physical)                  |  0
 *  +                                                               +
 *  |                                                               |  4
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                          len (le32)                           |  8
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |          flags (le16)         |          next (le16)          | 12
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  flags: NEXT 1 (chain continues at next), WRITE 2 (device-writable), INDIRECT 4 (not negotiated here)
 * </pre>
 * Available ring (driver area), 2-byte aligned, {@code 6 + 2 * size} bytes, written by the driver:
 * <pre>
 *  +-----------------+-----------------+-----------+-----+-------------------+------------------------+
 *  | flags (le16)    | idx (le16)      | ring[0]   | ... | ring[size - 1]    | used_event (le16)      |
 *  +-----------------+-----------------+-----------+-----+-------------------+------------------------+
 *    0                 2                 4                 4 + 2(size - 1)     4 + 2 size (EVENT_IDX only)
 *  flags: NO_INTERRUPT 1 (the device should not raise a used buffer notification)
 * </pre>
 * Used ring (device area), 4-byte aligned, {@code 6 + 8 * size} bytes, written by the device:
 * <pre>
 *  +-----------------+-----------------+------------------------------+-----+------------------------+
 *  | flags (le16)    | idx (le16)      | ring[0]: id (le32) len(le32) | ... | avail_event (le16)     |
 *  +-----------------+-----------------+------------------------------+-----+------------------------+
 *    0                 2                 4 + 8i: id, 8 + 8i: len              4 + 8 size (EVENT_IDX only)
 *  flags: NO_NOTIFY 1 (the driver should not send an available buffer notification)
 *  id: head of the chain returned; len: bytes the device wrote into the chain's device-writable buffers
 * </pre>
 * Each side publishes its {@code idx} after writing the entries it covers and reads the other side's before reading
 * the entries; both sides run on one thread here, so program order is all the ordering they need.
 */
public final class SplitVirtqueue
{
    /** Largest queue size the specification allows. */
    public static final int MAX_SIZE = 32768;

    public static final int DESCRIPTOR_LENGTH = 16;
    public static final int DESCRIPTOR_ADDR_OFFSET = 0;
    public static final int DESCRIPTOR_LEN_OFFSET = 8;
    public static final int DESCRIPTOR_FLAGS_OFFSET = 12;
    public static final int DESCRIPTOR_NEXT_OFFSET = 14;
    public static final int DESCRIPTOR_TABLE_ALIGNMENT = 16;

    /** Descriptor flag: the chain continues with the descriptor in {@code next}. */
    public static final int DESC_F_NEXT = 1;
    /** Descriptor flag: the buffer is device-writable (otherwise device-readable). */
    public static final int DESC_F_WRITE = 2;
    /** Descriptor flag: the buffer is a table of descriptors; needs VIRTIO_F_INDIRECT_DESC, never offered here. */
    public static final int DESC_F_INDIRECT = 4;

    public static final int AVAIL_FLAGS_OFFSET = 0;
    public static final int AVAIL_IDX_OFFSET = 2;
    public static final int AVAIL_RING_OFFSET = 4;
    public static final int AVAIL_ELEMENT_LENGTH = 2;
    public static final int AVAIL_RING_ALIGNMENT = 2;
    /** Available ring flag: the driver asks for no used buffer notifications. */
    public static final int AVAIL_F_NO_INTERRUPT = 1;

    public static final int USED_FLAGS_OFFSET = 0;
    public static final int USED_IDX_OFFSET = 2;
    public static final int USED_RING_OFFSET = 4;
    public static final int USED_ELEMENT_LENGTH = 8;
    public static final int USED_ID_OFFSET = 0;
    public static final int USED_LEN_OFFSET = 4;
    public static final int USED_RING_ALIGNMENT = 4;
    /** Used ring flag: the device asks for no available buffer notifications (section 2.7.10). */
    public static final int USED_F_NO_NOTIFY = 1;

    private static final int INDEX_MASK = 0xFFFF;
    /** Both rings end with a 16-bit event field after their entries. */
    private static final int RING_HEADER_AND_EVENT_LENGTH = 6;

    private SplitVirtqueue()
    {
    }

    /**
     * @return whether {@code size} is a queue size the specification allows: a power of two up to 32768.
     */
    public static boolean isValidSize(final int size)
    {
        return size > 0 && size <= MAX_SIZE && (size & (size - 1)) == 0;
    }

    public static int descriptorTableLength(final int size)
    {
        return DESCRIPTOR_LENGTH * size;
    }

    public static int availRingLength(final int size)
    {
        return RING_HEADER_AND_EVENT_LENGTH + AVAIL_ELEMENT_LENGTH * size;
    }

    public static int usedRingLength(final int size)
    {
        return RING_HEADER_AND_EVENT_LENGTH + USED_ELEMENT_LENGTH * size;
    }

    /**
     * @return the address of descriptor {@code index} in the table at {@code descriptorArea}.
     */
    public static long descriptor(final long descriptorArea, final int index)
    {
        return descriptorArea + (long)DESCRIPTOR_LENGTH * index;
    }

    /**
     * @return the address of the available ring slot that free-running index {@code ringIndex} maps to.
     */
    public static long availSlot(final long driverArea, final int ringIndex, final int size)
    {
        return driverArea + AVAIL_RING_OFFSET + (long)AVAIL_ELEMENT_LENGTH * (ringIndex & (size - 1));
    }

    /**
     * @return the address of the used ring element that free-running index {@code ringIndex} maps to.
     */
    public static long usedSlot(final long deviceArea, final int ringIndex, final int size)
    {
        return deviceArea + USED_RING_OFFSET + (long)USED_ELEMENT_LENGTH * (ringIndex & (size - 1));
    }

    /**
     * @return {@code id} of a used element read as one little-endian 64-bit word.
     */
    public static int usedId(final long element)
    {
        return (int)element;
    }

    /**
     * @return {@code len} of a used element read as one little-endian 64-bit word.
     */
    public static int usedLength(final long element)
    {
        return (int)(element >>> Integer.SIZE);
    }

    /**
     * @return the free-running 16-bit index after {@code ringIndex}, wrapping from 65535 to 0.
     */
    public static int nextIndex(final int ringIndex)
    {
        return (ringIndex + 1) & INDEX_MASK;
    }

    /**
     * @return how many entries lie between free-running 16-bit indices {@code from} and {@code to}, across a wrap.
     */
    public static int distance(final int from, final int to)
    {
        return (to - from) & INDEX_MASK;
    }
}
