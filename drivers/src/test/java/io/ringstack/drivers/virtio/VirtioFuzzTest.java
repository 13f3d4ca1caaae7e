package io.ringstack.drivers.virtio;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ringstack.drivers.DeviceDrop;
import io.ringstack.drivers.HostileGuest;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Timeout;

import static io.ringstack.drivers.virtio.SplitVirtqueue.DESC_F_WRITE;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.*;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz target of the VirtIO-net model under a hostile guest: the device goes live through the whole handshake with
 * both queues of {@link #RING} descriptors and every receive descriptor posted, then the input drives it step by
 * step: a descriptor on either queue with any address (inside, at the edge of or outside guest memory), any length,
 * any flags (NEXT, WRITE, INDIRECT) and any next index, so chains can loop or run off the table; a head offered on
 * the available ring, in range or not; a scribble over the descriptor tables, the rings (indices included) or a
 * buffer; a write of any value to any register (status, features, queue selection and addresses, notify); a read at
 * any offset and width; the link going up or down; a frame of any length on the wire; and the device's service.
 * Half the inputs put the device on a wire that cuts TCP segments and negotiate any subset of its offloads, so that
 * the header of every transmit chain is read (GSO_TCPV4, NEEDS_CSUM and their fields) and frames fill merged
 * receive buffers.
 * <p>
 * It proves, for every input: nothing the guest does makes the model throw or hang (a bounded step count, and a
 * per-input timeout), and the model never reads or writes outside guest memory, which is exactly the
 * bounds-checked buffer of {@link io.ringstack.drivers.GuestMemory}. Malformed chains are the model's counted
 * {@link DeviceDrop#BAD_DESCRIPTOR}, a broken protocol its DEVICE_NEEDS_RESET.
 */
class VirtioFuzzTest
{
    static final int RING = 8;
    static final int BUFFER = 2048;
    static final int MAX_STEPS = 64;
    static final int MAX_FRAME = 2000;
    static final int MAX_BUDGET = 64;
    /** The registers a driver uses, picked far more often than an arbitrary offset. */
    static final int[] REGISTERS =
    {
        MAGIC_VALUE, VERSION, DEVICE_ID, VENDOR_ID, DEVICE_FEATURES, DEVICE_FEATURES_SEL, DRIVER_FEATURES,
        DRIVER_FEATURES_SEL, QUEUE_SEL, QUEUE_NUM_MAX, QUEUE_NUM, QUEUE_READY, QUEUE_NOTIFY, INTERRUPT_STATUS,
        INTERRUPT_ACK, STATUS, QUEUE_DESC_LOW, QUEUE_DESC_HIGH, QUEUE_DRIVER_LOW, QUEUE_DRIVER_HIGH, QUEUE_DEVICE_LOW,
        QUEUE_DEVICE_HIGH, CONFIG_GENERATION, CONFIG, CONFIG + NET_CONFIG_STATUS,
    };

    @FuzzTest
    @Timeout(60)
    void noGuestMakesTheModelThrowHangOrReachOutsideGuestMemory(final FuzzedDataProvider data)
    {
        assertTrue(DirectBuffer.SHOULD_BOUNDS_CHECK, "without Agrona's bounds checks this target proves nothing");
        final boolean offloads = data.consumeBoolean();
        try (RegisterLevelGuest registers = offloads ? new RegisterLevelGuest(new SegmentingWire(0xFFFF)) :
            new RegisterLevelGuest())
        {
            final VirtioNetDevice device = registers.device;
            final HostileGuest guest = new HostileGuest(data, registers.memory);
            final DriverVirtqueue[] queues = registers.live(RING, offloads ?
                VirtioNetDevice.OFFERED_FEATURES | data.consumeLong() & VirtioNetDevice.OFFLOAD_FEATURES :
                VirtioNetDevice.OFFERED_FEATURES);
            final DriverVirtqueue rx = queues[RECEIVE_QUEUE];
            final long buffer = registers.buffer(RING * BUFFER);
            for (int i = 0; i < RING; i++)
            {
                rx.descriptor(i, buffer + (long)i * BUFFER, BUFFER, DESC_F_WRITE, 0);
                rx.offer(i);
            }
            rx.publishAvail();

            for (int step = 0; step < MAX_STEPS && data.remainingBytes() > 0; step++)
            {
                final DriverVirtqueue queue = queues[data.consumeInt(0, 1)];
                switch (data.consumeInt(0, 9))
                {
                    case 0:
                    case 1:
                        queue.descriptor(data.consumeInt(0, RING - 1), guest.address(), guest.length(),
                            data.consumeInt(0, 7), data.consumeInt(0, 0xFFFF));
                        break;
                    case 2:
                        queue.offer(data.consumeBoolean() ? data.consumeInt(0, RING - 1) : data.consumeInt(0, 0xFFFF));
                        queue.publishAvail();
                        break;
                    case 3:
                        guest.scribble(queue.descriptorArea(), queue.driverArea(), queue.deviceArea(), buffer);
                        break;
                    case 4:
                    case 5:
                        device.mmioWrite(data.consumeBoolean() ? data.pickValue(REGISTERS) : data.consumeInt(),
                            data.consumeBoolean() ? (int)guest.address() : data.consumeInt());
                        break;
                    case 6:
                        read(device, data);
                        break;
                    case 7:
                        device.linkUp(data.consumeBoolean());
                        break;
                    case 8:
                        final byte[] frame = guest.frame(MAX_FRAME);
                        if (offloads)
                        {
                            ((SegmentingWire)registers.wire).arrive(frame, 1);
                        }
                        else
                        {
                            registers.wire.send(new UnsafeBuffer(frame), 0, frame.length);
                        }
                        break;
                    default:
                        device.service(data.consumeInt(0, MAX_BUDGET));
                        break;
                }
            }
            device.service(MAX_BUDGET);
        }
    }

    private static void read(final VirtioNetDevice device, final FuzzedDataProvider data)
    {
        final int offset = data.consumeBoolean() ? data.pickValue(REGISTERS) : data.consumeInt();
        switch (data.consumeInt(0, 2))
        {
            case 0:
                device.mmioReadByte(offset);
                break;
            case 1:
                device.mmioReadShort(offset);
                break;
            default:
                device.mmioRead(offset);
                break;
        }
    }
}
