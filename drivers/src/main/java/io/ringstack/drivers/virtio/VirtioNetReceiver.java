package io.ringstack.drivers.virtio;

import io.ringstack.drivers.DeviceCounters;
import io.ringstack.drivers.DeviceDrop;
import io.ringstack.drivers.GuestMemory;
import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.Link;
import io.ringstack.wire.EthernetFrame;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_NET_F_GUEST_CSUM;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_NET_F_GUEST_TSO4;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_NET_F_MRG_RXBUF;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.feature;

/**
 * The receive DMA engine of {@link VirtioNetDevice} on {@code receiveq1} (VirtIO 1.2 sections 5.1.6.3 and 5.1.6.4):
 * each frame from the wire goes into the next chain the driver made available, after a {@link VirtioNetHeader} with
 * {@code num_buffers} 1, and the chain goes back on the used ring with the bytes written: written in place when the
 * chain's first buffer holds header and frame (VIRTIO_F_VERSION_1 lets the driver offer them in one descriptor),
 * scattered otherwise. The used index is published, and a used buffer notification raised, once per poll. The
 * device reads the available ring whenever frames arrive, so it asks for no notifications on this queue, but when it
 * ran out of chains.
 * <p>
 * With VIRTIO_NET_F_MRG_RXBUF negotiated a frame fills as many chains as it needs, in the order they were made
 * available, the header in the first with {@code num_buffers} their count, and each goes back on the used ring with
 * the bytes written into it (section 5.1.6.4.2). A frame is then taken off the wire only while the chains made
 * available hold the largest the wire hands over (an IPv4 TCP segment of 64 KiB with GUEST_TSO4, an Ethernet frame
 * without): the rest wait on the wire, as QEMU leaves them in its TAP until the guest has buffers
 * ({@code virtio_net_has_buffers}), instead of being taken and lost, and the device asks for the driver's next
 * available buffer notification, on which it takes them with what was left of its budget; so a driver that
 * negotiates MRG_RXBUF makes available at least that much. The header's other fields stay zero: the wire
 * finished every checksum the other side left partial, so each frame, a segment of 64 KiB included, comes complete;
 * but with VIRTIO_NET_F_GUEST_CSUM negotiated, a frame whose TCP or UDP checksum the wire vouched for
 * ({@link FrameHandler#CHECKSUM_GOOD}) has {@code DATA_VALID} in its flags (section 5.1.6.4.1), so that the driver's
 * stack does not check it again.
 * <p>
 * A frame is dropped as {@link DeviceDrop#LINK_DOWN} while the link is down, as {@link DeviceDrop#RX_NOT_ENABLED}
 * while the device is not live or the queue is not ready; as {@link DeviceDrop#RX_RING_FULL} when no chain is
 * available (with MRG_RXBUF: not chains enough); as {@link DeviceDrop#RX_OVERSIZE} when the next chain is too short
 * for it without MRG_RXBUF, which stays for the next frame; and as {@link DeviceDrop#BAD_DESCRIPTOR} when the next
 * chain (with MRG_RXBUF: one it needs, or a first too short for the header) is malformed, which goes back with
 * length 0, with any before it.
 */
final class VirtioNetReceiver implements FrameHandler
{
    /** The most a wire hands over in one frame: an IP packet of 65535 bytes behind a VLAN-tagged header. */
    private static final int LARGEST_WHOLE_SEGMENT = VirtioNetHeader.LENGTH + 0xFFFF + 18;
    /** The most a wire that cuts segments to the MTU hands over: a VLAN-tagged Ethernet frame. */
    private static final int LARGEST_FRAME = VirtioNetHeader.LENGTH + EthernetFrame.MAX_FRAME_LENGTH + 4;

    private final DeviceVirtqueue queue;
    private final DescriptorChain chain;
    private final GuestMemory memory;
    private final Link link;
    private final VirtioDeviceStatus status;
    private final VirtioFeatures features;
    private final VirtioNetConfig config;
    private final VirtioInterrupt interrupt;
    private final DeviceCounters counters;
    private final UnsafeBuffer header = new UnsafeBuffer(new byte[VirtioNetHeader.LENGTH]);
    private int receivedInBatch;
    private int storedInBatch;
    private boolean linkUp;
    private boolean enabled;
    private boolean mergeable;
    private boolean checksumOffload;
    private int availableInBatch;
    private int aheadChains;
    private long aheadBytes;
    private int heldBack;

    VirtioNetReceiver(
        final DeviceVirtqueue queue,
        final GuestMemory memory,
        final Link link,
        final VirtioDeviceStatus status,
        final VirtioFeatures features,
        final VirtioNetConfig config,
        final VirtioInterrupt interrupt,
        final DeviceCounters counters)
    {
        this.queue = queue;
        this.memory = memory;
        this.link = link;
        this.status = status;
        this.features = features;
        this.config = config;
        this.interrupt = interrupt;
        this.counters = counters;
        chain = new DescriptorChain(memory, queue.maxSize());
        queue.notifications(false);
    }

    /**
     * Take up to {@code budget} frames off the wire. Whether the device may receive, and how many chains the driver
     * made available, are read once per poll: the driver cannot offer more while the device works in its call.
     *
     * @return frames taken, whether stored or dropped.
     */
    int poll(final int budget)
    {
        heldBack = 0;
        receivedInBatch = 0;
        storedInBatch = 0;
        linkUp = config.isLinkUp();
        enabled = status.isLive() && queue.isReady();
        availableInBatch = enabled && linkUp ? status.available(queue) : 0;
        aheadChains = 0;
        aheadBytes = 0;
        final long accepted = features.accepted();
        mergeable = (accepted & feature(VIRTIO_NET_F_MRG_RXBUF)) != 0;
        checksumOffload = (accepted & feature(VIRTIO_NET_F_GUEST_CSUM)) != 0;
        final int arrived;
        if (mergeable && enabled && linkUp)
        {
            arrived = pollWhileRoom(budget,
                (accepted & feature(VIRTIO_NET_F_GUEST_TSO4)) != 0 ? LARGEST_WHOLE_SEGMENT : LARGEST_FRAME);
        }
        else
        {
            arrived = link.poll(this, budget);
        }
        queue.notifications(heldBack > 0);
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

    /**
     * Take frames one at a time while the chains made available hold {@code largest} bytes, or a malformed one is
     * in the way, which the next frame takes back. Stopped short of the budget for want of chains, the device asks
     * for the driver's next available buffer notification, to go on then with the rest of the budget.
     */
    private int pollWhileRoom(final int budget, final int largest)
    {
        int arrived = 0;
        while (arrived < budget)
        {
            if (!hasRoom(largest))
            {
                heldBack = budget - arrived;
                break;
            }
            if (link.poll(this, 1) != 1)
            {
                break;
            }
            arrived++;
        }
        return arrived;
    }

    /**
     * The driver notified this queue: chains were made available. When the last poll stopped for want of them, take
     * the rest of its budget off the wire now (QEMU's {@code virtio_net_handle_rx} flushing what waits in its TAP).
     *
     * @return frames taken, whether stored or dropped.
     */
    int notified()
    {
        return heldBack > 0 ? poll(heldBack) : 0;
    }

    /**
     * Whether the chains made available hold {@code bytes}, or a malformed one is in the way. The chains walked for
     * it stay counted ({@link #aheadChains}, {@link #aheadBytes}) until a frame takes them, so that over one poll,
     * in which the driver changes nothing, each chain is walked here once, not once per frame.
     */
    private boolean hasRoom(final int bytes)
    {
        while (aheadBytes < bytes && aheadChains < availableInBatch)
        {
            if (!queue.walk(queue.peekHead(aheadChains), true, chain))
            {
                return true;
            }
            aheadBytes += chain.capacity();
            aheadChains++;
        }
        return aheadBytes >= bytes;
    }

    public void onFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        onFrame(buffer, offset, length, 0);
    }

    public void onFrame(final DirectBuffer buffer, final int offset, final int length, final int offloads)
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
        final int flags = checksumOffload && (offloads & CHECKSUM_GOOD) != 0 ? VirtioNetHeader.FLAG_DATA_VALID : 0;
        if (mergeable)
        {
            merge(buffer, offset, length, flags);
            return;
        }
        final int head = queue.peekHead();
        if (!queue.walk(head, true, chain))
        {
            returnUnwritten(1);
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
            VirtioNetHeader.write(memory.buffer(), memory.offsetOf(address), 1, flags);
            memory.write(address + VirtioNetHeader.LENGTH, buffer, offset, length);
        }
        else
        {
            VirtioNetHeader.write(header, 0, 1, flags);
            chain.write(0, header, 0, VirtioNetHeader.LENGTH);
            chain.write(VirtioNetHeader.LENGTH, buffer, offset, length);
        }
        returnChain(head, written);
        storedInBatch++;
    }

    /**
     * Spread the frame over the chains it needs, header first with {@code num_buffers} their count.
     */
    private void merge(final DirectBuffer buffer, final int offset, final int length, final int flags)
    {
        final int written = VirtioNetHeader.LENGTH + length;
        final int chains = chainsFor(written);
        if (chains < 0)
        {
            returnUnwritten(-chains);
            aheadChains = 0;
            aheadBytes = 0;
            counters.drop(DeviceDrop.BAD_DESCRIPTOR);
            return;
        }
        if (chains == 0)
        {
            counters.drop(DeviceDrop.RX_RING_FULL);
            return;
        }
        int done = 0;
        for (int i = 0; i < chains; i++)
        {
            final int head = queue.peekHead();
            queue.walk(head, true, chain);
            takeHead();
            aheadChains--;
            aheadBytes -= chain.capacity();
            final int bytes = (int)Math.min(chain.capacity(), written - done);
            if (i == 0)
            {
                VirtioNetHeader.write(header, 0, chains, flags);
                chain.write(0, header, 0, VirtioNetHeader.LENGTH);
                chain.write(VirtioNetHeader.LENGTH, buffer, offset, bytes - VirtioNetHeader.LENGTH);
            }
            else
            {
                chain.write(0, buffer, offset + done - VirtioNetHeader.LENGTH, bytes);
            }
            returnChain(head, bytes);
            done += bytes;
        }
        storedInBatch++;
        if (aheadChains < 0)
        {
            aheadChains = 0;
            aheadBytes = 0;
        }
    }

    /**
     * Walk the chains made available, from the next on, until they hold {@code bytes}.
     *
     * @return how many it takes; 0 when those available hold less; minus the position (from 1) of a malformed one
     * met first.
     */
    private int chainsFor(final int bytes)
    {
        long room = 0;
        int chains = 0;
        while (room < bytes)
        {
            if (chains == availableInBatch)
            {
                return 0;
            }
            if (!queue.walk(queue.peekHead(chains), true, chain) ||
                chains == 0 && chain.capacity() < VirtioNetHeader.LENGTH)
            {
                return -(chains + 1);
            }
            room += chain.capacity();
            chains++;
        }
        return chains;
    }

    /**
     * Give the next {@code chains} chains back unwritten.
     */
    private void returnUnwritten(final int chains)
    {
        for (int i = 0; i < chains; i++)
        {
            final int head = queue.peekHead();
            takeHead();
            if (head < queue.size())
            {
                returnChain(head, 0);
            }
        }
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
