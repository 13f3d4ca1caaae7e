package io.ringstack.drivers.virtio;

import io.ringstack.drivers.DeviceCounters;
import io.ringstack.drivers.DeviceDrop;
import io.ringstack.drivers.GuestMemory;
import io.ringstack.phy.Link;
import io.ringstack.wire.EthernetFrame;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The transmit DMA engine of {@link VirtioNetDevice} on {@code transmitq1} (VirtIO 1.2 section 5.1.6.2): each chain
 * the driver made available holds a {@link VirtioNetHeader} and then the frame, which goes on the wire straight from
 * guest memory when it lies in one buffer and is gathered otherwise. Every chain taken goes back on the used ring
 * with length 0, whether its frame went or not.
 * <p>
 * A frame is dropped as {@link DeviceDrop#BAD_DESCRIPTOR} when its chain is malformed or holds nothing after the
 * header, as {@link DeviceDrop#LINK_DOWN} while the link is down, as {@link DeviceDrop#TX_OVERSIZE} when it is
 * longer than an Ethernet frame, and as {@link DeviceDrop#LINK_FULL} when the wire refuses it.
 */
final class VirtioNetTransmitter
{
    private final DeviceVirtqueue queue;
    private final DescriptorChain chain;
    private final GuestMemory memory;
    private final Link link;
    private final VirtioDeviceStatus status;
    private final VirtioNetConfig config;
    private final VirtioInterrupt interrupt;
    private final DeviceCounters counters;
    private final UnsafeBuffer gathered =
        new UnsafeBuffer(BufferUtil.allocateDirectAligned(EthernetFrame.MAX_FRAME_LENGTH, 64));
    private int sentInBatch;

    VirtioNetTransmitter(
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
    }

    /**
     * Send up to {@code budget} of the chains the driver made available.
     *
     * @return chains taken, whether their frames were sent or dropped.
     */
    int process(final int budget)
    {
        final int count = Math.min(status.available(queue), budget);
        sentInBatch = 0;
        for (int i = 0; i < count; i++)
        {
            final int head = queue.peekHead();
            queue.takeHead();
            if (!queue.walk(head, false, chain) || chain.capacity() <= VirtioNetHeader.LENGTH)
            {
                counters.drop(DeviceDrop.BAD_DESCRIPTOR);
            }
            else
            {
                send((int)Math.min(chain.capacity() - VirtioNetHeader.LENGTH, Integer.MAX_VALUE));
            }
            if (head < queue.size())
            {
                queue.addUsed(head, 0);
            }
        }
        if (sentInBatch > 0)
        {
            counters.txFrames.getAndAddRelease(sentInBatch);
        }
        if (count > 0)
        {
            queue.publishUsed();
            interrupt.usedBuffer(queue);
        }
        return count;
    }

    /**
     * Put the frame after the header of the walked chain on the wire.
     */
    private void send(final int frameLength)
    {
        if (!config.isLinkUp())
        {
            counters.drop(DeviceDrop.LINK_DOWN);
            return;
        }
        if (frameLength > EthernetFrame.MAX_FRAME_LENGTH)
        {
            counters.drop(DeviceDrop.TX_OVERSIZE);
            return;
        }
        final long address = chain.contiguousAddress(VirtioNetHeader.LENGTH, frameLength);
        final boolean sent;
        if (address >= 0)
        {
            sent = link.send(memory.buffer(), memory.offsetOf(address), frameLength);
        }
        else
        {
            chain.read(VirtioNetHeader.LENGTH, gathered, 0, frameLength);
            sent = link.send(gathered, 0, frameLength);
        }
        if (sent)
        {
            sentInBatch++;
        }
        else
        {
            counters.drop(DeviceDrop.LINK_FULL);
        }
    }
}
