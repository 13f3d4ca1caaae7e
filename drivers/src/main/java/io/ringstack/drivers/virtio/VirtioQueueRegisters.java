package io.ringstack.drivers.virtio;

import io.ringstack.drivers.GuestMemory;

/**
 * The virtqueue registers of the virtio-mmio window (VirtIO 1.2 sections 4.2.2 and 4.2.3.2): {@code QueueSel} picks
 * a queue, and {@code QueueNumMax}, {@code QueueNum}, {@code QueueReady} and the three area addresses apply to it.
 * A queue may be configured once features are negotiated and while it is not ready; anything else is a driver error
 * that needs a reset, as is a configuration the queue cannot use when the driver makes it ready. A queue that does
 * not exist reads as absent and ignores writes.
 */
final class VirtioQueueRegisters
{
    private final DeviceVirtqueue[] queues;
    private final VirtioDeviceStatus status;
    private int select;
    private int initialRingIndex;

    /**
     * @param count   how many queues the device has.
     * @param maxSize {@code QueueNumMax} of every queue.
     */
    VirtioQueueRegisters(
        final GuestMemory memory, final int count, final int maxSize, final VirtioDeviceStatus status)
    {
        this.status = status;
        queues = new DeviceVirtqueue[count];
        for (int i = 0; i < count; i++)
        {
            queues[i] = new DeviceVirtqueue(memory, maxSize);
        }
    }

    DeviceVirtqueue queue(final int index)
    {
        return queues[index];
    }

    /**
     * Where both free-running indices of a queue start when it is enabled; 0 unless a test resumes a queue there.
     */
    void initialRingIndex(final int index)
    {
        initialRingIndex = index;
    }

    /**
     * Device reset: queue 0 selected, every queue not ready with no areas.
     */
    void reset()
    {
        select = 0;
        for (final DeviceVirtqueue queue : queues)
        {
            queue.reset();
        }
    }

    /**
     * {@code QueueSel}.
     */
    void select(final int index)
    {
        select = index;
    }

    /**
     * @return {@code QueueNumMax}: 0 when the selected queue does not exist.
     */
    int maxSize()
    {
        final DeviceVirtqueue queue = selected();
        return queue != null ? queue.maxSize() : 0;
    }

    /**
     * @return {@code QueueReady}.
     */
    int ready()
    {
        final DeviceVirtqueue queue = selected();
        return queue != null && queue.isReady() ? 1 : 0;
    }

    /**
     * {@code QueueNum}.
     */
    void size(final int size)
    {
        final DeviceVirtqueue queue = configurable();
        if (queue != null)
        {
            queue.size(size);
        }
    }

    /**
     * {@code QueueDescLow} or {@code QueueDescHigh}.
     */
    void descriptorAreaWord(final boolean high, final int word)
    {
        final DeviceVirtqueue queue = configurable();
        if (queue != null)
        {
            queue.descriptorAreaWord(high, word);
        }
    }

    /**
     * {@code QueueDriverLow} or {@code QueueDriverHigh}.
     */
    void driverAreaWord(final boolean high, final int word)
    {
        final DeviceVirtqueue queue = configurable();
        if (queue != null)
        {
            queue.driverAreaWord(high, word);
        }
    }

    /**
     * {@code QueueDeviceLow} or {@code QueueDeviceHigh}.
     */
    void deviceAreaWord(final boolean high, final int word)
    {
        final DeviceVirtqueue queue = configurable();
        if (queue != null)
        {
            queue.deviceAreaWord(high, word);
        }
    }

    /**
     * {@code QueueReady}: 0 stops the device using the queue; 1 checks its configuration and starts it.
     */
    void ready(final int value)
    {
        final DeviceVirtqueue queue = selected();
        if (queue == null)
        {
            return;
        }
        if (value == 0)
        {
            queue.disable();
        }
        else if (!queue.isReady() && (!status.isFeaturesOk() || !queue.enable(initialRingIndex)))
        {
            status.needsReset();
        }
    }

    /**
     * @return the queue {@code QueueSel} names, or {@code null} when there is no such queue.
     */
    private DeviceVirtqueue selected()
    {
        return select >= 0 && select < queues.length ? queues[select] : null;
    }

    /**
     * @return the selected queue when its configuration may be written, {@code null} when it does not exist or,
     * after flagging the driver error, when it may not.
     */
    private DeviceVirtqueue configurable()
    {
        final DeviceVirtqueue queue = selected();
        if (queue == null)
        {
            return null;
        }
        if (!status.isFeaturesOk() || queue.isReady())
        {
            status.needsReset();
            return null;
        }
        return queue;
    }
}
