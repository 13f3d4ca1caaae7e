package io.ringstack.drivers.virtio;

import io.ringstack.drivers.DeviceCounters;
import io.ringstack.drivers.DeviceDrop;
import io.ringstack.drivers.GuestMemory;
import io.ringstack.phy.Link;
import io.ringstack.wire.EthernetFrame;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_NET_F_CSUM;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_NET_F_HOST_TSO4;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.feature;

/**
 * The transmit DMA engine of {@link VirtioNetDevice} on {@code transmitq1} (VirtIO 1.2 section 5.1.6.2): each chain
 * the driver made available holds a {@link VirtioNetHeader} and then the frame, which goes on the wire straight from
 * guest memory when it lies in one buffer and is gathered otherwise. Every chain taken goes back on the used ring
 * with length 0, whether its frame went or not.
 * <p>
 * <p>
 * Once the driver negotiated CSUM and HOST_TSO4 the header counts (section 5.1.6.2.1): a frame with
 * {@code GSO_TCPV4} is an IPv4 TCP segment of up to {@link Link#segmentOffloadBytes()} bytes of IP packet that goes
 * on the wire whole, for the wire to cut into segments of {@code gso_size} payload bytes and checksum
 * ({@link Link#sendSegmented}), as QEMU hands it to its TAP; one with {@code NEEDS_CSUM} alone has its checksum
 * finished here, in a copy, before it goes. Without them the header is not read.
 * <p>
 * A frame is dropped as {@link DeviceDrop#BAD_DESCRIPTOR} when its chain is malformed, holds nothing after the
 * header, or its header asks for an offload not negotiated, a checksum field outside the frame, or to cut a segment
 * of no {@code gso_size} or shorter than the longest headers; as {@link DeviceDrop#LINK_DOWN} while the link is
 * down, as {@link DeviceDrop#TX_OVERSIZE} when it is longer than an Ethernet frame, or a segment longer than the wire
 * cuts, and as {@link DeviceDrop#LINK_FULL} when the wire refuses it.
 */
final class VirtioNetTransmitter
{
    /** The largest frame of one TCP segment a wire cuts: an IP packet of 65535 bytes behind its Ethernet header. */
    static final int LARGEST_SEGMENT_FRAME = EthernetFrame.HEADER_LENGTH + 0xFFFF;
    /** Ethernet, IP and TCP headers with the most options: a segment to cut holds at least these, whole. */
    private static final int LONGEST_HEADERS = EthernetFrame.HEADER_LENGTH + 60 + 60;

    private final DeviceVirtqueue queue;
    private final DescriptorChain chain;
    private final GuestMemory memory;
    private final Link link;
    private final VirtioDeviceStatus status;
    private final VirtioFeatures features;
    private final VirtioNetConfig config;
    private final VirtioInterrupt interrupt;
    private final DeviceCounters counters;
    private final UnsafeBuffer gathered =
        new UnsafeBuffer(BufferUtil.allocateDirectAligned(LARGEST_SEGMENT_FRAME, 64));
    private final UnsafeBuffer header = new UnsafeBuffer(new byte[VirtioNetHeader.LENGTH]);
    private int sentInBatch;
    private boolean offloads;

    VirtioNetTransmitter(
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
    }

    /**
     * Send up to {@code budget} of the chains the driver made available, and flush the link once after them
     * ({@link Link#flush}).
     *
     * @return chains taken, whether their frames were sent or dropped.
     */
    int process(final int budget)
    {
        final int count = Math.min(status.available(queue), budget);
        sentInBatch = 0;
        offloads = (features.accepted() & (feature(VIRTIO_NET_F_CSUM) | feature(VIRTIO_NET_F_HOST_TSO4))) != 0;
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
                final int frameLength = (int)Math.min(chain.capacity() - VirtioNetHeader.LENGTH, Integer.MAX_VALUE);
                if (offloads)
                {
                    sendWithHeader(frameLength);
                }
                else
                {
                    send(frameLength);
                }
            }
            if (head < queue.size())
            {
                queue.addUsed(head, 0);
            }
        }
        if (sentInBatch > 0)
        {
            counters.txFrames.getAndAddRelease(sentInBatch);
            link.flush();
        }
        if (count > 0)
        {
            queue.publishUsed();
            interrupt.usedBuffer(queue);
        }
        return count;
    }

    /**
     * Put the frame after the header of the walked chain on the wire as its header asks.
     */
    private void sendWithHeader(final int frameLength)
    {
        final long address = chain.contiguousAddress(0, VirtioNetHeader.LENGTH);
        final DirectBuffer fields;
        final int index;
        if (address >= 0)
        {
            fields = memory.buffer();
            index = memory.offsetOf(address);
        }
        else
        {
            chain.read(0, header, 0, VirtioNetHeader.LENGTH);
            fields = header;
            index = 0;
        }
        final int segmentation = fields.getByte(index + VirtioNetHeader.GSO_TYPE_OFFSET) & 0xFF;
        final boolean needsChecksum =
            (fields.getByte(index + VirtioNetHeader.FLAGS_OFFSET) & VirtioNetHeader.FLAG_NEEDS_CSUM) != 0;
        final long accepted = features.accepted();
        if (segmentation == VirtioNetHeader.GSO_NONE && !needsChecksum)
        {
            send(frameLength);
        }
        else if (segmentation == VirtioNetHeader.GSO_TCPV4 && (accepted & feature(VIRTIO_NET_F_HOST_TSO4)) != 0)
        {
            sendSegmented(frameLength, VirtioNetHeader.field(fields, index, VirtioNetHeader.GSO_SIZE_OFFSET));
        }
        else if (segmentation == VirtioNetHeader.GSO_NONE && (accepted & feature(VIRTIO_NET_F_CSUM)) != 0)
        {
            sendChecksummed(frameLength, VirtioNetHeader.field(fields, index, VirtioNetHeader.CSUM_START_OFFSET),
                VirtioNetHeader.field(fields, index, VirtioNetHeader.CSUM_OFFSET_OFFSET));
        }
        else
        {
            counters.drop(DeviceDrop.BAD_DESCRIPTOR);
        }
    }

    /**
     * Put the frame after the header of the walked chain on the wire.
     */
    private void send(final int frameLength)
    {
        if (!isLinkDownOrOversize(frameLength, EthernetFrame.MAX_FRAME_LENGTH))
        {
            put(frameLength, 0);
        }
    }

    /**
     * Put the TCP segment after the header on the wire whole, for the wire to cut into segments of
     * {@code segmentSize} payload bytes.
     */
    private void sendSegmented(final int frameLength, final int segmentSize)
    {
        if (isLinkDownOrOversize(frameLength, EthernetFrame.HEADER_LENGTH + link.segmentOffloadBytes()))
        {
            return;
        }
        if (segmentSize == 0 || frameLength < LONGEST_HEADERS)
        {
            counters.drop(DeviceDrop.BAD_DESCRIPTOR);
            return;
        }
        put(frameLength, segmentSize);
    }

    /**
     * Hand the wire the frame after the header straight from guest memory when it lies in one buffer, gathered
     * otherwise: as it is, or with {@code segmentSize} other than 0 to cut.
     */
    private void put(final int frameLength, final int segmentSize)
    {
        final long address = chain.contiguousAddress(VirtioNetHeader.LENGTH, frameLength);
        final DirectBuffer frame;
        final int offset;
        if (address >= 0)
        {
            frame = memory.buffer();
            offset = memory.offsetOf(address);
        }
        else
        {
            chain.read(VirtioNetHeader.LENGTH, gathered, 0, frameLength);
            frame = gathered;
            offset = 0;
        }
        sent(segmentSize == 0 ? link.send(frame, offset, frameLength) :
            link.sendSegmented(frame, offset, frameLength, segmentSize));
    }

    /**
     * Finish the checksum the driver left partial in a copy of the frame, and put the copy on the wire.
     */
    private void sendChecksummed(final int frameLength, final int csumStart, final int csumOffset)
    {
        if (isLinkDownOrOversize(frameLength, EthernetFrame.MAX_FRAME_LENGTH))
        {
            return;
        }
        chain.read(VirtioNetHeader.LENGTH, gathered, 0, frameLength);
        if (!VirtioNetHeader.finishChecksum(gathered, 0, frameLength, csumStart, csumOffset))
        {
            counters.drop(DeviceDrop.BAD_DESCRIPTOR);
            return;
        }
        sent(link.send(gathered, 0, frameLength));
    }

    /**
     * @return {@code true}, the frame counted as lost, while the link is down or when it is longer than
     * {@code largest}.
     */
    private boolean isLinkDownOrOversize(final int frameLength, final int largest)
    {
        if (!config.isLinkUp())
        {
            counters.drop(DeviceDrop.LINK_DOWN);
            return true;
        }
        if (frameLength > largest)
        {
            counters.drop(DeviceDrop.TX_OVERSIZE);
            return true;
        }
        return false;
    }

    private void sent(final boolean sent)
    {
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
