package io.ringstack.drivers.virtio;

import io.ringstack.drivers.DeviceCounters;
import io.ringstack.drivers.DeviceDrop;
import io.ringstack.drivers.GuestMemory;
import io.ringstack.phy.Link;
import io.ringstack.phy.WireWait;
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
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.MAGIC;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.MAGIC_VALUE;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.MODERN_VERSION;
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
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.TRANSMIT_QUEUE;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VENDOR_ID;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VERSION;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_F_VERSION_1;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_NET_F_CSUM;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_NET_F_GUEST_CSUM;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_NET_F_GUEST_TSO4;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_NET_F_HOST_TSO4;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_NET_F_MAC;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_NET_F_MRG_RXBUF;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_NET_F_STATUS;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.feature;

/**
 * A model of a VirtIO network card on the virtio-mmio transport, version 2 (VirtIO 1.2 sections 4.2 and 5.1): the
 * register window of {@link VirtioMmioRegisters}, DMA over split virtqueues in {@link GuestMemory}
 * ({@link SplitVirtqueue}), and a {@link Link} as its wire. Queue 0 is {@code receiveq1}, queue 1
 * {@code transmitq1}; every frame on either carries a 12-byte {@link VirtioNetHeader} first.
 * <p>
 * This class wires the parts together and decodes the window: the status field is {@link VirtioDeviceStatus}, the
 * feature negotiation {@link VirtioFeatures}, the virtqueue registers {@link VirtioQueueRegisters}, the configuration
 * space {@link VirtioNetConfig}, {@code InterruptStatus} {@link VirtioInterrupt}, and the DMA engines
 * {@link VirtioNetReceiver} and {@link VirtioNetTransmitter}.
 * <p>
 * It offers VIRTIO_F_VERSION_1, VIRTIO_NET_F_MAC and VIRTIO_NET_F_STATUS, and on a wire that cuts TCP segments
 * itself ({@link Link#segmentOffloadBytes()} &gt; 0, a TAP with its virtio-net header) the offloads of
 * {@link #OFFLOAD_FEATURES} too, as QEMU offers them when its TAP has a virtio-net header: CSUM and HOST_TSO4, so that
 * the driver hands it segments of up to 64 KiB to put on the wire whole ({@link Link#sendSegmented}), and
 * GUEST_CSUM, GUEST_TSO4 and MRG_RXBUF, so that the wire hands the driver its own segments whole, each spread over as
 * many receive buffers as it fills. When FEATURES_OK sticks it asks the wire for whole segments exactly when the
 * driver accepted GUEST_TSO4 ({@link Link#receiveSegments}), as QEMU sets its TAP's offloads. It behaves as a modern
 * device: FEATURES_OK does not stick unless the driver accepted a subset of the offer that includes VERSION_1 and no
 * feature without the one it needs (HOST_TSO4 without CSUM, GUEST_TSO4 without GUEST_CSUM). A driver
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
 * to one thread, so the indices it shares with the driver are plain reads and writes.
 */
public final class VirtioNetDevice implements AutoCloseable
{
    /** {@code QueueNumMax} of both queues. */
    public static final int QUEUE_SIZE_MAX = 256;
    /** What the device offers on any wire: VERSION_1, MAC and STATUS. */
    public static final long OFFERED_FEATURES =
        feature(VIRTIO_F_VERSION_1) | feature(VIRTIO_NET_F_MAC) | feature(VIRTIO_NET_F_STATUS);
    /** What it offers besides on a wire that cuts TCP segments: CSUM, HOST_TSO4, GUEST_CSUM, GUEST_TSO4, MRG_RXBUF. */
    public static final long OFFLOAD_FEATURES = feature(VIRTIO_NET_F_CSUM) | feature(VIRTIO_NET_F_HOST_TSO4) |
        feature(VIRTIO_NET_F_GUEST_CSUM) | feature(VIRTIO_NET_F_GUEST_TSO4) | feature(VIRTIO_NET_F_MRG_RXBUF);

    private static final int QUEUE_COUNT = 2;

    private final DeviceCounters counters;
    private final Link link;
    private final VirtioInterrupt interrupt;
    private final VirtioFeatures features;
    private final VirtioDeviceStatus status;
    private final VirtioNetConfig config;
    private final VirtioQueueRegisters queues;
    private final VirtioNetReceiver receiver;
    private final VirtioNetTransmitter transmitter;
    private boolean transmitHung;

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
        counters = new DeviceCounters(countersManager, name);
        this.link = link;
        features = new VirtioFeatures(
            link.segmentOffloadBytes() > 0 ? OFFERED_FEATURES | OFFLOAD_FEATURES : OFFERED_FEATURES,
            feature(VIRTIO_F_VERSION_1),
            feature(VIRTIO_NET_F_HOST_TSO4), feature(VIRTIO_NET_F_CSUM),
            feature(VIRTIO_NET_F_GUEST_TSO4), feature(VIRTIO_NET_F_GUEST_CSUM));
        interrupt = new VirtioInterrupt(counters.interrupts);
        status = new VirtioDeviceStatus(name, countersManager, features, interrupt);
        config = new VirtioNetConfig(macAddress);
        queues = new VirtioQueueRegisters(memory, QUEUE_COUNT, QUEUE_SIZE_MAX, status);
        receiver = new VirtioNetReceiver(
            queues.queue(RECEIVE_QUEUE), memory, link, status, features, config, interrupt, counters);
        transmitter = new VirtioNetTransmitter(
            queues.queue(TRANSMIT_QUEUE), memory, link, status, features, config, interrupt, counters);
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
        return status.needsResetCount();
    }

    /**
     * @return the wire's wait ({@link Link#wireWait()}), or {@code null}.
     */
    public WireWait wireWait()
    {
        return link.wireWait();
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
                return features.deviceWord();
            case QUEUE_NUM_MAX:
                return queues.maxSize();
            case QUEUE_READY:
                return queues.ready();
            case INTERRUPT_STATUS:
                return interrupt.status();
            case STATUS:
                return status.get();
            case CONFIG_GENERATION:
                return config.generation();
            default:
                return offset >= CONFIG ? config.read(offset - CONFIG, 4) : 0;
        }
    }

    /**
     * An 8-bit read of the configuration space, as the driver reads {@code mac}.
     */
    public int mmioReadByte(final int offset)
    {
        return offset >= CONFIG ? config.read(offset - CONFIG, 1) : 0;
    }

    /**
     * A 16-bit read of the configuration space, as the driver reads {@code status}.
     */
    public int mmioReadShort(final int offset)
    {
        return offset >= CONFIG ? config.read(offset - CONFIG, 2) : 0;
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
                features.selectDeviceWord(value);
                break;
            case DRIVER_FEATURES:
                writeDriverFeatures(value);
                break;
            case DRIVER_FEATURES_SEL:
                features.selectDriverWord(value);
                break;
            case QUEUE_SEL:
                queues.select(value);
                break;
            case QUEUE_NUM:
                queues.size(value);
                break;
            case QUEUE_READY:
                queues.ready(value);
                break;
            case QUEUE_NOTIFY:
                notifyQueue(value);
                break;
            case INTERRUPT_ACK:
                interrupt.acknowledge(value);
                break;
            case STATUS:
                writeStatus(value);
                break;
            case QUEUE_DESC_LOW:
            case QUEUE_DESC_HIGH:
                queues.descriptorAreaWord(offset == QUEUE_DESC_HIGH, value);
                break;
            case QUEUE_DRIVER_LOW:
            case QUEUE_DRIVER_HIGH:
                queues.driverAreaWord(offset == QUEUE_DRIVER_HIGH, value);
                break;
            case QUEUE_DEVICE_LOW:
            case QUEUE_DEVICE_HIGH:
                queues.deviceAreaWord(offset == QUEUE_DEVICE_HIGH, value);
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
        final int transmitted = transmitHung ? 0 : transmitter.process(budget);
        return transmitted + receiver.poll(budget);
    }

    /**
     * Plug or unplug the cable: the configuration {@code status} changes, {@code ConfigGeneration} moves on, and a
     * configuration change notification is raised. While the link is down, frames are neither sent nor received:
     * both are counted as {@link DeviceDrop#LINK_DOWN}.
     * Called on the thread that runs the device, like everything else here.
     */
    public void linkUp(final boolean up)
    {
        if (config.linkUp(up))
        {
            interrupt.raise(INTERRUPT_CONFIG_CHANGE);
        }
    }

    /**
     * The transmit engine hangs: it takes no chain from {@code transmitq1}, notified or not, until the device is
     * reset by writing 0 to {@code Status}.
     */
    void hangTransmit()
    {
        transmitHung = true;
    }

    public void close()
    {
        status.close();
        counters.close();
    }

    /**
     * Test hook: the features without which FEATURES_OK does not stick, VERSION_1 by default. Requiring one the
     * driver does not accept shows how a driver copes with a device that refuses its subset.
     */
    void requiredFeatures(final long features)
    {
        this.features.required(features);
    }

    /**
     * Test hook: where both free-running indices of a queue start when it is enabled, as if the device resumed a
     * queue saved at that point; lets a test cross the 16-bit wrap after a few frames. 0 by default.
     */
    void initialRingIndex(final int index)
    {
        queues.initialRingIndex(index);
    }

    /**
     * @return how many {@code QueueNotify} writes named queue {@code index} since the device was made.
     */
    long notifications(final int index)
    {
        return queues.queue(index).notifications();
    }

    /**
     * {@code QueueNotify}: a notification for the transmit queue sends every chain the driver made available (one
     * burst, one {@code used.idx} publish). The receive queue needs none while the device has chains, since it reads
     * its available ring whenever a frame arrives, and says so with {@code VIRTQ_USED_F_NO_NOTIFY}; one that comes
     * after the device ran out of chains and asked for it takes the frames left waiting on the wire.
     */
    private void notifyQueue(final int index)
    {
        if (index == RECEIVE_QUEUE || index == TRANSMIT_QUEUE)
        {
            queues.queue(index).notified();
        }
        if (index == TRANSMIT_QUEUE && !transmitHung)
        {
            transmitter.process(SplitVirtqueue.MAX_SIZE);
        }
        else if (index == RECEIVE_QUEUE)
        {
            receiver.notified();
        }
    }

    private void writeStatus(final int value)
    {
        if (value != 0)
        {
            final boolean featuresOk = status.isFeaturesOk();
            status.write(value);
            if (!featuresOk && status.isFeaturesOk())
            {
                link.receiveSegments((features.accepted() & feature(VIRTIO_NET_F_GUEST_TSO4)) != 0);
            }
            return;
        }
        status.reset();
        transmitHung = false;
        features.reset();
        queues.reset();
        interrupt.reset();
    }

    private void writeDriverFeatures(final int value)
    {
        if (status.isFeaturesOk())
        {
            status.needsReset();
        }
        else
        {
            features.acceptDriverWord(value);
        }
    }
}
