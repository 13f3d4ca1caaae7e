package io.ringstack.drivers.e1000;

import io.ringstack.drivers.DeviceCounters;
import io.ringstack.drivers.DeviceDrop;
import io.ringstack.drivers.GuestMemory;
import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.Link;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static io.ringstack.drivers.e1000.E1000Registers.*;

/**
 * The 82540EM's receive DMA engine. The device owns the descriptors from RDH up to, not including, RDT; it stores
 * each frame from the wire into the buffer of the descriptor at RDH, writes the descriptor back (status last) and
 * advances RDH. RDH equal to RDT means no descriptor is free: the frame is missed (MPC, RNBC, ICR.RXO).
 * <p>
 * One frame per descriptor: with long packets unsupported a frame has at most 1522 bytes with its FCS, which fits
 * the 2048-byte buffers every driver posts; a frame larger than the posted buffer size is dropped whole where the
 * hardware would spread it over several descriptors.
 */
final class E1000Receiver implements FrameHandler
{
    /** Largest frame without long packet support: 1518 bytes plus a VLAN tag, FCS included. */
    static final int MAX_FRAME_WITH_FCS = 1522;

    private static final int WRITTEN_BACK = E1000RxDescriptor.STATUS_DD | E1000RxDescriptor.STATUS_EOP |
        E1000RxDescriptor.STATUS_IXSM;

    private final E1000Device device;
    private final E1000RegisterFile registers;
    private final GuestMemory memory;
    private final UnsafeBuffer guest;
    private final Link link;
    private final DeviceCounters counters;

    E1000Receiver(
        final E1000Device device,
        final E1000RegisterFile registers,
        final GuestMemory memory,
        final Link link,
        final DeviceCounters counters)
    {
        this.device = device;
        this.registers = registers;
        this.memory = memory;
        this.guest = memory.buffer();
        this.link = link;
        this.counters = counters;
    }

    /**
     * Take up to {@code budget} frames off the wire.
     */
    int poll(final int budget)
    {
        return link.poll(this, budget);
    }

    public void onFrame(final DirectBuffer frame, final int offset, final int length)
    {
        final int control = registers.get(RCTL);
        if ((control & RCTL_EN) == 0 || !device.busMasterEnabled() || !device.linkUp())
        {
            counters.drop(DeviceDrop.RX_NOT_ENABLED);
            return;
        }
        final int fcsLength = (control & RCTL_SECRC) != 0 ? 0 : EthernetFcs.LENGTH;
        final int stored = length + fcsLength;
        if (length + EthernetFcs.LENGTH > MAX_FRAME_WITH_FCS || stored > bufferSize(control))
        {
            counters.drop(DeviceDrop.RX_OVERSIZE);
            return;
        }

        final int count = registers.get(RDLEN) / E1000RxDescriptor.LENGTH;
        final int head = registers.get(RDH);
        final int tail = registers.get(RDT);
        if (head == tail)
        {
            registers.increment(MPC);
            registers.increment(RNBC);
            device.raise(ICR_RXO);
            counters.drop(DeviceDrop.RX_RING_FULL);
            return;
        }
        if (head >= count || tail >= count)
        {
            counters.drop(DeviceDrop.BAD_DESCRIPTOR);
            return;
        }

        final long descriptor = registers.address(RDBAL) + (long)head * E1000RxDescriptor.LENGTH;
        final int next = head + 1 == count ? 0 : head + 1;
        if (!memory.isValid(descriptor, E1000RxDescriptor.LENGTH))
        {
            registers.put(RDH, next);
            counters.drop(DeviceDrop.BAD_DESCRIPTOR);
            return;
        }

        final long buffer = memory.getLong(descriptor + E1000RxDescriptor.BUFFER_ADDRESS_OFFSET);
        if (memory.isValid(buffer, stored))
        {
            memory.write(buffer, frame, offset, length);
            if (fcsLength != 0)
            {
                memory.putInt(buffer + length, EthernetFcs.compute(frame, offset, length));
            }
            writeBack(descriptor, stored, 0);
            registers.increment(GPRC);
            registers.add64(GORCL, length + EthernetFcs.LENGTH);
            counters.rxFrames.incrementRelease();
        }
        else
        {
            writeBack(descriptor, 0, E1000RxDescriptor.ERRORS_RXE);
            counters.drop(DeviceDrop.BAD_DESCRIPTOR);
        }
        registers.put(RDH, next);

        final int free = tail >= next ? tail - next : tail - next + count;
        final int threshold = count >> (1 + ((control >>> RCTL_RDMTS_SHIFT) & 0b11));
        device.raise(free == threshold ? ICR_RXT0 | ICR_RXDMT0 : ICR_RXT0);
    }

    private void writeBack(final long descriptor, final int length, final int errors)
    {
        memory.putShort(descriptor + E1000RxDescriptor.LENGTH_OFFSET, length);
        memory.putShort(descriptor + E1000RxDescriptor.CHECKSUM_OFFSET, 0);
        memory.putByte(descriptor + E1000RxDescriptor.ERRORS_OFFSET, errors);
        memory.putShort(descriptor + E1000RxDescriptor.SPECIAL_OFFSET, 0);
        guest.putByteVolatile(memory.offsetOf(descriptor + E1000RxDescriptor.STATUS_OFFSET), (byte)WRITTEN_BACK);
    }

    /**
     * @return the receive buffer size RCTL.BSIZE and RCTL.BSEX select.
     */
    static int bufferSize(final int control)
    {
        final int size = (control >>> RCTL_BSIZE_SHIFT) & 0b11;
        if ((control & RCTL_BSEX) != 0 && size != 0)
        {
            return 32768 >> size;
        }
        return 2048 >> size;
    }
}
