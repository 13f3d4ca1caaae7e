package io.ringstack.drivers.virtio;

import io.ringstack.drivers.GuestMemory;

import static io.ringstack.drivers.virtio.SplitVirtqueue.AVAIL_IDX_OFFSET;
import static io.ringstack.drivers.virtio.SplitVirtqueue.AVAIL_RING_ALIGNMENT;
import static io.ringstack.drivers.virtio.SplitVirtqueue.DESCRIPTOR_ADDR_OFFSET;
import static io.ringstack.drivers.virtio.SplitVirtqueue.DESCRIPTOR_FLAGS_OFFSET;
import static io.ringstack.drivers.virtio.SplitVirtqueue.DESCRIPTOR_LEN_OFFSET;
import static io.ringstack.drivers.virtio.SplitVirtqueue.DESCRIPTOR_NEXT_OFFSET;
import static io.ringstack.drivers.virtio.SplitVirtqueue.DESCRIPTOR_TABLE_ALIGNMENT;
import static io.ringstack.drivers.virtio.SplitVirtqueue.USED_FLAGS_OFFSET;
import static io.ringstack.drivers.virtio.SplitVirtqueue.USED_F_NO_NOTIFY;
import static io.ringstack.drivers.virtio.SplitVirtqueue.USED_IDX_OFFSET;
import static io.ringstack.drivers.virtio.SplitVirtqueue.USED_ID_OFFSET;
import static io.ringstack.drivers.virtio.SplitVirtqueue.USED_RING_ALIGNMENT;

/**
 * The driver side of one split virtqueue: its three areas, allocated and zeroed in guest memory with the alignment
 * the specification asks for, the driver's free-running available index and its cursor into the used ring. Offers
 * are written to the ring first and made visible by {@link #publishAvail()}, so a batch costs one publish.
 * <p>
 * The indices are read and written with plain accesses: the device model runs only inside the driver's calls, on
 * the driver's thread, so program order already puts every ring entry before the index that covers it. A device
 * running beside the CPU would need the barriers of VirtIO 1.2 section 2.7.13 instead.
 */
final class DriverVirtqueue
{
    private final GuestMemory memory;
    private final int size;
    private final long descriptorArea;
    private final long driverArea;
    private final long deviceArea;
    private final int initialIndex;
    private int availIndex;
    private int publishedAvailIndex;
    private int lastUsedIndex;

    /**
     * Allocate and zero the queue's areas; both indices start at {@code initialIndex} (0 but in wrap tests).
     */
    DriverVirtqueue(final GuestMemory memory, final int size, final int initialIndex)
    {
        this.memory = memory;
        this.size = size;
        this.initialIndex = initialIndex;
        descriptorArea = memory.allocate(SplitVirtqueue.descriptorTableLength(size), DESCRIPTOR_TABLE_ALIGNMENT);
        driverArea = memory.allocate(SplitVirtqueue.availRingLength(size), AVAIL_RING_ALIGNMENT);
        deviceArea = memory.allocate(SplitVirtqueue.usedRingLength(size), USED_RING_ALIGNMENT);
        reset();
    }

    /**
     * Zero the three areas and start both indices again where they started: the queue as new, in the same memory,
     * for a driver that sets it up again after a device reset.
     */
    void reset()
    {
        zero(descriptorArea, SplitVirtqueue.descriptorTableLength(size));
        zero(driverArea, SplitVirtqueue.availRingLength(size));
        zero(deviceArea, SplitVirtqueue.usedRingLength(size));
        availIndex = initialIndex;
        lastUsedIndex = initialIndex;
        publishAvail();
    }

    int size()
    {
        return size;
    }

    long descriptorArea()
    {
        return descriptorArea;
    }

    long driverArea()
    {
        return driverArea;
    }

    long deviceArea()
    {
        return deviceArea;
    }

    void descriptor(final int index, final long address, final int length, final int flags, final int next)
    {
        final long descriptor = SplitVirtqueue.descriptor(descriptorArea, index);
        memory.putLong(descriptor + DESCRIPTOR_ADDR_OFFSET, address);
        memory.putInt(descriptor + DESCRIPTOR_LEN_OFFSET, length);
        memory.putShort(descriptor + DESCRIPTOR_FLAGS_OFFSET, flags);
        memory.putShort(descriptor + DESCRIPTOR_NEXT_OFFSET, next);
    }

    void descriptorLength(final int index, final int length)
    {
        memory.putInt(SplitVirtqueue.descriptor(descriptorArea, index) + DESCRIPTOR_LEN_OFFSET, length);
    }

    /**
     * Put chain {@code head} in the next available slot; the device sees it after {@link #publishAvail()}.
     */
    void offer(final int head)
    {
        memory.putShort(SplitVirtqueue.availSlot(driverArea, availIndex, size), head);
        availIndex = SplitVirtqueue.nextIndex(availIndex);
    }

    /**
     * Publish {@code avail.idx}: every slot offered before is visible to the device from its next read.
     */
    void publishAvail()
    {
        memory.putShort(driverArea + AVAIL_IDX_OFFSET, availIndex);
        publishedAvailIndex = availIndex;
    }

    /**
     * @return whether chains were offered since the last {@link #publishAvail()}.
     */
    boolean hasUnpublished()
    {
        return availIndex != publishedAvailIndex;
    }

    /**
     * @return whether the device wants available buffer notifications: {@code VIRTQ_USED_F_NO_NOTIFY} is clear in
     * {@code used.flags} (section 2.7.10; without VIRTIO_F_EVENT_IDX the driver must notify when it is clear).
     */
    boolean notificationsWanted()
    {
        return (memory.getShort(deviceArea + USED_FLAGS_OFFSET) & USED_F_NO_NOTIFY) == 0;
    }

    /**
     * @return how many used elements the device has published that the driver has not consumed yet.
     */
    int pendingUsed()
    {
        return SplitVirtqueue.distance(lastUsedIndex, memory.getShort(deviceArea + USED_IDX_OFFSET));
    }

    /**
     * @return the next used element, {@code id} in the low and {@code len} in the high 32 bits, read at once; only
     * after {@link #pendingUsed()} counted it.
     */
    long usedElement()
    {
        return memory.getLong(SplitVirtqueue.usedSlot(deviceArea, lastUsedIndex, size) + USED_ID_OFFSET);
    }

    /**
     * @return the chain head of the next used element.
     */
    int usedId()
    {
        return SplitVirtqueue.usedId(usedElement());
    }

    /**
     * @return the bytes the device wrote into the next used element's chain.
     */
    int usedLength()
    {
        return SplitVirtqueue.usedLength(usedElement());
    }

    void consumeUsed()
    {
        lastUsedIndex = SplitVirtqueue.nextIndex(lastUsedIndex);
    }

    private void zero(final long address, final int length)
    {
        memory.buffer().setMemory(memory.offsetOf(address), length, (byte)0);
    }
}
