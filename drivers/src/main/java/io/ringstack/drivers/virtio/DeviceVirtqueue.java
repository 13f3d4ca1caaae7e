package io.ringstack.drivers.virtio;

import io.ringstack.drivers.GuestMemory;

import static io.ringstack.drivers.virtio.SplitVirtqueue.AVAIL_FLAGS_OFFSET;
import static io.ringstack.drivers.virtio.SplitVirtqueue.AVAIL_F_NO_INTERRUPT;
import static io.ringstack.drivers.virtio.SplitVirtqueue.AVAIL_IDX_OFFSET;
import static io.ringstack.drivers.virtio.SplitVirtqueue.AVAIL_RING_ALIGNMENT;
import static io.ringstack.drivers.virtio.SplitVirtqueue.DESCRIPTOR_ADDR_OFFSET;
import static io.ringstack.drivers.virtio.SplitVirtqueue.DESCRIPTOR_FLAGS_OFFSET;
import static io.ringstack.drivers.virtio.SplitVirtqueue.DESCRIPTOR_LEN_OFFSET;
import static io.ringstack.drivers.virtio.SplitVirtqueue.DESCRIPTOR_NEXT_OFFSET;
import static io.ringstack.drivers.virtio.SplitVirtqueue.DESCRIPTOR_TABLE_ALIGNMENT;
import static io.ringstack.drivers.virtio.SplitVirtqueue.DESC_F_INDIRECT;
import static io.ringstack.drivers.virtio.SplitVirtqueue.DESC_F_NEXT;
import static io.ringstack.drivers.virtio.SplitVirtqueue.DESC_F_WRITE;
import static io.ringstack.drivers.virtio.SplitVirtqueue.USED_FLAGS_OFFSET;
import static io.ringstack.drivers.virtio.SplitVirtqueue.USED_F_NO_NOTIFY;
import static io.ringstack.drivers.virtio.SplitVirtqueue.USED_ID_OFFSET;
import static io.ringstack.drivers.virtio.SplitVirtqueue.USED_IDX_OFFSET;
import static io.ringstack.drivers.virtio.SplitVirtqueue.USED_RING_ALIGNMENT;

/**
 * The device side of one split virtqueue: the registers the driver programs through {@code QueueSel}
 * ({@code QueueNum}, the three area addresses, {@code QueueReady}), the device's private cursor into the available
 * ring, and its free-running used index. Publishes {@code used.idx} after the entries it covers. Both indices are
 * plain accesses: the device runs only inside its driver's calls, on one thread (see {@link DriverVirtqueue}).
 */
final class DeviceVirtqueue
{
    /** Where {@code flags} and {@code next} lie in the 64-bit word from {@code len} on. */
    private static final int FLAGS_SHIFT = 8 * (DESCRIPTOR_FLAGS_OFFSET - DESCRIPTOR_LEN_OFFSET);
    private static final int NEXT_SHIFT = 8 * (DESCRIPTOR_NEXT_OFFSET - DESCRIPTOR_LEN_OFFSET);

    private final GuestMemory memory;
    private final int maxSize;
    private int size;
    private long descriptorArea;
    private long driverArea;
    private long deviceArea;
    private boolean ready;
    private int lastAvailIndex;
    private int usedIndex;
    private int usedFlags;
    private long notifications;

    DeviceVirtqueue(final GuestMemory memory, final int maxSize)
    {
        this.memory = memory;
        this.maxSize = maxSize;
        reset();
    }

    /**
     * Ask the driver for available buffer notifications on this queue ({@code wanted}), or for none
     * ({@code VIRTQ_USED_F_NO_NOTIFY} in {@code used.flags}, VirtIO 1.2 section 2.7.10): none for a queue the device
     * reads whenever it has work of its own, as the receive queue when a frame arrives, until it runs out of buffers
     * and must hear when there are more. Stored in {@code used.flags} at once on a live queue, else when it is enabled.
     */
    void notifications(final boolean wanted)
    {
        final int flags = wanted ? 0 : USED_F_NO_NOTIFY;
        if (flags != usedFlags)
        {
            usedFlags = flags;
            if (ready)
            {
                memory.putShort(deviceArea + USED_FLAGS_OFFSET, flags);
            }
        }
    }

    /**
     * An available buffer notification ({@code QueueNotify}) for this queue.
     */
    void notified()
    {
        notifications++;
    }

    /**
     * @return how many available buffer notifications the driver sent for this queue since the device was made.
     */
    long notifications()
    {
        return notifications;
    }

    /**
     * Back to the state after a device reset: not ready, no areas, the largest size.
     */
    void reset()
    {
        size = maxSize;
        descriptorArea = 0;
        driverArea = 0;
        deviceArea = 0;
        ready = false;
    }

    int maxSize()
    {
        return maxSize;
    }

    int size()
    {
        return size;
    }

    boolean isReady()
    {
        return ready;
    }

    void size(final int size)
    {
        this.size = size;
    }

    void descriptorAreaWord(final boolean high, final int word)
    {
        descriptorArea = VirtioMmioRegisters.withWord(descriptorArea, high, word);
    }

    void driverAreaWord(final boolean high, final int word)
    {
        driverArea = VirtioMmioRegisters.withWord(driverArea, high, word);
    }

    void deviceAreaWord(final boolean high, final int word)
    {
        deviceArea = VirtioMmioRegisters.withWord(deviceArea, high, word);
    }

    /**
     * {@code QueueReady = 1}: check the size and the three areas (alignment, inside guest memory) and start both
     * indices at {@code initialIndex}, publishing it as {@code used.idx} beside the queue's {@code used.flags}.
     *
     * @return {@code false}, leaving the queue not ready, when the configuration is one the device cannot use.
     */
    boolean enable(final int initialIndex)
    {
        if (!SplitVirtqueue.isValidSize(size) || size > maxSize ||
            !isArea(descriptorArea, DESCRIPTOR_TABLE_ALIGNMENT, SplitVirtqueue.descriptorTableLength(size)) ||
            !isArea(driverArea, AVAIL_RING_ALIGNMENT, SplitVirtqueue.availRingLength(size)) ||
            !isArea(deviceArea, USED_RING_ALIGNMENT, SplitVirtqueue.usedRingLength(size)))
        {
            return false;
        }
        lastAvailIndex = initialIndex;
        usedIndex = initialIndex;
        memory.putShort(deviceArea + USED_FLAGS_OFFSET, usedFlags);
        memory.putShort(deviceArea + USED_IDX_OFFSET, usedIndex);
        ready = true;
        return true;
    }

    /**
     * {@code QueueReady = 0}: the device stops using the queue.
     */
    void disable()
    {
        ready = false;
    }

    /**
     * @return how many chain heads the driver has made available and the device not yet taken; more than
     * {@link #size()} means the driver corrupted its index.
     */
    int available()
    {
        return SplitVirtqueue.distance(lastAvailIndex, memory.getShort(driverArea + AVAIL_IDX_OFFSET));
    }

    /**
     * @return the next available chain head, without taking it.
     */
    int peekHead()
    {
        return peekHead(0);
    }

    /**
     * @return the available chain head {@code ahead} places after the next, without taking any; only for
     * {@code ahead} below what {@link #available()} counted.
     */
    int peekHead(final int ahead)
    {
        return memory.getShort(SplitVirtqueue.availSlot(driverArea, lastAvailIndex + ahead, size));
    }

    /**
     * Take the chain head {@link #peekHead()} returned.
     */
    void takeHead()
    {
        lastAvailIndex = SplitVirtqueue.nextIndex(lastAvailIndex);
    }

    /**
     * Follow the chain from {@code head} into {@code chain}, reading each descriptor as two 64-bit words
     * ({@code addr}; {@code len}, {@code flags} and {@code next}) and checking it: index inside the table, no
     * INDIRECT, WRITE set exactly when {@code deviceWritable}, buffer inside guest memory, and no more descriptors
     * than the queue has (a longer chain loops).
     *
     * @return {@code false} when the chain is malformed; {@code chain} then holds only the buffers before the fault.
     */
    boolean walk(final int head, final boolean deviceWritable, final DescriptorChain chain)
    {
        chain.clear();
        final int expectedWrite = deviceWritable ? DESC_F_WRITE : 0;
        int index = head;
        for (int walked = 0; walked < size && index < size; walked++)
        {
            final long descriptor = SplitVirtqueue.descriptor(descriptorArea, index);
            final long address = memory.getLong(descriptor + DESCRIPTOR_ADDR_OFFSET);
            final long lengthFlagsNext = memory.getLong(descriptor + DESCRIPTOR_LEN_OFFSET);
            final int length = (int)lengthFlagsNext;
            final int flags = (int)(lengthFlagsNext >>> FLAGS_SHIFT) & 0xFFFF;
            if ((flags & DESC_F_INDIRECT) != 0 || (flags & DESC_F_WRITE) != expectedWrite ||
                !memory.isValid(address, length))
            {
                return false;
            }
            chain.add(address, length);
            if ((flags & DESC_F_NEXT) == 0)
            {
                return true;
            }
            index = (int)(lengthFlagsNext >>> NEXT_SHIFT);
        }
        return false;
    }

    /**
     * Return chain {@code head} to the driver, {@code length} bytes written into it, as one 64-bit store of the used
     * element; seen once {@link #publishUsed}.
     */
    void addUsed(final int head, final int length)
    {
        final long element = SplitVirtqueue.usedSlot(deviceArea, usedIndex, size);
        memory.putLong(element + USED_ID_OFFSET, head & 0xFFFF_FFFFL | (long)length << Integer.SIZE);
        usedIndex = SplitVirtqueue.nextIndex(usedIndex);
    }

    /**
     * Publish {@code used.idx}: every element added before is visible to the driver from its next read.
     */
    void publishUsed()
    {
        memory.putShort(deviceArea + USED_IDX_OFFSET, usedIndex);
    }

    /**
     * @return whether the driver set VIRTQ_AVAIL_F_NO_INTERRUPT: no used buffer notification wanted.
     */
    boolean notificationsSuppressed()
    {
        return (memory.getShort(driverArea + AVAIL_FLAGS_OFFSET) & AVAIL_F_NO_INTERRUPT) != 0;
    }

    private boolean isArea(final long address, final int alignment, final int length)
    {
        return (address & (alignment - 1)) == 0 && memory.isValid(address, length);
    }
}
