package io.ringstack.drivers.virtio;

import io.ringstack.drivers.GuestMemory;
import io.ringstack.phy.Cable;
import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.Link;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static io.ringstack.drivers.virtio.VirtioMmioRegisters.DRIVER_FEATURES;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.DRIVER_FEATURES_SEL;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.QUEUE_DESC_HIGH;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.QUEUE_DESC_LOW;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.QUEUE_DEVICE_HIGH;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.QUEUE_DEVICE_LOW;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.QUEUE_DRIVER_HIGH;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.QUEUE_DRIVER_LOW;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.QUEUE_NUM;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.QUEUE_READY;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.QUEUE_SEL;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.STATUS;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.STATUS_ACKNOWLEDGE;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.STATUS_DRIVER;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.STATUS_DRIVER_OK;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.STATUS_FEATURES_OK;

/**
 * A guest that programs a {@link VirtioNetDevice} register by register and builds descriptor chains by hand, to
 * reach the device states and malformed rings a correct driver never produces. The device's wire is one end of a
 * cable; the test holds the other ({@link #wire}).
 */
final class RegisterLevelGuest implements AutoCloseable
{
    static final long DEVICE_MAC = 0x5254_0012_3456L;
    static final int MEMORY_LENGTH = 1 << 20;

    final GuestMemory memory = GuestMemory.allocate(MEMORY_LENGTH);
    final Link wire;
    final VirtioNetDevice device;
    private final List<byte[]> fromDevice = new ArrayList<>();
    private final FrameHandler collector = this::collect;

    RegisterLevelGuest(final int cableCapacity)
    {
        final Link[] ends = Cable.ends(cableCapacity);
        wire = ends[1];
        device = new VirtioNetDevice("virtio.test", memory, ends[0], DEVICE_MAC, newCountersManager());
    }

    RegisterLevelGuest()
    {
        this(1 << 16);
    }

    /**
     * A guest whose device is on {@code link}, which the test holds as {@link #wire} as well.
     */
    RegisterLevelGuest(final Link link)
    {
        wire = link;
        device = new VirtioNetDevice("virtio.test", memory, link, DEVICE_MAC, newCountersManager());
    }

    static CountersManager newCountersManager()
    {
        return new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(8 * 1024)));
    }

    int read(final int register)
    {
        return device.mmioRead(register);
    }

    void write(final int register, final int value)
    {
        device.mmioWrite(register, value);
    }

    int status()
    {
        return read(STATUS);
    }

    void addStatus(final int bits)
    {
        write(STATUS, status() | bits);
    }

    void writeDriverFeatures(final long features)
    {
        write(DRIVER_FEATURES_SEL, 0);
        write(DRIVER_FEATURES, (int)features);
        write(DRIVER_FEATURES_SEL, 1);
        write(DRIVER_FEATURES, (int)(features >>> 32));
    }

    /**
     * Reset, ACKNOWLEDGE, DRIVER, accept {@code features}, ask for FEATURES_OK.
     *
     * @return the status read back.
     */
    int negotiate(final long features)
    {
        write(STATUS, 0);
        addStatus(STATUS_ACKNOWLEDGE);
        addStatus(STATUS_DRIVER);
        writeDriverFeatures(features);
        addStatus(STATUS_FEATURES_OK);
        return status();
    }

    /**
     * Allocate queue {@code index} of {@code size} descriptors and program its registers, ending with QueueReady.
     */
    DriverVirtqueue queue(final int index, final int size)
    {
        final DriverVirtqueue queue = new DriverVirtqueue(memory, size, 0);
        program(index, size, queue.descriptorArea(), queue.driverArea(), queue.deviceArea());
        return queue;
    }

    void program(final int index, final int size, final long descriptors, final long driverArea, final long deviceArea)
    {
        write(QUEUE_SEL, index);
        write(QUEUE_NUM, size);
        write(QUEUE_DESC_LOW, (int)descriptors);
        write(QUEUE_DESC_HIGH, (int)(descriptors >>> 32));
        write(QUEUE_DRIVER_LOW, (int)driverArea);
        write(QUEUE_DRIVER_HIGH, (int)(driverArea >>> 32));
        write(QUEUE_DEVICE_LOW, (int)deviceArea);
        write(QUEUE_DEVICE_HIGH, (int)(deviceArea >>> 32));
        write(QUEUE_READY, 1);
    }

    /**
     * The full handshake with VERSION_1 | MAC | STATUS and both queues of {@code size}; the device is live.
     */
    DriverVirtqueue[] live(final int size)
    {
        return live(size, VirtioNetDevice.OFFERED_FEATURES);
    }

    /**
     * The full handshake with {@code features} and both queues of {@code size}; live if the device took them.
     */
    DriverVirtqueue[] live(final int size, final long features)
    {
        negotiate(features);
        final DriverVirtqueue[] queues = { queue(0, size), queue(1, size) };
        addStatus(STATUS_DRIVER_OK);
        return queues;
    }

    long buffer(final int length)
    {
        return memory.allocate(length, 16);
    }

    void sendOnWire(final byte[] frame)
    {
        if (!wire.send(new UnsafeBuffer(frame), 0, frame.length))
        {
            throw new IllegalStateException("cable full");
        }
    }

    /**
     * @return the frames the device put on the wire since the last call.
     */
    List<byte[]> takeFromWire()
    {
        wire.poll(collector, Integer.MAX_VALUE);
        final List<byte[]> frames = new ArrayList<>(fromDevice);
        fromDevice.clear();
        return frames;
    }

    byte[] bytesAt(final long address, final int length)
    {
        final byte[] bytes = new byte[length];
        memory.buffer().getBytes(memory.offsetOf(address), bytes);
        return bytes;
    }

    void putBytes(final long address, final byte[] bytes)
    {
        memory.buffer().putBytes(memory.offsetOf(address), bytes);
    }

    static byte[] frame(final int length, final int seed)
    {
        final byte[] frame = new byte[length];
        for (int i = 0; i < length; i++)
        {
            frame[i] = (byte)(seed * 31 + i * 7);
        }
        return frame;
    }

    private void collect(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] frame = new byte[length];
        buffer.getBytes(offset, frame);
        fromDevice.add(frame);
    }

    public void close()
    {
        device.close();
        memory.close();
    }
}
