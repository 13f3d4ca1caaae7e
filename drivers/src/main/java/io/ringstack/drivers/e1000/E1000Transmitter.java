package io.ringstack.drivers.e1000;

import io.ringstack.drivers.DeviceCounters;
import io.ringstack.drivers.DeviceDrop;
import io.ringstack.drivers.GuestMemory;
import io.ringstack.phy.Link;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static io.ringstack.drivers.e1000.E1000Registers.*;

/**
 * The 82540EM's transmit DMA engine for legacy descriptors. The device owns the descriptors from TDH up to, not
 * including, TDT; it gathers their buffers until one carries EOP, puts the frame on the wire, writes DD back into
 * every descriptor whose command has RS, and advances TDH. A frame in one descriptor goes to the wire straight
 * from guest memory; only multi-descriptor and padded frames are copied.
 * <p>
 * Frames larger than 1518 bytes without FCS (no jumbo frames) are dropped as {@link DeviceDrop#TX_OVERSIZE}, and
 * extended (DEXT) descriptors as {@link DeviceDrop#BAD_DESCRIPTOR}: the model implements no offloads. A frame that
 * ends while STATUS.LU is clear is dropped as {@link DeviceDrop#LINK_DOWN}.
 */
final class E1000Transmitter
{
    /** Largest frame on the wire without FCS: 1514 bytes plus a VLAN tag. */
    static final int MAX_WIRE_FRAME = 1518;
    /** Shortest frame on the wire without FCS when TCTL.PSP pads: 64 bytes with it. */
    static final int MIN_WIRE_FRAME = 60;

    private static final int STAGING_CAPACITY = MAX_WIRE_FRAME + EthernetFcs.LENGTH;

    private final E1000Device device;
    private final E1000RegisterFile registers;
    private final GuestMemory memory;
    private final UnsafeBuffer guest;
    private final Link link;
    private final DeviceCounters counters;
    private final UnsafeBuffer staging = new UnsafeBuffer(BufferUtil.allocateDirectAligned(STAGING_CAPACITY, 64));

    private int gathered;
    private long directAddress;
    private int directLength;
    private DeviceDrop failure;
    private boolean pad;
    private boolean linkUp;
    private int sentFrames;
    private long sentOctets;

    E1000Transmitter(
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
     * Forget a frame partly gathered, as CTRL.RST does.
     */
    void reset()
    {
        gathered = 0;
        directLength = 0;
        failure = null;
    }

    /**
     * Process the descriptors between TDH and TDT, up to {@code budget} frames, as one burst: TDH, the statistics,
     * the device counters and ICR are written once at its end (8254x SDM 3.4: the hardware may process every
     * descriptor the tail covers before it writes the head back).
     *
     * @return frames ended, whether sent or dropped.
     */
    int process(final int budget)
    {
        final int control = registers.get(TCTL);
        if ((control & TCTL_EN) == 0 || !device.busMasterEnabled())
        {
            return 0;
        }
        final int count = registers.get(TDLEN) / E1000TxDescriptor.LENGTH;
        final int tail = registers.get(TDT);
        int head = registers.get(TDH);
        if (head == tail || head >= count || tail >= count)
        {
            return 0;
        }

        final long base = registers.address(TDBAL);
        pad = (control & TCTL_PSP) != 0;
        linkUp = device.linkUp();
        sentFrames = 0;
        sentOctets = 0;
        int frames = 0;
        int causes = 0;
        while (head != tail && frames < budget)
        {
            final long descriptor = base + (long)head * E1000TxDescriptor.LENGTH;
            head = head + 1 == count ? 0 : head + 1;
            if (!memory.isValid(descriptor, E1000TxDescriptor.LENGTH))
            {
                fail(DeviceDrop.BAD_DESCRIPTOR);
                endFrame(0);
                frames++;
                continue;
            }

            final int command = memory.getByte(descriptor + E1000TxDescriptor.CMD_OFFSET);
            if ((command & E1000TxDescriptor.CMD_DEXT) != 0)
            {
                fail(DeviceDrop.BAD_DESCRIPTOR);
            }
            else
            {
                gather(memory.getLong(descriptor + E1000TxDescriptor.BUFFER_ADDRESS_OFFSET),
                    memory.getShort(descriptor + E1000TxDescriptor.LENGTH_OFFSET), command);
            }
            if ((command & E1000TxDescriptor.CMD_RS) != 0)
            {
                memory.putByte(descriptor + E1000TxDescriptor.STATUS_OFFSET, E1000TxDescriptor.STATUS_DD);
                causes |= ICR_TXDW;
            }
            if ((command & E1000TxDescriptor.CMD_EOP) != 0)
            {
                endFrame(command);
                frames++;
            }
        }
        registers.put(TDH, head);
        if (sentFrames > 0)
        {
            registers.add32(GPTC, sentFrames);
            registers.add64(GOTCL, sentOctets);
            counters.txFrames.getAndAddRelease(sentFrames);
        }
        device.raise(head == tail ? causes | ICR_TXQE : causes);
        return frames;
    }

    private void fail(final DeviceDrop reason)
    {
        if (failure == null)
        {
            failure = reason;
        }
    }

    private void gather(final long address, final int length, final int command)
    {
        if (failure != null)
        {
            return;
        }
        if (!memory.isValid(address, length))
        {
            fail(DeviceDrop.BAD_DESCRIPTOR);
        }
        else if (gathered == 0 && directLength == 0 && (command & E1000TxDescriptor.CMD_EOP) != 0)
        {
            directAddress = address;
            directLength = length;
        }
        else if (gathered + length > STAGING_CAPACITY)
        {
            fail(DeviceDrop.TX_OVERSIZE);
        }
        else
        {
            memory.read(address, staging, gathered, length);
            gathered += length;
        }
    }

    /**
     * The descriptor with EOP (or one that could not be read) ends the frame: send or count it, then start afresh.
     *
     * @param command the CMD byte of the last descriptor, whose IFCS says whether the buffers hold the FCS.
     */
    private void endFrame(final int command)
    {
        if (failure != null)
        {
            counters.drop(failure);
        }
        else
        {
            final boolean direct = directLength != 0;
            final int length = direct ? directLength : gathered;
            send(direct ? guest : staging, direct ? memory.offsetOf(directAddress) : 0,
                (command & E1000TxDescriptor.CMD_IFCS) != 0 ? length : Math.max(0, length - EthernetFcs.LENGTH));
        }
        reset();
    }

    private void send(final DirectBuffer source, final int index, final int length)
    {
        if (length > MAX_WIRE_FRAME)
        {
            counters.drop(DeviceDrop.TX_OVERSIZE);
            return;
        }
        DirectBuffer frame = source;
        int offset = index;
        int wireLength = length;
        if (length < MIN_WIRE_FRAME && pad)
        {
            if (source != staging)
            {
                staging.putBytes(0, source, index, length);
            }
            staging.setMemory(length, MIN_WIRE_FRAME - length, (byte)0);
            frame = staging;
            offset = 0;
            wireLength = MIN_WIRE_FRAME;
        }
        if (!linkUp)
        {
            counters.drop(DeviceDrop.LINK_DOWN);
            return;
        }
        if (!link.send(frame, offset, wireLength))
        {
            counters.drop(DeviceDrop.LINK_FULL);
            return;
        }
        sentFrames++;
        sentOctets += wireLength + EthernetFcs.LENGTH;
    }
}
