package io.ringstack.drivers.virtio;

import io.ringstack.drivers.DeviceCounters;
import io.ringstack.drivers.DeviceDrop;
import io.ringstack.drivers.GuestMemory;
import io.ringstack.drivers.Link;
import io.ringstack.phy.FrameHandler;
import io.ringstack.wire.EthernetFrame;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

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
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.INTERRUPT_USED_BUFFER;
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
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.RINGSTACK_VENDOR_ID;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.STATUS;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.STATUS_DEVICE_NEEDS_RESET;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.STATUS_DRIVER_OK;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.STATUS_FEATURES_OK;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.TRANSMIT_QUEUE;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VENDOR_ID;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VERSION;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_F_VERSION_1;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_NET_F_MAC;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_NET_F_STATUS;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_NET_S_LINK_UP;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.feature;

/**
 * A model of a VirtIO network card on the virtio-mmio transport, version 2 (VirtIO 1.2 sections 4.2 and 5.1): the
 * register window of {@link VirtioMmioRegisters}, DMA over split virtqueues in {@link GuestMemory}
 * ({@link SplitVirtqueue}), and a {@link Link} as its wire. Queue 0 is {@code receiveq1}, queue 1
 * {@code transmitq1}; every frame on either carries a 12-byte {@link VirtioNetHeader} first.
 * <p>
 * It offers VIRTIO_F_VERSION_1, VIRTIO_NET_F_MAC and VIRTIO_NET_F_STATUS and nothing else, and behaves as a modern
 * device: FEATURES_OK does not stick unless the driver accepted a subset of those that includes VERSION_1. A driver
 * that breaks the initialisation order (DRIVER_OK without FEATURES_OK, queue registers before FEATURES_OK or while
 * the queue is ready, features after FEATURES_OK, clearing a status bit, an unusable queue configuration) or
 * corrupts an available index puts the device in DEVICE_NEEDS_RESET, counted in {@code device_needs_reset}, and
 * the device does nothing more until it is reset by writing 0 to {@code Status}.
 * <p>
 * Malformed descriptors (outside guest memory, INDIRECT, the wrong WRITE direction, a chain that loops, a transmit
 * chain with nothing after the header) cost the frame, counted as {@link DeviceDrop#BAD_DESCRIPTOR}; the chain goes
 * back on the used ring with length 0, and nothing is thrown. Every other lost frame is counted under its
 * {@link DeviceDrop} as well.
 * <p>
 * The device works only when asked: {@link #service(int)} moves frames between the wire and the rings, and a
 * {@code QueueNotify} of the transmit queue sends what the driver queued. Like the driver that calls it, it belongs
 * to one thread; the indices it shares with the driver are still read with acquire and published with release.
 */
public final class VirtioNetDevice implements AutoCloseable
{
    /** {@code QueueNumMax} of both queues. */
    public static final int QUEUE_SIZE_MAX = 256;
    /** What the device offers: VERSION_1, MAC and STATUS. */
    public static final long OFFERED_FEATURES =
        feature(VIRTIO_F_VERSION_1) | feature(VIRTIO_NET_F_MAC) | feature(VIRTIO_NET_F_STATUS);

    private static final int QUEUE_COUNT = 2;
    private static final int FEATURE_WORDS = 2;
    private static final int MAC_LENGTH = 6;

    private final GuestMemory memory;
    private final Link link;
    private final long macAddress;
    private final DeviceCounters counters;
    private final AtomicCounter needsResetCount;
    private final DeviceVirtqueue[] queues = new DeviceVirtqueue[QUEUE_COUNT];
    private final DeviceVirtqueue receiveQueue;
    private final DeviceVirtqueue transmitQueue;
    private final DescriptorChain chain;
    private final UnsafeBuffer receiveHeader = new UnsafeBuffer(new byte[VirtioNetHeader.LENGTH]);
    private final UnsafeBuffer transmitFrame =
        new UnsafeBuffer(BufferUtil.allocateDirectAligned(EthernetFrame.MAX_FRAME_LENGTH, 64));
    private final FrameHandler wireHandler = this::onWireFrame;

    private int status;
    private int deviceFeaturesSel;
    private int driverFeaturesSel;
    private long driverFeatures;
    private boolean driverFeaturesBeyond64;
    private int queueSel;
    private int interruptStatus;
    private int configGeneration;
    private boolean linkUp = true;
    private int receivedInBatch;
    private long requiredFeatures = feature(VIRTIO_F_VERSION_1);
    private int initialRingIndex;

    /**
     * @param name       prefix of the device's counter labels, e.g. {@code "virtio.0"}.
     * @param memory     the guest memory the device reaches by DMA.
     * @param link       the wire.
     * @param macAddress presented in the configuration space, low 48 bits, first octet most significant.
     * @param countersManager where the device's {@link DeviceCounters} are allocated.
     */
    public VirtioNetDevice(
        final String name, final GuestMemory memory, final Link link, final long macAddress,
        final CountersManager countersManager)
    {
        this.memory = memory;
        this.link = link;
        this.macAddress = macAddress;
        counters = new DeviceCounters(countersManager, name);
        needsResetCount = countersManager.newCounter(name + ": device_needs_reset", DeviceCounters.TYPE_DEVICE);
        for (int i = 0; i < QUEUE_COUNT; i++)
        {
            queues[i] = new DeviceVirtqueue(memory, QUEUE_SIZE_MAX);
        }
        receiveQueue = queues[RECEIVE_QUEUE];
        transmitQueue = queues[TRANSMIT_QUEUE];
        chain = new DescriptorChain(memory, QUEUE_SIZE_MAX);
        VirtioNetHeader.write(receiveHeader, 0, 1);
    }

    public DeviceCounters counters()
    {
        return counters;
    }

    /**
     * @return how many times the device entered DEVICE_NEEDS_RESET because of the driver.
     */
    public long needsResetCount()
    {
        return needsResetCount.get();
    }

    /**
     * A 32-bit read of the register window; reads of write-only or unknown registers give 0, and the
     * configuration space may be read a word at a time as well as by field.
     */
    public int mmioRead(final int offset)
    {
        switch (offset)
        {
            case MAGIC_VALUE:
                return MAGIC;
            case VERSION:
                return MODERN_VERSION;
            case DEVICE_ID:
                return DEVICE_ID_NET;
            case VENDOR_ID:
                return RINGSTACK_VENDOR_ID;
            case DEVICE_FEATURES:
                return isFeatureWord(deviceFeaturesSel) ? (int)(OFFERED_FEATURES >>> (32 * deviceFeaturesSel)) : 0;
            case QUEUE_NUM_MAX:
                return selectedQueue() != null ? selectedQueue().maxSize() : 0;
            case QUEUE_READY:
                return selectedQueue() != null && selectedQueue().isReady() ? 1 : 0;
            case INTERRUPT_STATUS:
                return interruptStatus;
            case STATUS:
                return status;
            case CONFIG_GENERATION:
                return configGeneration;
            default:
                return offset >= CONFIG ? config(offset - CONFIG, 4) : 0;
        }
    }

    /**
     * An 8-bit read of the configuration space, as the driver reads {@code mac}.
     */
    public int mmioReadByte(final int offset)
    {
        return offset >= CONFIG ? config(offset - CONFIG, 1) : 0;
    }

    /**
     * A 16-bit read of the configuration space, as the driver reads {@code status}.
     */
    public int mmioReadShort(final int offset)
    {
        return offset >= CONFIG ? config(offset - CONFIG, 2) : 0;
    }

    /**
     * A 32-bit write to the register window; writes to read-only or unknown registers and to the (read-only)
     * network configuration space are ignored.
     */
    public void mmioWrite(final int offset, final int value)
    {
        switch (offset)
        {
            case DEVICE_FEATURES_SEL:
                deviceFeaturesSel = value;
                break;
            case DRIVER_FEATURES:
                writeDriverFeatures(value);
                break;
            case DRIVER_FEATURES_SEL:
                driverFeaturesSel = value;
                break;
            case QUEUE_SEL:
                queueSel = value;
                break;
            case QUEUE_NUM:
                if (isQueueConfigurable())
                {
                    selectedQueue().size(value);
                }
                break;
            case QUEUE_READY:
                writeQueueReady(value);
                break;
            case QUEUE_NOTIFY:
                if (value == TRANSMIT_QUEUE)
                {
                    transmit(SplitVirtqueue.MAX_SIZE);
                }
                break;
            case INTERRUPT_ACK:
                interruptStatus &= ~value;
                break;
            case STATUS:
                writeStatus(value);
                break;
            case QUEUE_DESC_LOW:
            case QUEUE_DESC_HIGH:
                if (isQueueConfigurable())
                {
                    selectedQueue().descriptorAreaWord(offset == QUEUE_DESC_HIGH, value);
                }
                break;
            case QUEUE_DRIVER_LOW:
            case QUEUE_DRIVER_HIGH:
                if (isQueueConfigurable())
                {
                    selectedQueue().driverAreaWord(offset == QUEUE_DRIVER_HIGH, value);
                }
                break;
            case QUEUE_DEVICE_LOW:
            case QUEUE_DEVICE_HIGH:
                if (isQueueConfigurable())
                {
                    selectedQueue().deviceAreaWord(offset == QUEUE_DEVICE_HIGH, value);
                }
                break;
            default:
                break;
        }
    }

    /**
     * Do the device's DMA work: send up to {@code budget} frames the driver queued on the transmit queue, then hand
     * up to {@code budget} frames from the wire to the receive queue. Frames that arrive while the device is not
     * live (before DRIVER_OK, after DEVICE_NEEDS_RESET, link down) are dropped as
     * {@link DeviceDrop#RX_NOT_ENABLED}, so none waits unseen on the wire.
     *
     * @return frames moved or dropped.
     */
    public int service(final int budget)
    {
        final int transmitted = transmit(budget);
        receivedInBatch = 0;
        final int arrived = link.poll(wireHandler, budget);
        if (receivedInBatch > 0)
        {
            receiveQueue.publishUsed();
            usedBufferNotification(receiveQueue);
        }
        return transmitted + arrived;
    }

    /**
     * Plug or unplug the cable: the configuration {@code status} changes, {@code ConfigGeneration} moves on, and a
     * configuration change notification is raised. While the link is down, frames are neither sent nor received.
     * Called on the thread that runs the device, like everything else here.
     */
    public void linkUp(final boolean up)
    {
        if (up != linkUp)
        {
            linkUp = up;
            configGeneration++;
            raise(INTERRUPT_CONFIG_CHANGE);
        }
    }

    public void close()
    {
        needsResetCount.close();
        counters.close();
    }

    /**
     * Test hook: the features without which FEATURES_OK does not stick, VERSION_1 by default. Requiring one the
     * driver does not accept shows how a driver copes with a device that refuses its subset.
     */
    void requiredFeatures(final long features)
    {
        requiredFeatures = features;
    }

    /**
     * Test hook: where both free-running indices of a queue start when it is enabled, as if the device resumed a
     * queue saved at that point; lets a test cross the 16-bit wrap after a few frames. 0 by default.
     */
    void initialRingIndex(final int index)
    {
        initialRingIndex = index;
    }

    private boolean isLive()
    {
        return (status & (STATUS_DRIVER_OK | STATUS_DEVICE_NEEDS_RESET)) == STATUS_DRIVER_OK;
    }

    private void reset()
    {
        status = 0;
        deviceFeaturesSel = 0;
        driverFeaturesSel = 0;
        driverFeatures = 0;
        driverFeaturesBeyond64 = false;
        queueSel = 0;
        interruptStatus = 0;
        for (final DeviceVirtqueue queue : queues)
        {
            queue.reset();
        }
    }

    private void writeStatus(final int value)
    {
        if (value == 0)
        {
            reset();
            return;
        }
        final int driverBits = value & ~STATUS_DEVICE_NEEDS_RESET;
        if ((status & ~STATUS_DEVICE_NEEDS_RESET & ~driverBits) != 0)
        {
            needsReset();
            return;
        }
        int accepted = driverBits;
        if ((driverBits & ~status & STATUS_FEATURES_OK) != 0 && !isAcceptable(driverFeatures))
        {
            accepted &= ~STATUS_FEATURES_OK;
        }
        status = accepted | (status & STATUS_DEVICE_NEEDS_RESET);
        if ((accepted & STATUS_DRIVER_OK) != 0 && (accepted & STATUS_FEATURES_OK) == 0)
        {
            needsReset();
        }
    }

    private boolean isAcceptable(final long features)
    {
        return !driverFeaturesBeyond64 && (features & ~OFFERED_FEATURES) == 0 &&
            (features & requiredFeatures) == requiredFeatures;
    }

    private void writeDriverFeatures(final int value)
    {
        if ((status & STATUS_FEATURES_OK) != 0)
        {
            needsReset();
        }
        else if (isFeatureWord(driverFeaturesSel))
        {
            final int shift = 32 * driverFeaturesSel;
            driverFeatures = (driverFeatures & ~(0xFFFF_FFFFL << shift)) | ((value & 0xFFFF_FFFFL) << shift);
        }
        else
        {
            driverFeaturesBeyond64 |= value != 0;
        }
    }

    /**
     * Queue configuration registers may be written once features are negotiated and while the queue is not ready;
     * anything else is a driver error. A queue that does not exist ignores them.
     */
    private boolean isQueueConfigurable()
    {
        final DeviceVirtqueue queue = selectedQueue();
        if (queue == null)
        {
            return false;
        }
        if ((status & STATUS_FEATURES_OK) == 0 || queue.isReady())
        {
            needsReset();
            return false;
        }
        return true;
    }

    /**
     * @return the queue {@code QueueSel} names, or {@code null} when there is no such queue.
     */
    private DeviceVirtqueue selectedQueue()
    {
        return queueSel >= 0 && queueSel < QUEUE_COUNT ? queues[queueSel] : null;
    }

    /**
     * @return whether a features selector names one of the two 32-bit words of the 64 feature bits.
     */
    private static boolean isFeatureWord(final int select)
    {
        return select >= 0 && select < FEATURE_WORDS;
    }

    private void writeQueueReady(final int value)
    {
        final DeviceVirtqueue queue = selectedQueue();
        if (queue == null)
        {
            return;
        }
        if (value == 0)
        {
            queue.disable();
        }
        else if (!queue.isReady() && ((status & STATUS_FEATURES_OK) == 0 || !queue.enable(initialRingIndex)))
        {
            needsReset();
        }
    }

    private void needsReset()
    {
        if ((status & STATUS_DEVICE_NEEDS_RESET) == 0)
        {
            status |= STATUS_DEVICE_NEEDS_RESET;
            needsResetCount.incrementRelease();
            if ((status & STATUS_DRIVER_OK) != 0)
            {
                raise(INTERRUPT_CONFIG_CHANGE);
            }
        }
    }

    /**
     * @return available heads on a ready queue of a live device, 0 otherwise; a driver index more than a queue
     * ahead is corruption and needs a reset.
     */
    private int available(final DeviceVirtqueue queue)
    {
        if (!isLive() || !queue.isReady())
        {
            return 0;
        }
        final int available = queue.available();
        if (available > queue.size())
        {
            needsReset();
            return 0;
        }
        return available;
    }

    private int transmit(final int budget)
    {
        final int count = Math.min(available(transmitQueue), budget);
        for (int i = 0; i < count; i++)
        {
            final int head = transmitQueue.peekHead();
            transmitQueue.takeHead();
            if (!transmitQueue.walk(head, false, chain) || chain.capacity() <= VirtioNetHeader.LENGTH)
            {
                counters.drop(DeviceDrop.BAD_DESCRIPTOR);
            }
            else
            {
                sendChain((int)Math.min(chain.capacity() - VirtioNetHeader.LENGTH, Integer.MAX_VALUE));
            }
            if (head < transmitQueue.size())
            {
                transmitQueue.addUsed(head, 0);
            }
        }
        if (count > 0)
        {
            transmitQueue.publishUsed();
            usedBufferNotification(transmitQueue);
        }
        return count;
    }

    /**
     * Put the frame after the header of the walked chain on the wire, straight from guest memory when it lies in
     * one buffer, gathered otherwise.
     */
    private void sendChain(final int frameLength)
    {
        if (!linkUp)
        {
            counters.drop(DeviceDrop.TX_NOT_READY);
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
            chain.read(VirtioNetHeader.LENGTH, transmitFrame, 0, frameLength);
            sent = link.send(transmitFrame, 0, frameLength);
        }
        if (sent)
        {
            counters.txFrames.incrementRelease();
        }
        else
        {
            counters.drop(DeviceDrop.LINK_FULL);
        }
    }

    private void onWireFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!isLive() || !linkUp || !receiveQueue.isReady())
        {
            counters.drop(DeviceDrop.RX_NOT_ENABLED);
            return;
        }
        if (available(receiveQueue) == 0)
        {
            counters.drop(isLive() ? DeviceDrop.RX_RING_FULL : DeviceDrop.RX_NOT_ENABLED);
            return;
        }
        final int head = receiveQueue.peekHead();
        if (!receiveQueue.walk(head, true, chain))
        {
            receiveQueue.takeHead();
            if (head < receiveQueue.size())
            {
                returnReceived(head, 0);
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
        receiveQueue.takeHead();
        chain.write(0, receiveHeader, 0, VirtioNetHeader.LENGTH);
        chain.write(VirtioNetHeader.LENGTH, buffer, offset, length);
        returnReceived(head, written);
        counters.rxFrames.incrementRelease();
    }

    private void returnReceived(final int head, final int length)
    {
        receiveQueue.addUsed(head, length);
        receivedInBatch++;
    }

    private void usedBufferNotification(final DeviceVirtqueue queue)
    {
        if (!queue.notificationsSuppressed())
        {
            raise(INTERRUPT_USED_BUFFER);
        }
    }

    /**
     * Assert the interrupt line for {@code cause}; a rising edge counts as one interrupt.
     */
    private void raise(final int cause)
    {
        if (interruptStatus == 0)
        {
            counters.interrupts.incrementRelease();
        }
        interruptStatus |= cause;
    }

    /**
     * Little-endian read of {@code width} bytes of {@code struct virtio_net_config} from {@code offset}.
     */
    private int config(final int offset, final int width)
    {
        int value = 0;
        for (int i = width - 1; i >= 0; i--)
        {
            value = (value << 8) | configByte(offset + i);
        }
        return value;
    }

    private int configByte(final int offset)
    {
        final int macOctet = offset - NET_CONFIG_MAC;
        if (macOctet < MAC_LENGTH)
        {
            return (int)(macAddress >>> (8 * (MAC_LENGTH - 1 - macOctet))) & 0xFF;
        }
        if (offset == NET_CONFIG_STATUS)
        {
            return linkUp ? VIRTIO_NET_S_LINK_UP : 0;
        }
        return 0;
    }
}
