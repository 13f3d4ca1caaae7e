package io.ringstack.drivers.e1000;

import io.ringstack.drivers.DeviceCounters;
import io.ringstack.drivers.DeviceDrop;
import io.ringstack.drivers.GuestMemory;
import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.Link;
import org.agrona.DirectBuffer;

import static io.ringstack.drivers.e1000.E1000Registers.*;

/**
 * The 82540EM's receive DMA engine. The device owns the descriptors from RDH up to, not including, RDT; it stores
 * each frame from the wire into the buffer of the descriptor at RDH, writes the descriptor back (status last) and
 * advances RDH. RDH equal to RDT means no descriptor is free: the frame is missed (MPC, RNBC, ICR.RXO). The
 * frames of one {@link #poll} are one burst: RDH, the statistics and ICR are written once at its end.
 * <p>
 * One frame per descriptor: with long packets unsupported a frame has at most 1522 bytes with its FCS, which fits
 * the 2048-byte buffers every driver posts; a frame larger than the posted buffer size is dropped whole where the
 * hardware would spread it over several descriptors.
 * <p>
 * Receive checksum offload (8254x SDM 3.2.9): with RXCSUM.TUOFLD set, a frame whose TCP or UDP checksum the wire
 * vouched for ({@link FrameHandler#CHECKSUM_GOOD}) is written back with TCPCS, checked and right; every other frame
 * with IXSM, no checksum indication, so that the driver's stack checks it. The model sums no checksum itself: what
 * the hardware would check in its receive FIFO, the stack checks once instead.
 */
final class E1000Receiver implements FrameHandler
{
    /** Largest frame without long packet support: 1518 bytes plus a VLAN tag, FCS included. */
    static final int MAX_FRAME_WITH_FCS = 1522;

    private static final int WRITTEN_BACK = E1000RxDescriptor.STATUS_DD | E1000RxDescriptor.STATUS_EOP |
        E1000RxDescriptor.STATUS_IXSM;
    private static final int WRITTEN_BACK_CHECKED = E1000RxDescriptor.STATUS_DD | E1000RxDescriptor.STATUS_EOP |
        E1000RxDescriptor.STATUS_TCPCS;
    private static final int STATUS_SHIFT = 8 * (E1000RxDescriptor.STATUS_OFFSET - E1000RxDescriptor.LENGTH_OFFSET);
    private static final int ERRORS_SHIFT = 8 * (E1000RxDescriptor.ERRORS_OFFSET - E1000RxDescriptor.LENGTH_OFFSET);

    private final E1000Device device;
    private final E1000RegisterFile registers;
    private final GuestMemory memory;
    private final Link link;
    private final DeviceCounters counters;

    private boolean carrier;
    private boolean enabled;
    private boolean checksumOffload;
    private int fcsLength;
    private int bufferSize;
    private int count;
    private int threshold;
    private long ringAddress;
    private int firstHead;
    private int head;
    private int tail;
    private int frames;
    private long octets;
    private int causes;

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
        this.link = link;
        this.counters = counters;
    }

    /**
     * Take up to {@code budget} frames off the wire as one burst: the receive registers are read once before it,
     * and RDH, the statistics, the device counters and the interrupt causes are written once after it, so every
     * one of them is exact whenever the driver can look.
     */
    int poll(final int budget)
    {
        beginBurst();
        final int arrived = link.poll(this, budget);
        endBurst();
        return arrived;
    }

    public void onFrame(final DirectBuffer frame, final int offset, final int length)
    {
        onFrame(frame, offset, length, 0);
    }

    public void onFrame(final DirectBuffer frame, final int offset, final int length, final int offloads)
    {
        if (!carrier)
        {
            counters.drop(DeviceDrop.LINK_DOWN);
            return;
        }
        if (!enabled)
        {
            counters.drop(DeviceDrop.RX_NOT_ENABLED);
            return;
        }
        final int stored = length + fcsLength;
        if (length + EthernetFcs.LENGTH > MAX_FRAME_WITH_FCS || stored > bufferSize)
        {
            counters.drop(DeviceDrop.RX_OVERSIZE);
            return;
        }
        if (head == tail)
        {
            registers.increment(MPC);
            registers.increment(RNBC);
            causes |= ICR_RXO;
            counters.drop(DeviceDrop.RX_RING_FULL);
            return;
        }
        if (head >= count || tail >= count)
        {
            counters.drop(DeviceDrop.BAD_DESCRIPTOR);
            return;
        }

        final long descriptor = ringAddress + (long)head * E1000RxDescriptor.LENGTH;
        final int next = head + 1 == count ? 0 : head + 1;
        head = next;
        if (!memory.isValid(descriptor, E1000RxDescriptor.LENGTH))
        {
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
            writeBack(descriptor, stored, checksumOffload && (offloads & CHECKSUM_GOOD) != 0 ?
                WRITTEN_BACK_CHECKED : WRITTEN_BACK, 0);
            frames++;
            octets += length + EthernetFcs.LENGTH;
        }
        else
        {
            writeBack(descriptor, 0, WRITTEN_BACK, E1000RxDescriptor.ERRORS_RXE);
            counters.drop(DeviceDrop.BAD_DESCRIPTOR);
        }

        final int free = tail >= next ? tail - next : tail - next + count;
        causes |= free == threshold ? ICR_RXT0 | ICR_RXDMT0 : ICR_RXT0;
    }

    private void beginBurst()
    {
        final int control = registers.get(RCTL);
        carrier = device.carrier();
        enabled = (control & RCTL_EN) != 0 && device.busMasterEnabled() && device.linkUp();
        fcsLength = (control & RCTL_SECRC) != 0 ? 0 : EthernetFcs.LENGTH;
        checksumOffload = (registers.get(RXCSUM) & RXCSUM_TUOFLD) != 0;
        bufferSize = bufferSize(control);
        count = registers.get(RDLEN) / E1000RxDescriptor.LENGTH;
        threshold = count >> (1 + ((control >>> RCTL_RDMTS_SHIFT) & 0b11));
        ringAddress = registers.address(RDBAL);
        firstHead = registers.get(RDH);
        head = firstHead;
        tail = registers.get(RDT);
        frames = 0;
        octets = 0;
        causes = 0;
    }

    /**
     * 8254x SDM 3.2.7: with RDTR 0 every stored frame sets RXT0 at once; the line is level-triggered, so a burst
     * whose causes are raised together asserts it once, as the frames of one burst would on the hardware.
     */
    private void endBurst()
    {
        if (head != firstHead)
        {
            registers.put(RDH, head);
        }
        if (frames > 0)
        {
            registers.add32(GPRC, frames);
            registers.add64(GORCL, octets);
            counters.rxFrames.getAndAddRelease(frames);
        }
        if (causes != 0)
        {
            device.raise(causes);
        }
    }

    /**
     * Write the second half of the descriptor back (8254x SDM 3.2.5): length, checksum 0, status, errors and
     * special 0 in one 8-byte store. Hardware writes the status last so that a driver reading it concurrently sees
     * DD only over a complete descriptor; the driver here reads it on the same thread, after the burst.
     */
    private void writeBack(final long descriptor, final int length, final int status, final int errors)
    {
        memory.putLong(descriptor + E1000RxDescriptor.LENGTH_OFFSET,
            (length & 0xFFFFL) | (long)status << STATUS_SHIFT | (long)errors << ERRORS_SHIFT);
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
