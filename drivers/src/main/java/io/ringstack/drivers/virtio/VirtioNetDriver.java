package io.ringstack.drivers.virtio;

import io.ringstack.drivers.DeviceCounters;
import io.ringstack.drivers.DeviceDrop;
import io.ringstack.drivers.DeviceFaults;
import io.ringstack.drivers.GuestMemory;
import io.ringstack.drivers.TxWatchdog;
import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.NetworkDevice;
import io.ringstack.phy.WireWait;
import io.ringstack.wire.EthernetFrame;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import static io.ringstack.drivers.virtio.SplitVirtqueue.DESC_F_WRITE;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.CONFIG;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.CONFIG_GENERATION;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.DEVICE_FEATURES;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.DEVICE_FEATURES_SEL;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.DEVICE_ID;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.DEVICE_ID_NET;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.DRIVER_FEATURES;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.DRIVER_FEATURES_SEL;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.INTERRUPT_ACK;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.INTERRUPT_CONFIG_CHANGE;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.INTERRUPT_STATUS;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.MAGIC;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.MAGIC_VALUE;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.MODERN_VERSION;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.NET_CONFIG_MAC;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.NET_CONFIG_STATUS;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.QUEUE_DESC_HIGH;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.QUEUE_DESC_LOW;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.QUEUE_DEVICE_HIGH;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.QUEUE_DEVICE_LOW;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.QUEUE_DRIVER_HIGH;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.QUEUE_DRIVER_LOW;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.QUEUE_NOTIFY;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.QUEUE_NUM;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.QUEUE_NUM_MAX;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.QUEUE_READY;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.QUEUE_SEL;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.RECEIVE_QUEUE;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.STATUS;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.STATUS_ACKNOWLEDGE;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.STATUS_DEVICE_NEEDS_RESET;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.STATUS_DRIVER;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.STATUS_DRIVER_OK;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.STATUS_FAILED;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.STATUS_FEATURES_OK;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.TRANSMIT_QUEUE;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VERSION;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_F_VERSION_1;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_NET_F_CSUM;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_NET_F_GUEST_CSUM;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_NET_F_GUEST_TSO4;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_NET_F_HOST_TSO4;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_NET_F_MAC;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_NET_F_MRG_RXBUF;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_NET_F_STATUS;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_NET_S_LINK_UP;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.feature;

/**
 * The guest's driver for a {@link VirtioNetDevice}, and what the engine sees as its {@link NetworkDevice}.
 * {@link #init()} follows VirtIO 1.2 section 3.1.1 over the MMIO window (4.2.3): reset, ACKNOWLEDGE, DRIVER, read
 * both feature words, accept the offered features it understands (VERSION_1 and MAC required, STATUS and the
 * offloads if offered), FEATURES_OK and check it stuck, set up {@code receiveq1} and {@code transmitq1}, read the
 * MAC, post the receive buffers, DRIVER_OK.
 * <p>
 * Guest memory layout, all from {@link GuestMemory#allocate}: per queue a descriptor table, an available ring and
 * a used ring; one buffer of 1536 bytes (header and the largest frame, rounded up) per descriptor of either queue.
 * Header and frame share one descriptor both ways, as VIRTIO_F_VERSION_1 allows (section 5.1.6.3.1: the device
 * makes no assumption about the framing of the header), so a queue of {@code n} descriptors holds {@code n} receive
 * buffers and {@code n} transmit slots, and the device walks one descriptor per frame.
 * <pre>
 *   receive buffer d:  desc d    [WRITE]                 --&gt; | virtio_net_hdr (12) | frame (up to 1514) |
 *   transmit slot d:   desc d    [0]                     --&gt; | virtio_net_hdr (12) | frame              |
 * </pre>
 * With the offloads below, each receive buffer is a page instead and a frame continues in the next, and a transmit
 * slot's descriptor points at a segment buffer of 64 KiB while it carries a segment:
 * <pre>
 *   receive buffers d, d+1:  desc d, desc d+1  [WRITE]  --&gt; | hdr (num_buffers 2) | frame ... | ... frame |
 *   transmit slot d:         desc d            [0]      --&gt; | hdr (GSO_TCPV4)     | segment (up to 65549)  |
 * </pre>
 * {@link #transmit} copies the frame behind the zero header (written once per slot when the queue is set up, since
 * the device only reads it) into a free descriptor and offers it without publishing. {@link #receive} first sends
 * the transmit burst queued since the last poll, with one {@code avail.idx} store and one notification, lets the
 * device work, takes back the transmit descriptors it used, hands each received frame to the handler straight from
 * guest memory (zero copy), then offers the buffers again with one {@code avail.idx} publish per batch, and a
 * notification only if the device wants one (it sets {@code VIRTQ_USED_F_NO_NOTIFY} on its receive queue, which it
 * reads whenever frames arrive, until it runs out of buffers); the frames the device then puts in the buffers are
 * taken in the same call, up to its budget. A transmit that finds no free descriptor sends the burst at once and
 * takes back what the device used, so a burst is bounded by the ring only when the wire does not keep up. Neither allocates nor throws; every frame
 * either goes through or is counted in the device's {@link DeviceCounters}.
 * <p>
 * Faults ({@link #faults()}): a driver told to starve its receive queue keeps offering used buffers but stops
 * publishing {@code avail.idx} until it is told to replenish; a {@link TxWatchdog} on the engine's clock resets the
 * device when transmit descriptors stay in flight without progress for its timeout (Linux virtio_net's
 * {@code virtnet_tx_timeout}): {@code Status} 0, then initialisation again over the same queues and buffers, every
 * frame they held counted as {@link DeviceDrop#DEVICE_RESET}; while the link is down, transmit refuses with
 * {@link DeviceDrop#LINK_DOWN}.
 * <p>
 * <p>
 * Offloads, when the device offers them (a wire that cuts TCP segments itself, VirtIO 1.2 section 5.1.6.2):
 * with CSUM and HOST_TSO4 the driver tells the engine it takes TCP segments of up to 64 KiB
 * ({@link #segmentOffloadBytes()}), and {@link #transmitSegmented} copies one into one of
 * {@value #SEGMENT_BUFFERS} segment buffers of 64 KiB behind a header with {@code GSO_TCPV4}, {@code NEEDS_CSUM},
 * {@code gso_size} the engine's and {@code hdr_len}, {@code csum_start} and {@code csum_offset} read off the frame,
 * and offers it as one descriptor: one chain, which the device puts on its wire whole. With GUEST_CSUM, GUEST_TSO4
 * and MRG_RXBUF the device hands it segments of up to 64 KiB whole, each spread over as many receive buffers as it
 * fills ({@code num_buffers} in the first one's header).
 * <p>
 * Merged receive buffers rather than big ones (section 5.1.6.3.1), because they cost the least guest memory: Linux's
 * "big packets" mode, without MRG_RXBUF, needs every receive buffer to hold the largest segment, 64 KiB each, 16 MiB
 * for a queue of 256; merged buffers of one page each ({@value #MERGEABLE_BUFFER_LENGTH} bytes, as Linux's
 * {@code add_recvbuf_mergeable} takes them from page fragments) are 1 MiB for the same queue, and a frame of MTU size
 * still fills only one. The buffers lie back to back in guest memory, each offered as one descriptor, and are offered
 * again in the order the device used them, so the buffers of one segment are consecutive and the engine gets the
 * segment straight from guest memory; only one that wraps past the last buffer is copied whole into a staging buffer
 * first. GUEST_TSO4 is taken only with a queue whose buffers hold the largest segment, since the device takes a frame
 * off its wire only when they do.
 * <p>
 * One thread owns the driver and its device, the engine's thread once the engine runs, so every field here and
 * every index in guest memory is a plain read or write.
 */
public final class VirtioNetDriver implements NetworkDevice
{
    /** Descriptors per queue asked for when the device allows that many. */
    public static final int DEFAULT_QUEUE_SIZE = 256;
    /** The features the driver understands; it accepts those the device offers. */
    public static final long SUPPORTED_FEATURES =
        feature(VIRTIO_F_VERSION_1) | feature(VIRTIO_NET_F_MAC) | feature(VIRTIO_NET_F_STATUS) |
        feature(VIRTIO_NET_F_CSUM) | feature(VIRTIO_NET_F_HOST_TSO4) | feature(VIRTIO_NET_F_GUEST_CSUM) |
        feature(VIRTIO_NET_F_GUEST_TSO4) | feature(VIRTIO_NET_F_MRG_RXBUF);
    /** The largest IP packet of one TCP segment the driver hands the device with HOST_TSO4. */
    public static final int SEGMENT_OFFLOAD_BYTES = 0xFFFF;
    /** Bytes of each receive buffer with MRG_RXBUF: a page. */
    public static final int MERGEABLE_BUFFER_LENGTH = 4096;
    /** Transmit buffers of 64 KiB for segments the device cuts. */
    public static final int SEGMENT_BUFFERS = 8;

    private static final long HOST_SEGMENTS = feature(VIRTIO_NET_F_CSUM) | feature(VIRTIO_NET_F_HOST_TSO4);
    private static final long GUEST_SEGMENTS =
        feature(VIRTIO_NET_F_GUEST_CSUM) | feature(VIRTIO_NET_F_GUEST_TSO4) | feature(VIRTIO_NET_F_MRG_RXBUF);
    /** The largest frame of one TCP segment: an IP packet of 65535 bytes behind an Ethernet header. */
    private static final int LARGEST_SEGMENT_FRAME = EthernetFrame.HEADER_LENGTH + SEGMENT_OFFLOAD_BYTES;
    /** The largest frame the device hands over merged: an IP packet of 65535 bytes behind a VLAN-tagged header. */
    private static final int LARGEST_MERGED_FRAME = SEGMENT_OFFLOAD_BYTES + 18;
    /** A segment buffer, and the staging buffer of a merged frame: header and the largest frame, rounded up. */
    private static final int SEGMENT_STRIDE = 65600;
    private static final int BUFFER_STRIDE = 1536;
    private static final int RECEIVE_BUFFER_LENGTH = VirtioNetHeader.LENGTH + EthernetFrame.MAX_FRAME_LENGTH;
    private static final int BUFFER_ALIGNMENT = 64;
    private static final int MIN_QUEUE_SIZE = 2;
    private static final int MAC_LENGTH = 6;
    private static final int RING_ALIGNMENT_SLACK = 16 + 2 + 4;

    private final String name;
    private final VirtioNetDevice device;
    private final GuestMemory memory;
    private final DeviceCounters counters;
    private final int requestedQueueSize;
    private final int initialRingIndex;
    private final TxWatchdog watchdog;
    private final DeviceFaults faults;

    private DriverVirtqueue receiveQueue;
    private DriverVirtqueue transmitQueue;
    private long receiveBuffers;
    private int receiveStride;
    private int largestSingleFrame;
    private boolean mergeable;
    private long staging;
    private int[] mergedHeads;
    private int[] mergedLengths;
    private long transmitBuffers;
    private int[] freeTransmit;
    private boolean[] transmitInFlight;
    private int freeTransmitCount;
    private long segmentBuffers;
    private final int[] freeSegment = new int[SEGMENT_BUFFERS];
    private int[] segmentOfSlot;
    private int freeSegmentCount;
    private long transmitCompleted;
    private boolean receiveStarved;
    private StartFailure failure;
    private long failureFirst;
    private long failureSecond;
    private long features;
    private long macAddress;
    private boolean linkUp;
    private boolean ready;

    /**
     * @param name      the interface's name.
     * @param device    the device model it programs.
     * @param memory    the guest memory the device model reaches, from which the driver allocates its rings and
     *                  buffers ({@link #guestMemoryLength} bytes).
     * @param queueSize descriptors per queue, a power of two of at least 2; fewer if the device allows fewer.
     */
    public VirtioNetDriver(
        final String name, final VirtioNetDevice device, final GuestMemory memory, final int queueSize)
    {
        this(name, device, memory, queueSize, SystemNanoClock.INSTANCE, TxWatchdog.DEFAULT_TIMEOUT_NS, 0);
    }

    /**
     * @param clock       the engine's clock, which times the transmit watchdog.
     * @param txTimeoutNs how long transmit descriptors may stay in flight without progress before a reset.
     */
    public VirtioNetDriver(
        final String name, final VirtioNetDevice device, final GuestMemory memory, final int queueSize,
        final NanoClock clock, final long txTimeoutNs)
    {
        this(name, device, memory, queueSize, clock, txTimeoutNs, 0);
    }

    /**
     * Test hook: start both free-running ring indices of both queues at {@code initialRingIndex}, matching
     * {@link VirtioNetDevice#initialRingIndex(int)}, to cross the 16-bit wrap early.
     */
    VirtioNetDriver(
        final String name, final VirtioNetDevice device, final GuestMemory memory, final int queueSize,
        final int initialRingIndex)
    {
        this(name, device, memory, queueSize, SystemNanoClock.INSTANCE, TxWatchdog.DEFAULT_TIMEOUT_NS,
            initialRingIndex);
    }

    private VirtioNetDriver(
        final String name, final VirtioNetDevice device, final GuestMemory memory, final int queueSize,
        final NanoClock clock, final long txTimeoutNs, final int initialRingIndex)
    {
        if (!SplitVirtqueue.isValidSize(queueSize) || queueSize < MIN_QUEUE_SIZE)
        {
            throw new IllegalArgumentException("queue size must be a power of two from 2 to " +
                SplitVirtqueue.MAX_SIZE + ": " + queueSize);
        }
        this.name = name;
        this.device = device;
        this.memory = memory;
        this.counters = device.counters();
        this.requestedQueueSize = queueSize;
        this.initialRingIndex = initialRingIndex;
        this.watchdog = new TxWatchdog(clock, txTimeoutNs);
        this.faults = new DeviceFaults(this::starveReceive, device::hangTransmit, device::linkUp);
    }

    /**
     * @return guest memory bytes the driver allocates at most for queues of {@code queueSize} descriptors.
     */
    public static int guestMemoryLength(final int queueSize)
    {
        final int rings = SplitVirtqueue.descriptorTableLength(queueSize) +
            SplitVirtqueue.availRingLength(queueSize) + SplitVirtqueue.usedRingLength(queueSize) +
            RING_ALIGNMENT_SLACK;
        final int buffers = queueSize * (BUFFER_STRIDE + MERGEABLE_BUFFER_LENGTH);
        return 2 * rings + buffers + (SEGMENT_BUFFERS + 1) * SEGMENT_STRIDE + 4 * BUFFER_ALIGNMENT;
    }

    /**
     * Initialise the device as VirtIO 1.2 section 3.1.1 prescribes. On failure the driver sets FAILED in the
     * device status and throws.
     *
     * @return this driver, ready.
     * @throws IllegalStateException naming what went wrong: not a modern virtio network device, features it needs
     *                               not offered, FEATURES_OK refused, a queue unavailable, or the device gave up.
     */
    public VirtioNetDriver init()
    {
        if (receiveQueue != null)
        {
            throw new IllegalStateException(name + ": already initialised");
        }
        checkIdentity();
        if (!start())
        {
            addStatus(STATUS_FAILED);
            throw new IllegalStateException(name + ": virtio-net initialisation failed: " +
                failure.describe(failureFirst, failureSecond));
        }
        return this;
    }

    /**
     * @return the faults this NIC can be put into: starving the receive queue (the driver), hanging the transmit
     * engine and pulling the cable (the device).
     */
    public DeviceFaults faults()
    {
        return faults;
    }

    /**
     * @return the transmit watchdog's timeout.
     */
    public long txTimeoutNs()
    {
        return watchdog.timeoutNs();
    }

    /**
     * Reset the device, negotiate, set up both queues (allocated the first time, the same memory afterwards), read
     * the configuration, post every receive buffer, DRIVER_OK. Allocates only the first time, and never throws.
     *
     * @return whether the device is live; if not, {@link #failure} says why.
     */
    private boolean start()
    {
        device.mmioWrite(STATUS, 0);
        if (device.mmioRead(STATUS) != 0)
        {
            return failed(StartFailure.NOT_RESET, 0, 0);
        }
        addStatus(STATUS_ACKNOWLEDGE);
        addStatus(STATUS_DRIVER);
        if (!negotiateFeatures())
        {
            return false;
        }
        final DriverVirtqueue receive = setUpQueue(RECEIVE_QUEUE, receiveQueue);
        final DriverVirtqueue transmit = receive == null ? null : setUpQueue(TRANSMIT_QUEUE, transmitQueue);
        if (transmit == null)
        {
            return false;
        }
        receiveQueue = receive;
        transmitQueue = transmit;
        readConfig();
        postReceiveBuffers();
        prepareTransmitSlots();

        addStatus(STATUS_DRIVER_OK);
        if ((device.mmioRead(STATUS) & STATUS_DEVICE_NEEDS_RESET) != 0)
        {
            return failed(StartFailure.NEEDS_RESET, 0, 0);
        }
        notifyDevice(receiveQueue, RECEIVE_QUEUE);
        ready = true;
        return true;
    }

    private boolean failed(final StartFailure reason, final long first, final long second)
    {
        failure = reason;
        failureFirst = first;
        failureSecond = second;
        return false;
    }

    /**
     * @return the features negotiated with the device.
     */
    public long features()
    {
        return features;
    }

    /**
     * @return whether the device reports the link up (always, when VIRTIO_NET_F_STATUS was not negotiated).
     */
    public boolean isLinkUp()
    {
        return linkUp;
    }

    /**
     * @return whether the driver is initialised and the device has not asked for a reset since.
     */
    public boolean isReady()
    {
        return ready;
    }

    public String name()
    {
        return name;
    }

    public long macAddress()
    {
        return macAddress;
    }

    public int mtu()
    {
        return EthernetFrame.MAX_PAYLOAD_LENGTH;
    }

    /**
     * @return {@value #SEGMENT_OFFLOAD_BYTES} once CSUM and HOST_TSO4 are negotiated, else 0.
     */
    public int segmentOffloadBytes()
    {
        return (features & HOST_SEGMENTS) == HOST_SEGMENTS ? SEGMENT_OFFLOAD_BYTES : 0;
    }

    /**
     * @return the wait of the device's wire: a frame arriving there is the used buffer notification a sleeping OS
     * waits for.
     */
    public WireWait wireWait()
    {
        return device.wireWait();
    }

    /**
     * Let the device move frames, take its interrupt causes, then hand up to {@code limit} received frames to
     * {@code handler} and offer their buffers back to the device, again while the budget lasts and the device, which
     * had run out of buffers and asked to be notified of more, fills them on the notification. Every used buffer is accounted for: a frame of
     * any length up to {@link EthernetFrame#MAX_FRAME_LENGTH}, even of none, is handed over (the dispatcher counts a
     * runt as truncated), a used length past the buffer is counted {@link DeviceDrop#BAD_DESCRIPTOR}, and a buffer
     * the device gave back unwritten was counted by the device.
     */
    public int receive(final FrameHandler handler, final int limit)
    {
        kickTransmit();
        device.service(limit);
        acknowledgeInterrupts();
        if (!ready)
        {
            return 0;
        }
        reclaimTransmitted();
        int delivered = 0;
        int taken = 0;
        int pending = receiveQueue.pendingUsed();
        do
        {
            for (; taken < limit && pending > 0; taken++)
            {
                final long element = receiveQueue.usedElement();
                final int head = SplitVirtqueue.usedId(element);
                final int length = SplitVirtqueue.usedLength(element) - VirtioNetHeader.LENGTH;
                receiveQueue.consumeUsed();
                pending--;
                if (!isReceiveHead(head))
                {
                    counters.drop(DeviceDrop.BAD_DESCRIPTOR);
                    continue;
                }
                final int buffers = mergeable && length >= 0 ? numBuffers(head) : 1;
                if (buffers > 1)
                {
                    pending -= buffers - 1;
                    delivered += receiveMerged(handler, head, length, buffers, pending);
                    continue;
                }
                if (length > largestSingleFrame)
                {
                    counters.drop(DeviceDrop.BAD_DESCRIPTOR);
                }
                else if (length >= 0)
                {
                    handler.onFrame(memory.buffer(), memory.offsetOf(receiveFrame(head)), length, offloads(head));
                    delivered++;
                }
                receiveQueue.offer(head);
            }
            if (!receiveStarved && receiveQueue.hasUnpublished())
            {
                receiveQueue.publishAvail();
                notifyDevice(receiveQueue, RECEIVE_QUEUE);
            }
            pending = receiveQueue.pendingUsed();
        }
        while (taken < limit && pending > 0);
        if (watchdog.expired(linkUp && freeTransmitCount < freeTransmit.length, transmitCompleted))
        {
            resetAfterTimeout();
        }
        return delivered;
    }

    /**
     * Starve ({@code true}) or feed the receive queue: see {@link DeviceFaults#starveRx()}.
     */
    void starveReceive(final boolean starved)
    {
        receiveStarved = starved;
    }

    /**
     * The transmit queue is stuck: count what both queues hold as lost, reset the device and initialise it again over
     * the same queues and buffers. A device that does not come back leaves the driver not ready, with FAILED set.
     */
    private void resetAfterTimeout()
    {
        counters.drop(DeviceDrop.DEVICE_RESET, freeTransmit.length - freeTransmitCount + receiveQueue.pendingUsed());
        counters.resets.incrementRelease();
        watchdog.disarm();
        ready = false;
        if (!start())
        {
            addStatus(STATUS_FAILED);
        }
    }

    /**
     * The frame's {@code buffers} receive buffers, from {@code head}, the rest of them the next used elements: handed
     * to {@code handler} straight from guest memory when they are consecutive, copied into the staging buffer first
     * when they wrap, and offered again either way.
     *
     * @param length  the frame's bytes in the first buffer.
     * @param pending used elements published after the frame's.
     * @return 1 if the frame was handed over, 0 if it was counted as {@link DeviceDrop#BAD_DESCRIPTOR}.
     */
    private int receiveMerged(
        final FrameHandler handler, final int head, final int length, final int buffers, final int pending)
    {
        final int count = Math.min(buffers - 1, Math.max(pending + buffers - 1, 0));
        boolean valid = count == buffers - 1 && length == receiveStride - VirtioNetHeader.LENGTH;
        boolean consecutive = true;
        int frameLength = length;
        for (int i = 0; i < count; i++)
        {
            final long element = receiveQueue.usedElement();
            receiveQueue.consumeUsed();
            final int next = SplitVirtqueue.usedId(element);
            final int nextLength = SplitVirtqueue.usedLength(element);
            mergedHeads[i] = next;
            mergedLengths[i] = nextLength;
            valid &= isReceiveHead(next) && nextLength >= 0 && nextLength <= receiveStride &&
                (i == count - 1 || nextLength == receiveStride);
            consecutive &= next == head + 1 + i;
            frameLength += nextLength;
        }
        valid &= frameLength <= LARGEST_MERGED_FRAME;
        if (valid)
        {
            if (consecutive)
            {
                handler.onFrame(memory.buffer(), memory.offsetOf(receiveFrame(head)), frameLength, offloads(head));
            }
            else
            {
                memory.buffer().putBytes(memory.offsetOf(staging), memory.buffer(),
                    memory.offsetOf(receiveFrame(head)), length);
                int copied = length;
                for (int i = 0; i < count; i++)
                {
                    memory.buffer().putBytes(memory.offsetOf(staging) + copied, memory.buffer(),
                        memory.offsetOf(receiveBuffers + (long)mergedHeads[i] * receiveStride), mergedLengths[i]);
                    copied += mergedLengths[i];
                }
                handler.onFrame(memory.buffer(), memory.offsetOf(staging), frameLength, offloads(head));
            }
        }
        else
        {
            counters.drop(DeviceDrop.BAD_DESCRIPTOR);
        }
        receiveQueue.offer(head);
        for (int i = 0; i < count; i++)
        {
            if (isReceiveHead(mergedHeads[i]))
            {
                receiveQueue.offer(mergedHeads[i]);
            }
        }
        return valid ? 1 : 0;
    }

    /**
     * Copy the frame behind the header into a free transmit descriptor and offer it; the device sees it with the
     * rest of the burst at the next {@link #receive}, or at once when no descriptor is free.
     */
    public int transmit(final DirectBuffer buffer, final int offset, final int length)
    {
        final int refused = refusal(length, EthernetFrame.MAX_FRAME_LENGTH, false);
        if (refused != TX_OK)
        {
            return refused;
        }
        final int slot = freeTransmit[--freeTransmitCount];
        transmitInFlight[slot] = true;
        memory.write(transmitBuffers + (long)slot * BUFFER_STRIDE + VirtioNetHeader.LENGTH, buffer, offset, length);
        transmitQueue.descriptorLength(slot, VirtioNetHeader.LENGTH + length);
        transmitQueue.offer(slot);
        return TX_OK;
    }

    /**
     * With HOST_TSO4 negotiated, copy the TCP segment behind a {@code GSO_TCPV4} header into a free segment buffer
     * and offer it as one descriptor, for the device to put on its wire whole; without, as {@link #transmit}.
     */
    public int transmitSegmented(final DirectBuffer buffer, final int offset, final int length, final int segmentSize)
    {
        if (segmentOffloadBytes() == 0)
        {
            return transmit(buffer, offset, length);
        }
        final int refused = refusal(length, LARGEST_SEGMENT_FRAME, true);
        if (refused != TX_OK)
        {
            return refused;
        }
        memory.write(nextSegmentBuffer() + VirtioNetHeader.LENGTH, buffer, offset, length);
        return queueSegment(length, segmentSize);
    }

    /**
     * Lend the next free segment buffer, after room for its virtio-net header, when HOST_TSO4 was negotiated and a
     * transmit descriptor and a segment buffer are free (after taking back what the device has used).
     *
     * @return the offset in {@link #transmitBuffer()} where the frame goes, or -1.
     */
    public int claimSegmented(final int length)
    {
        if (segmentOffloadBytes() == 0 || !ready || !linkUp || length > LARGEST_SEGMENT_FRAME ||
            !hasTransmitRoom(true) && !reclaimOrKick(true))
        {
            return -1;
        }
        return memory.offsetOf(nextSegmentBuffer() + VirtioNetHeader.LENGTH);
    }

    public MutableDirectBuffer transmitBuffer()
    {
        return memory.buffer();
    }

    public int commitSegmented(final int claimed, final int length, final int segmentSize)
    {
        return queueSegment(length, segmentSize);
    }

    /**
     * @return the guest address of the segment buffer the next segment takes.
     */
    private long nextSegmentBuffer()
    {
        return segmentBuffers + (long)freeSegment[freeSegmentCount - 1] * SEGMENT_STRIDE;
    }

    /**
     * Offer the segment written after the header room of {@link #nextSegmentBuffer()} as one descriptor, its
     * header written from the frame's own headers.
     */
    private int queueSegment(final int length, final int segmentSize)
    {
        final long header = nextSegmentBuffer();
        final int slot = freeTransmit[--freeTransmitCount];
        final int segment = freeSegment[--freeSegmentCount];
        transmitInFlight[slot] = true;
        segmentOfSlot[slot] = segment;
        final int index = memory.offsetOf(header);
        VirtioNetHeader.writeTcpSegmentation(memory.buffer(), index, memory.buffer(), index + VirtioNetHeader.LENGTH,
            segmentSize);
        transmitQueue.descriptor(slot, header, VirtioNetHeader.LENGTH + length, 0, 0);
        transmitQueue.offer(slot);
        return TX_OK;
    }

    /**
     * Whether a frame of {@code length} bytes can be queued now, with a free transmit descriptor, and for a
     * {@code segment} a free segment buffer; if not, the reason is counted.
     *
     * @return {@link #TX_OK}, or the {@code TX_} code of the refusal.
     */
    private int refusal(final int length, final int largest, final boolean segment)
    {
        if (!ready)
        {
            counters.drop(DeviceDrop.TX_NOT_READY);
            return TX_NOT_READY;
        }
        if (!linkUp)
        {
            counters.drop(DeviceDrop.LINK_DOWN);
            return TX_NOT_READY;
        }
        if (length > largest)
        {
            counters.drop(DeviceDrop.TX_OVERSIZE);
            return TX_OVERSIZE;
        }
        if (!hasTransmitRoom(segment) && !reclaimOrKick(segment))
        {
            counters.drop(DeviceDrop.TX_RING_FULL);
            return TX_RING_FULL;
        }
        return TX_OK;
    }

    private boolean hasTransmitRoom(final boolean segment)
    {
        return freeTransmitCount > 0 && (!segment || freeSegmentCount > 0);
    }

    private void checkIdentity()
    {
        final int magic = device.mmioRead(MAGIC_VALUE);
        final int version = device.mmioRead(VERSION);
        final int deviceId = device.mmioRead(DEVICE_ID);
        if (magic != MAGIC || version != MODERN_VERSION || deviceId != DEVICE_ID_NET)
        {
            throw new IllegalStateException(name + ": not a virtio-mmio v2 network device: magic 0x" +
                Integer.toHexString(magic) + ", version " + version + ", device id " + deviceId);
        }
    }

    /**
     * @return whether FEATURES_OK stuck over the features both sides understand; if not, {@link #failure} says why.
     */
    private boolean negotiateFeatures()
    {
        device.mmioWrite(DEVICE_FEATURES_SEL, 0);
        final long low = device.mmioRead(DEVICE_FEATURES) & 0xFFFF_FFFFL;
        device.mmioWrite(DEVICE_FEATURES_SEL, 1);
        final long offered = low | ((long)device.mmioRead(DEVICE_FEATURES) << 32);
        final long needed = feature(VIRTIO_F_VERSION_1) | feature(VIRTIO_NET_F_MAC);
        if ((offered & needed) != needed)
        {
            return failed(StartFailure.FEATURES_MISSING, offered, needed);
        }
        features = offered & SUPPORTED_FEATURES;
        if ((features & HOST_SEGMENTS) != HOST_SEGMENTS)
        {
            features &= ~HOST_SEGMENTS;
        }
        if ((features & GUEST_SEGMENTS) != GUEST_SEGMENTS ||
            (long)requestedQueueSize * MERGEABLE_BUFFER_LENGTH < VirtioNetHeader.LENGTH + LARGEST_MERGED_FRAME)
        {
            features &= ~GUEST_SEGMENTS;
        }
        device.mmioWrite(DRIVER_FEATURES_SEL, 0);
        device.mmioWrite(DRIVER_FEATURES, (int)features);
        device.mmioWrite(DRIVER_FEATURES_SEL, 1);
        device.mmioWrite(DRIVER_FEATURES, (int)(features >>> 32));
        addStatus(STATUS_FEATURES_OK);
        if ((device.mmioRead(STATUS) & STATUS_FEATURES_OK) == 0)
        {
            return failed(StartFailure.FEATURES_REFUSED, features, 0);
        }
        return true;
    }

    /**
     * Set up queue {@code index} over {@code existing} (reset), or over a new queue the first time.
     *
     * @return the queue, or {@code null} when the device refused it; {@link #failure} then says why.
     */
    private DriverVirtqueue setUpQueue(final int index, final DriverVirtqueue existing)
    {
        device.mmioWrite(QUEUE_SEL, index);
        if (device.mmioRead(QUEUE_READY) != 0)
        {
            failed(StartFailure.QUEUE_IN_USE, index, 0);
            return null;
        }
        final int max = device.mmioRead(QUEUE_NUM_MAX);
        final int size = existing != null ? existing.size() :
            Math.min(requestedQueueSize, Integer.highestOneBit(Math.min(max, SplitVirtqueue.MAX_SIZE)));
        if (max < MIN_QUEUE_SIZE || size > max)
        {
            failed(StartFailure.QUEUE_UNAVAILABLE, index, max);
            return null;
        }
        final DriverVirtqueue queue = existing != null ? existing : new DriverVirtqueue(memory, size, initialRingIndex);
        if (existing != null)
        {
            existing.reset();
        }
        device.mmioWrite(QUEUE_NUM, size);
        writeAddress(QUEUE_DESC_LOW, QUEUE_DESC_HIGH, queue.descriptorArea());
        writeAddress(QUEUE_DRIVER_LOW, QUEUE_DRIVER_HIGH, queue.driverArea());
        writeAddress(QUEUE_DEVICE_LOW, QUEUE_DEVICE_HIGH, queue.deviceArea());
        device.mmioWrite(QUEUE_READY, 1);
        if (device.mmioRead(QUEUE_READY) != 1)
        {
            failed(StartFailure.QUEUE_REFUSED, index, 0);
            return null;
        }
        return queue;
    }

    private void writeAddress(final int lowRegister, final int highRegister, final long address)
    {
        device.mmioWrite(lowRegister, (int)address);
        device.mmioWrite(highRegister, (int)(address >>> 32));
    }

    /**
     * Read the MAC and the link state, again if {@code ConfigGeneration} moved meanwhile (section 2.5.1).
     */
    private void readConfig()
    {
        int generation;
        do
        {
            generation = device.mmioRead(CONFIG_GENERATION);
            long mac = 0;
            for (int i = 0; i < MAC_LENGTH; i++)
            {
                mac = (mac << 8) | device.mmioReadByte(CONFIG + NET_CONFIG_MAC + i);
            }
            macAddress = mac;
            linkUp = (features & feature(VIRTIO_NET_F_STATUS)) == 0 ||
                (device.mmioReadShort(CONFIG + NET_CONFIG_STATUS) & VIRTIO_NET_S_LINK_UP) != 0;
        }
        while (generation != device.mmioRead(CONFIG_GENERATION));
    }

    /**
     * Post every receive buffer: with MRG_RXBUF pages back to back, each a whole descriptor, without one of 1536
     * bytes that holds header and Ethernet frame. Allocated the first time.
     */
    private void postReceiveBuffers()
    {
        final int buffers = receiveQueue.size();
        if (receiveBuffers == 0)
        {
            mergeable = (features & feature(VIRTIO_NET_F_MRG_RXBUF)) != 0;
            receiveStride = mergeable ? MERGEABLE_BUFFER_LENGTH : BUFFER_STRIDE;
            largestSingleFrame = mergeable ? receiveStride - VirtioNetHeader.LENGTH : EthernetFrame.MAX_FRAME_LENGTH;
            receiveBuffers = memory.allocate(buffers * receiveStride, BUFFER_ALIGNMENT);
            if (mergeable)
            {
                staging = memory.allocate(SEGMENT_STRIDE, BUFFER_ALIGNMENT);
                mergedHeads = new int[buffers];
                mergedLengths = new int[buffers];
            }
        }
        final int length = mergeable ? receiveStride : RECEIVE_BUFFER_LENGTH;
        for (int head = 0; head < buffers; head++)
        {
            receiveQueue.descriptor(head, receiveBuffers + (long)head * receiveStride, length, DESC_F_WRITE, 0);
            receiveQueue.offer(head);
        }
        receiveQueue.publishAvail();
    }

    private void prepareTransmitSlots()
    {
        final int slots = transmitQueue.size();
        if (freeTransmit == null)
        {
            transmitBuffers = memory.allocate(slots * BUFFER_STRIDE, BUFFER_ALIGNMENT);
            freeTransmit = new int[slots];
            transmitInFlight = new boolean[slots];
            segmentOfSlot = new int[slots];
            if (segmentOffloadBytes() != 0)
            {
                segmentBuffers = memory.allocate(SEGMENT_BUFFERS * SEGMENT_STRIDE, BUFFER_ALIGNMENT);
            }
        }
        for (int slot = 0; slot < slots; slot++)
        {
            final long header = transmitBuffers + (long)slot * BUFFER_STRIDE;
            VirtioNetHeader.write(memory.buffer(), memory.offsetOf(header), 0);
            transmitQueue.descriptor(slot, header, 0, 0, 0);
            freeTransmit[slot] = slots - 1 - slot;
            transmitInFlight[slot] = false;
            segmentOfSlot[slot] = -1;
        }
        freeTransmitCount = slots;
        for (int segment = 0; segment < SEGMENT_BUFFERS; segment++)
        {
            freeSegment[segment] = segment;
        }
        freeSegmentCount = segmentBuffers == 0 ? 0 : SEGMENT_BUFFERS;
    }

    private boolean isReceiveHead(final int head)
    {
        return head >= 0 && head < receiveQueue.size();
    }

    private long receiveFrame(final int head)
    {
        return receiveBuffers + (long)head * receiveStride + VirtioNetHeader.LENGTH;
    }

    /**
     * @return {@link FrameHandler#CHECKSUM_GOOD} when the header in receive buffer {@code head} says
     * {@code DATA_VALID}: the device checked the frame's checksums (VirtIO 1.2 section 5.1.6.4.1), else 0.
     */
    private int offloads(final int head)
    {
        return (memory.getByte(receiveBuffers + (long)head * receiveStride + VirtioNetHeader.FLAGS_OFFSET) &
            VirtioNetHeader.FLAG_DATA_VALID) != 0 ? FrameHandler.CHECKSUM_GOOD : 0;
    }

    /**
     * @return {@code num_buffers} of the header in receive buffer {@code head}.
     */
    private int numBuffers(final int head)
    {
        return memory.getShort(receiveBuffers + (long)head * receiveStride + VirtioNetHeader.NUM_BUFFERS_OFFSET);
    }

    /**
     * Publish the transmit descriptors offered since the last publish as one burst, with one {@code avail.idx}
     * store and one notification (none if the device set {@code VIRTQ_USED_F_NO_NOTIFY}, VirtIO 1.2 section 2.7.10).
     */
    private void kickTransmit()
    {
        if (transmitQueue != null && transmitQueue.hasUnpublished())
        {
            transmitQueue.publishAvail();
            notifyDevice(transmitQueue, TRANSMIT_QUEUE);
        }
    }

    private void notifyDevice(final DriverVirtqueue queue, final int index)
    {
        if (queue.notificationsWanted())
        {
            device.mmioWrite(QUEUE_NOTIFY, index);
        }
    }

    /**
     * The ring is full: take back what the device has used; if that frees nothing, send the burst queued so far
     * now, as a driver that runs out of descriptors does, and take back again.
     *
     * @return whether a transmit descriptor is free, and for a {@code segment} a segment buffer.
     */
    private boolean reclaimOrKick(final boolean segment)
    {
        reclaimTransmitted();
        if (!hasTransmitRoom(segment))
        {
            kickTransmit();
            reclaimTransmitted();
        }
        return hasTransmitRoom(segment);
    }

    /**
     * Take back the transmit descriptors the device has used; an id the driver did not have in flight is counted
     * and ignored.
     */
    private void reclaimTransmitted()
    {
        for (int used = transmitQueue.pendingUsed(); used > 0; used--)
        {
            final int slot = transmitQueue.usedId();
            transmitQueue.consumeUsed();
            if (slot >= 0 && slot < transmitInFlight.length && transmitInFlight[slot])
            {
                transmitInFlight[slot] = false;
                freeTransmit[freeTransmitCount++] = slot;
                transmitCompleted++;
                if (segmentOfSlot[slot] >= 0)
                {
                    freeSegment[freeSegmentCount++] = segmentOfSlot[slot];
                    segmentOfSlot[slot] = -1;
                    transmitQueue.descriptor(slot, transmitBuffers + (long)slot * BUFFER_STRIDE, 0, 0, 0);
                }
            }
            else
            {
                counters.drop(DeviceDrop.BAD_DESCRIPTOR);
            }
        }
    }

    /**
     * Read and acknowledge the interrupt causes; on a configuration change re-read the link state, and stop if the
     * device asks for a reset.
     */
    private void acknowledgeInterrupts()
    {
        final int causes = device.mmioRead(INTERRUPT_STATUS);
        if (causes == 0)
        {
            return;
        }
        device.mmioWrite(INTERRUPT_ACK, causes);
        if ((causes & INTERRUPT_CONFIG_CHANGE) != 0 && receiveQueue != null)
        {
            readConfig();
            if ((device.mmioRead(STATUS) & STATUS_DEVICE_NEEDS_RESET) != 0)
            {
                ready = false;
            }
        }
    }

    private void addStatus(final int bit)
    {
        device.mmioWrite(STATUS, device.mmioRead(STATUS) | bit);
    }


}
