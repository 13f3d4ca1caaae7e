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
 * The 82540EM's transmit DMA engine. The device owns the descriptors from TDH up to, not including, TDT; it gathers
 * their buffers until one carries EOP, puts the frame on the wire, writes DD back into every descriptor whose command
 * has RS, and advances TDH. A frame whose buffers follow one another in guest memory goes to the wire straight from
 * there, and so does the payload of a segment for a wire that cuts it, behind a copy of its headers made ready for
 * the wire ({@link Link#sendSegmented(DirectBuffer, int, int, DirectBuffer, int, int, int)}); a frame in scattered
 * buffers, one the device inserts checksums into or cuts itself, and a short one it pads are copied.
 * <p>
 * Besides legacy descriptors it takes the extended ones (DEXT, 8254x SDM 3.3.5-3.3.7): a
 * {@link E1000TxContextDescriptor context descriptor} loads the {@link E1000TxOffload offload context}, and a frame
 * of {@link E1000TxDataDescriptor data descriptors} gets the checksums its first descriptor's POPTS asks for, or
 * with TSE is cut into MSS-sized segments (3.5, 3.6). A wire that cuts TCP segments itself
 * ({@link Link#segmentOffloadBytes()}, a TAP with a virtio-net header) is handed the whole frame instead
 * ({@link Link#sendSegmented}), as QEMU's e1000e hands it to a vnet-header backend; the statistics count the
 * segments it becomes either way.
 * <p>
 * Frames larger than 1518 bytes without FCS (no jumbo frames), and segmented frames larger than the staging buffer,
 * are dropped as {@link DeviceDrop#TX_OVERSIZE}; a descriptor of another type as {@link DeviceDrop#BAD_DESCRIPTOR};
 * a frame the offload context does not fit as {@link DeviceDrop#TX_BAD_OFFLOAD}. A frame that ends while STATUS.LU
 * is clear is dropped as {@link DeviceDrop#LINK_DOWN}.
 */
final class E1000Transmitter
{
    /** Largest frame on the wire without FCS: 1514 bytes plus a VLAN tag. */
    static final int MAX_WIRE_FRAME = 1518;
    /** Shortest frame on the wire without FCS when TCTL.PSP pads: 64 bytes with it. */
    static final int MIN_WIRE_FRAME = 60;

    /** Room for a segmented frame: an IP packet of up to 65535 bytes behind its Ethernet header, with FCS. */
    static final int STAGING_CAPACITY = 0xFFFF + MAX_WIRE_FRAME - 1500 + EthernetFcs.LENGTH;

    private final E1000Device device;
    private final E1000RegisterFile registers;
    private final GuestMemory memory;
    private final UnsafeBuffer guest;
    private final Link link;
    private final DeviceCounters counters;
    private final UnsafeBuffer staging = new UnsafeBuffer(BufferUtil.allocateDirectAligned(STAGING_CAPACITY, 64));
    /** Where a short frame is padded: not in place, where a short segment lies before the next one's payload. */
    private final UnsafeBuffer padded = new UnsafeBuffer(BufferUtil.allocateDirectAligned(MIN_WIRE_FRAME, 64));
    private final E1000TxOffload offload = new E1000TxOffload();

    private int gathered;
    private long directAddress;
    private int directLength;
    private DeviceDrop failure;
    private boolean started;
    private boolean extended;
    private boolean segmented;
    private int options;
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
     * Forget a frame partly gathered and the offload context, as CTRL.RST does.
     */
    void reset()
    {
        forgetFrame();
        offload.reset();
    }

    private void forgetFrame()
    {
        gathered = 0;
        directLength = 0;
        failure = null;
        started = false;
    }

    /**
     * Process the descriptors between TDH and TDT, up to {@code budget} frames, as one burst: TDH, the statistics,
     * the device counters and ICR are written once at its end (8254x SDM 3.4: the hardware may process every
     * descriptor the tail covers before it writes the head back), and the link is flushed once ({@link Link#flush}).
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
            final boolean context = (command & E1000TxDescriptor.CMD_DEXT) != 0 &&
                memory.getByte(descriptor + E1000TxDataDescriptor.TYPE_OFFSET) >>> 4 ==
                    E1000TxContextDescriptor.DTYP_CONTEXT;
            if (context)
            {
                loadContext(descriptor);
            }
            else
            {
                take(descriptor, command);
            }
            if ((command & E1000TxDescriptor.CMD_RS) != 0)
            {
                memory.putByte(descriptor + E1000TxDescriptor.STATUS_OFFSET, E1000TxDescriptor.STATUS_DD);
                causes |= ICR_TXDW;
            }
            if (!context && (command & E1000TxDescriptor.CMD_EOP) != 0)
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
            link.flush();
        }
        device.raise(head == tail ? causes | ICR_TXQE : causes);
        return frames;
    }

    /**
     * A context descriptor goes before a frame's data descriptors (8254x SDM 3.3.6); one among them makes a malformed
     * chain: the frame is lost, the context loaded all the same.
     */
    private void loadContext(final long descriptor)
    {
        if (started)
        {
            fail(DeviceDrop.BAD_DESCRIPTOR);
        }
        offload.load(memory, descriptor);
    }

    /**
     * Gather the buffer of a legacy or data descriptor; the first descriptor of a frame says whether it is extended
     * and, for a data descriptor, which offloads it takes.
     */
    private void take(final long descriptor, final int command)
    {
        final boolean dext = (command & E1000TxDescriptor.CMD_DEXT) != 0;
        if (!started)
        {
            started = true;
            extended = dext;
            segmented = dext && (command & E1000TxDataDescriptor.DCMD_TSE) != 0;
            options = dext ? memory.getByte(descriptor + E1000TxDataDescriptor.POPTS_OFFSET) : 0;
        }
        final long address = memory.getLong(descriptor + E1000TxDescriptor.BUFFER_ADDRESS_OFFSET);
        if (dext != extended || dext && memory.getByte(descriptor + E1000TxDataDescriptor.TYPE_OFFSET) >>> 4 !=
            E1000TxDataDescriptor.DTYP_DATA)
        {
            fail(DeviceDrop.BAD_DESCRIPTOR);
        }
        else if (!dext)
        {
            gather(address, memory.getShort(descriptor + E1000TxDescriptor.LENGTH_OFFSET));
        }
        else
        {
            gather(address, memory.getInt(descriptor + E1000TxDataDescriptor.LENGTH_OFFSET) &
                E1000TxDataDescriptor.LENGTH_MASK);
        }
    }

    private void fail(final DeviceDrop reason)
    {
        if (failure == null)
        {
            failure = reason;
        }
    }

    /**
     * Take a buffer of the frame: while each follows the last in guest memory the frame stays where it is (a run from
     * {@code directAddress}); the first that does not has the run copied into staging, and it and every later one are
     * copied after it.
     */
    private void gather(final long address, final int length)
    {
        if (failure != null)
        {
            return;
        }
        if (!memory.isValid(address, length))
        {
            fail(DeviceDrop.BAD_DESCRIPTOR);
        }
        else if (directLength + gathered + length > STAGING_CAPACITY)
        {
            fail(DeviceDrop.TX_OVERSIZE);
        }
        else if (gathered == 0 && (directLength == 0 || address == directAddress + directLength))
        {
            directAddress = directLength == 0 ? address : directAddress;
            directLength += length;
        }
        else
        {
            stage(directLength);
            memory.read(address, staging, gathered, length);
            gathered += length;
        }
    }

    /**
     * Copy the first {@code length} bytes of a frame still in guest memory into staging, where it is gathered from then
     * on.
     */
    private void stage(final int length)
    {
        if (directLength != 0)
        {
            memory.read(directAddress, staging, 0, length);
            gathered = directLength;
            directLength = 0;
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
            final int gatheredLength = direct ? directLength : gathered;
            final int length = (command & E1000TxDescriptor.CMD_IFCS) != 0 ?
                gatheredLength : Math.max(0, gatheredLength - EthernetFcs.LENGTH);
            if (segmented)
            {
                sendSegmented(length);
            }
            else if (options != 0)
            {
                sendChecksummed(length);
            }
            else
            {
                send(direct ? guest : staging, direct ? memory.offsetOf(directAddress) : 0, length);
            }
        }
        forgetFrame();
    }

    private void sendChecksummed(final int length)
    {
        stage(length);
        final DeviceDrop refused = offload.checkChecksums(length, options);
        if (refused != null)
        {
            counters.drop(refused);
            return;
        }
        offload.insertChecksums(staging, 0, length, options);
        send(staging, 0, length);
    }

    /**
     * A TSE frame: whole to a wire that cuts it, else cut here into segments, each sent as a frame of its own.
     */
    private void sendSegmented(final int length)
    {
        final boolean direct = directLength != 0;
        final int headers = Math.min(offload.headerLength(), length);
        if (direct)
        {
            memory.read(directAddress, staging, 0, headers);
        }
        final DeviceDrop refused = offload.checkSegmentation(staging, length, options, MAX_WIRE_FRAME);
        if (refused != null)
        {
            counters.drop(refused);
            return;
        }
        if (!linkUp)
        {
            counters.drop(DeviceDrop.LINK_DOWN);
            return;
        }
        final int segments = offload.segments();
        if (offload.wireCuts(staging, length, options, link.segmentOffloadBytes()))
        {
            offload.prepareForWire(staging, length);
            final boolean taken = direct ?
                link.sendSegmented(staging, 0, headers, guest, memory.offsetOf(directAddress) + headers,
                    length - headers, offload.mss()) :
                link.sendSegmented(staging, 0, length, offload.mss());
            if (!taken)
            {
                counters.drop(DeviceDrop.LINK_FULL);
                return;
            }
            sentFrames += segments;
            sentOctets += length + (long)(segments - 1) * offload.headerLength() + (long)segments * EthernetFcs.LENGTH;
            return;
        }
        if (direct)
        {
            memory.read(directAddress + headers, staging, headers, length - headers);
        }
        for (int segment = 0; segment < segments; segment++)
        {
            final int segmentLength = offload.cut(staging, segment, options);
            send(staging, offload.segmentOffset(segment), segmentLength);
        }
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
            padded.putBytes(0, source, index, length);
            padded.setMemory(length, MIN_WIRE_FRAME - length, (byte)0);
            frame = padded;
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
