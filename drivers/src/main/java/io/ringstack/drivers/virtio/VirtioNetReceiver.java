package io.ringstack.drivers.virtio;

import io.ringstack.drivers.DeviceCounters;
import io.ringstack.drivers.DeviceDrop;
import io.ringstack.drivers.GuestMemory;
import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.Link;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The receive DMA engine of {@link VirtioNetDevice} on {@code receiveq1} (VirtIO 1.2 sections 5.1.6.3 and 5.1.6.4):
 * each frame from the wire goes into the next chain the driver made available, after a {@link VirtioNetHeader} with
 * {@code num_buffers} 1, and the chain goes back on the used ring with the bytes written: written in place when the
 * chain's first buffer holds header and frame (VIRTIO_F_VERSION_1 lets the driver offer them in one descriptor),
 * scattered otherwise. The used index is published, and a used buffer notification raised, once per poll. The
 * device reads the available ring whenever frames arrive, so it asks for no notifications on this queue.
 * <p>
 * A frame is dropped as {@link DeviceDrop#LINK_DOWN} while the link is down, as {@link DeviceDrop#RX_NOT_ENABLED}
 * while the device is not live or the queue is not ready; as {@link DeviceDrop#RX_RING_FULL} when no chain is available; as {@link DeviceDrop#RX_OVERSIZE}
 * when the next chain is too short for it, which stays for the next frame; and as {@link DeviceDrop#BAD_DESCRIPTOR}
 * when the next chain is malformed, which goes back with length 0.
 */
final class VirtioNetReceiver implements FrameHandler
{
    private final DeviceVirtqueue queue;
    private final DescriptorChain chain;
    private final GuestMemory memory;
    private final Link link;
    private final VirtioDeviceStatus status;
    private final VirtioNetConfig config;
    private final VirtioInterrupt interrupt;
    private final DeviceCounters counters;
    private final UnsafeBuffer header = new UnsafeBuffer(new byte[VirtioNetHeader.LENGTH]);
    private int receivedInBatch;
    private int storedInBatch;
    private boolean linkUp;
    private boolean enabled;
    private int availableInBatch;

    VirtioNetReceiver(
        final DeviceVirtqueue queue,
        final GuestMemory memory,
        final Link link,
        final VirtioDeviceStatus status,
        final VirtioNetConfig config,
        final VirtioInterrupt interrupt,
        final DeviceCounters counters)
    {
        this.queue = queue;
        this.memory = memory;
        this.link = link;
        this.status = status;
        this.config = config;
        this.interrupt = interrupt;
        this.counters = counters;
        chain = new DescriptorChain(memory, queue.maxSize());
        VirtioNetHeader.write(header, 0, 1);
        queue.suppressNotifications();
    }

    /**
     * Take up to {@code budget} frames off the wire. Whether the device may receive, and how many chains the driver
     * made available, are read once per poll: the driver cannot offer more while the device works in its call.
     *
     * @return frames taken, whether stored or dropped.
     */
    int poll(final int budget)
    {
        receivedInBatch = 0;
        storedInBatch = 0;
        linkUp = config.isLinkUp();
        enabled = status.isLive() && queue.isReady();
        availableInBatch = enabled && linkUp ? status.available(queue) : 0;
        final int arrived = link.poll(this, budget);
        if (storedInBatch > 0)
        {
            counters.rxFrames.getAndAddRelease(storedInBatch);
        }
        if (receivedInBatch > 0)
        {
            queue.publishUsed();
            interrupt.usedBuffer(queue);
        }
        return arrived;
    }

    public void onFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!linkUp)
        {
            counters.drop(DeviceDrop.LINK_DOWN);
            return;
        }
        if (!enabled)
        {
            counters.drop(DeviceDrop.RX_NOT_ENABLED);
            return;
        }
        if (availableInBatch == 0)
        {
            counters.drop(status.isLive() ? DeviceDrop.RX_RING_FULL : DeviceDrop.RX_NOT_ENABLED);
            return;
        }
        final int head = queue.peekHead();
        if (!queue.walk(head, true, chain))
        {
            takeHead();
            if (head < queue.size())
            {
                returnChain(head, 0);
            }
            counters.drop(DeviceDrop.BAD_DESCRIPTOR);
            return;
        }
        final int written = VirtioNetHeader.LENGTH + length;
        if (chain.capacity() < written)
        {
            counters.drop(DeviceDrop.RX_OVERSIZE);
            return;
        }
        takeHead();
        final long address = chain.contiguousAddress(0, written);
        if (address >= 0)
        {
            VirtioNetHeader.write(memory.buffer(), memory.offsetOf(address), 1);
            memory.write(address + VirtioNetHeader.LENGTH, buffer, offset, length);
        }
        else
        {
            chain.write(0, header, 0, VirtioNetHeader.LENGTH);
            chain.write(VirtioNetHeader.LENGTH, buffer, offset, length);
        }
        returnChain(head, written);
        storedInBatch++;
    }

    private void takeHead()
    {
        queue.takeHead();
        availableInBatch--;
    }

    private void returnChain(final int head, final int length)
    {
        queue.addUsed(head, length);
        receivedInBatch++;
    }
}
