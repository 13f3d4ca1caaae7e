package io.ringstack.drivers.e1000;

import io.ringstack.drivers.DeviceCounters;
import io.ringstack.drivers.DeviceDrop;
import io.ringstack.drivers.DeviceFaults;
import io.ringstack.drivers.GuestMemory;
import io.ringstack.drivers.TxWatchdog;
import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.NetworkDevice;
import io.ringstack.phy.WireWait;
import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.InternetChecksum;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.TcpSegment;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import static io.ringstack.drivers.e1000.E1000Registers.*;
import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * The guest's driver for an {@link E1000Device}, and what the engine sees as its {@link NetworkDevice}. It programs
 * the device the way a small OS does (see {@link #init}) and then polls it: {@link #receive} lets the device do its
 * DMA work, hands every written-back receive descriptor's buffer to the engine in place and returns the batch to
 * the device with one RDT write; {@link #transmit} copies a frame into the slot at the driver's tail, and the
 * frames queued since the last poll go to the device as one burst, with one TDT write when the next
 * {@link #receive} lets the device work (or at once when the ring is full), which is when the device would send
 * them anyway.
 * <p>
 * Rings of 256 descriptors (as Linux's e1000 driver has by default) with 2048-byte buffers, allocated once in guest
 * memory by {@link #init}; nothing on the data path allocates or throws.
 * <p>
 * TCP segmentation offload ({@link #transmitSegmented}), as Linux's e1000 does it ({@code e1000_tso}): a TCP
 * segment of up to 64 KiB goes to the device behind one {@link E1000TxContextDescriptor context descriptor},
 * written only when the headers' layout, the MSS or the payload length differ from the last one's, in
 * {@link E1000TxDataDescriptor data descriptors} of a 2048-byte buffer each, with TSE and both checksums asked for;
 * the copy in guest memory has the IPv4 total length and header checksum zeroed and the TCP checksum field seeded
 * with the pseudo-header's sum without the length, which the device adds per segment (8254x SDM 3.6). The engine is
 * offered it ({@link #segmentOffloadBytes()}) when the wire cuts segments itself, so that a TAP gets the whole
 * segment in one system call; on any other wire frames stay MTU-sized, as before, and a segment handed over all
 * the same (a replay of a journal recorded with offload) is cut by the device.
 * <p>
 * Faults ({@link #faults()}): a driver told to starve its receive ring stops returning buffers with RDT until it is
 * told to replenish; a {@link TxWatchdog} on the engine's clock resets the device when transmit descriptors stay
 * pending without progress for its timeout (Linux e1000's {@code tx_timeout} and reset task): CTRL.RST, then the
 * same rings in the same memory programmed afresh, every frame they held counted as {@link DeviceDrop#DEVICE_RESET};
 * while the link is down, transmit refuses with {@link DeviceDrop#LINK_DOWN}. The driver and its device are used from
 * one thread, the engine's, so descriptors and registers are read and written with plain accesses (see
 * {@code E1000RegisterFile}).
 */
public final class E1000Driver implements NetworkDevice
{
    public static final int RX_RING_SIZE = 256;
    public static final int TX_RING_SIZE = 256;
    /**
     * The guest memory the driver takes: both descriptor rings and a 2048-byte buffer per descriptor (1 MiB and
     * 8 KiB), the transmit buffers' overflow ({@link #TX_OVERFLOW_BUFFERS}, 66 KiB), with room for their alignment.
     */
    public static final int GUEST_MEMORY_LENGTH = 2 << 20;
    public static final int BUFFER_SIZE = 2048;
    /** TIPG for copper: IPGT 10, IPGR1 8, IPGR2 6. */
    public static final int TIPG_VALUE = 10 | 8 << TIPG_IPGR1_SHIFT | 6 << TIPG_IPGR2_SHIFT;
    /** Collision threshold 0x10 and collision distance 0x40, as for full duplex. */
    public static final int TCTL_VALUE = TCTL_EN | TCTL_PSP | 0x10 << TCTL_CT_SHIFT | 0x40 << TCTL_COLD_SHIFT;
    public static final int RCTL_VALUE = RCTL_EN | RCTL_BAM | RCTL_BSIZE_2048 | RCTL_SECRC;
    public static final int INTERRUPT_MASK = ICR_RXT0 | ICR_TXDW | ICR_LSC;
    /**
     * The largest IP packet handed to the device to segment: Linux's e1000 {@code gso_max_size} of 64 KiB, less
     * the one byte an IPv4 total length cannot hold.
     */
    public static final int MAX_SEGMENT_OFFLOAD_BYTES = 0xFFFF;
    /**
     * Buffers after the last transmit slot's, so that a segment's pieces lie in one piece of guest memory even where
     * its slots wrap to the ring's start: as many as the largest segment takes. The descriptor in slot {@code i} of
     * such a segment points at buffer {@code TX_RING_SIZE + i}, which only that slot ever uses.
     */
    static final int TX_OVERFLOW_BUFFERS =
        (EthernetFrame.HEADER_LENGTH + MAX_SEGMENT_OFFLOAD_BYTES + BUFFER_SIZE - 1) / BUFFER_SIZE;

    /** How many times a bounded wait reads the register it waits on (CTRL.RST, EERD.DONE, STATUS.LU). */
    public static final int SPIN_LIMIT = 100_000;

    private static final int RX_MASK = RX_RING_SIZE - 1;
    private static final int TX_MASK = TX_RING_SIZE - 1;
    private static final int RX_RING_BYTES = RX_RING_SIZE * E1000RxDescriptor.LENGTH;
    private static final int TX_RING_BYTES = TX_RING_SIZE * E1000TxDescriptor.LENGTH;
    private static final int RING_ALIGNMENT = 128;
    private static final int TX_COMMAND = E1000TxDescriptor.CMD_EOP | E1000TxDescriptor.CMD_IFCS |
        E1000TxDescriptor.CMD_RS;
    private static final long NO_ADDRESS = 0;
    private static final long NO_CONTEXT = -1;
    private static final int TSO_CONTEXT_COMMAND = E1000TxDescriptor.CMD_DEXT | E1000TxDescriptor.CMD_RS |
        E1000TxContextDescriptor.TUCMD_TSE | E1000TxContextDescriptor.TUCMD_IP | E1000TxContextDescriptor.TUCMD_TCP;
    private static final int TSO_DATA_COMMAND = E1000TxDescriptor.CMD_DEXT | E1000TxDescriptor.CMD_RS |
        E1000TxDataDescriptor.DCMD_TSE | E1000TxDescriptor.CMD_IFCS;
    private static final int TSO_OPTIONS = E1000TxDataDescriptor.POPTS_TXSM | E1000TxDataDescriptor.POPTS_IXSM;
    private static final int TX_COMMAND_SHIFT = 8 * (E1000TxDescriptor.CMD_OFFSET - E1000TxDescriptor.LENGTH_OFFSET);
    private static final int POPTS_SHIFT =
        8 * (E1000TxDataDescriptor.POPTS_OFFSET - E1000TxDataDescriptor.LENGTH_OFFSET);
    private static final int HDRLEN_SHIFT =
        8 * (E1000TxContextDescriptor.HDRLEN_OFFSET - E1000TxContextDescriptor.PAYLEN_OFFSET);
    private static final int MSS_SHIFT =
        8 * (E1000TxContextDescriptor.MSS_OFFSET - E1000TxContextDescriptor.PAYLEN_OFFSET);
    private static final int RX_STATUS_SHIFT = 8 * (E1000RxDescriptor.STATUS_OFFSET - E1000RxDescriptor.LENGTH_OFFSET);
    /** The status bits that say whether the device checked a frame's TCP or UDP checksum: TCPCS without IXSM. */
    private static final int RX_CHECKSUM_STATUS = E1000RxDescriptor.STATUS_TCPCS | E1000RxDescriptor.STATUS_IXSM;
    private static final int RX_ERRORS_SHIFT = 8 * (E1000RxDescriptor.ERRORS_OFFSET - E1000RxDescriptor.LENGTH_OFFSET);

    private final E1000Device device;
    private final GuestMemory memory;
    private final UnsafeBuffer guest;
    private final DeviceCounters counters;
    private final TxWatchdog watchdog;
    private final DeviceFaults faults;

    private boolean initialised;
    private boolean linkUp;
    private long macAddress;
    private long rxRingAddress;
    private long rxBuffersAddress;
    private int rxRingOffset;
    private int rxBuffersOffset;
    private int rxNext;
    private int rxReturned;
    private boolean rxStarved;
    private long txRingAddress;
    private int txRingOffset;
    private int txBuffersOffset;
    private long txBuffersAddress;
    private int txTail;
    private int txPublished;
    private int txClean;
    private long txCompleted;
    private long txContext = NO_CONTEXT;

    /**
     * A driver bound to {@code device}; nothing is touched until {@link #init}.
     *
     * @param memory the guest memory the device was built over, where the driver places its rings and buffers.
     */
    public E1000Driver(final E1000Device device, final GuestMemory memory)
    {
        this(device, memory, SystemNanoClock.INSTANCE, TxWatchdog.DEFAULT_TIMEOUT_NS);
    }

    /**
     * @param clock       the engine's clock, which times the transmit watchdog.
     * @param txTimeoutNs how long transmit descriptors may stay pending without progress before a reset.
     */
    public E1000Driver(
        final E1000Device device, final GuestMemory memory, final NanoClock clock, final long txTimeoutNs)
    {
        this.device = device;
        this.memory = memory;
        this.guest = memory.buffer();
        this.counters = device.counters();
        this.watchdog = new TxWatchdog(clock, txTimeoutNs);
        this.faults = new DeviceFaults(this::starveReceive, device::hangTransmit, device::carrier);
    }

    /**
     * Bring the device up, as the seed OS's driver does:
     * <ol>
     *     <li>check the PCI IDs, enable memory space and bus mastering;</li>
     *     <li>mask every interrupt (IMC), reset (CTRL.RST) and wait for the bit to clear, mask again;</li>
     *     <li>read the station address from EEPROM words 0-2 through EERD, or from RAL0/RAH0 when the EEPROM does
     *     not answer or holds no address, and write it back to RAL0/RAH0 with Address Valid;</li>
     *     <li>clear the 128 MTA entries;</li>
     *     <li>receive ring: 256 descriptors with 2048-byte buffers, RDBAL/RDBAH/RDLEN, RDH = 0, RDT = 255,
     *     RDTR = RADV = 0, RXCSUM = TUOFLD (the stack skips the checksums the device reports checked, TCPCS),
     *     RCTL = EN | BAM | BSIZE 2048 | SECRC;</li>
     *     <li>transmit ring: 256 descriptors and buffers, TDBAL/TDBAH/TDLEN, TDH = TDT = 0, TCTL = EN | PSP | CT 0x10
     *     | COLD 0x40, TIPG 10/8/6;</li>
     *     <li>CTRL.SLU | ASDE and wait for STATUS.LU;</li>
     *     <li>clear ICR and enable RXT0 | TXDW | LSC.</li>
     * </ol>
     * Every wait is bounded by {@link #SPIN_LIMIT} reads. A link still down at the end is not an error: transmit
     * refuses until an LSC interrupt reports it up.
     *
     * @throws IllegalStateException when the device is not an 82540EM, its reset does not complete, no station
     *                               address can be found, or this driver was initialised already.
     */
    public void init()
    {
        if (initialised)
        {
            throw new IllegalStateException(device.name() + ": already initialised");
        }
        final PciConfigSpace config = device.config();
        final int vendorId = config.read16(PciConfigSpace.VENDOR_ID_OFFSET);
        final int deviceId = config.read16(PciConfigSpace.DEVICE_ID_OFFSET);
        if (vendorId != E1000Device.VENDOR_ID || deviceId != E1000Device.DEVICE_ID)
        {
            throw new IllegalStateException(String.format(
                "%s: PCI %04x:%04x is not an 82540EM (8086:100e)", device.name(), vendorId, deviceId));
        }
        config.write16(PciConfigSpace.COMMAND_OFFSET, config.read16(PciConfigSpace.COMMAND_OFFSET) |
            PciConfigSpace.COMMAND_MEMORY_SPACE | PciConfigSpace.COMMAND_BUS_MASTER);

        if (!resetDevice())
        {
            throw new IllegalStateException(device.name() + ": CTRL.RST did not clear");
        }
        macAddress = readMacAddress();
        allocateRings();
        program();
        initialised = true;
    }

    /**
     * @return the faults this NIC can be put into: starving the receive ring (the driver), hanging the transmit unit
     * and pulling the cable (the device).
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

    public boolean isInitialised()
    {
        return initialised;
    }

    /**
     * @return the link state the driver last saw: after {@link #init}, then on every LSC interrupt.
     */
    public boolean isLinkUp()
    {
        return linkUp;
    }

    public String name()
    {
        return device.name();
    }

    /**
     * @return the station address found by {@link #init}, 0 before.
     */
    public long macAddress()
    {
        return macAddress;
    }

    public int mtu()
    {
        return EthernetFrame.MAX_PAYLOAD_LENGTH;
    }

    /**
     * Publish the frames queued by {@link #transmit} since the last poll with one TDT write, let the device move up
     * to {@code min(limit, 255)} frames each way, then hand every received frame to
     * {@code handler} straight from its receive buffer, return the batch to the device with one RDT write, and
     * acknowledge interrupts (reading ICR clears it; LSC refreshes the link state). Descriptors the device wrote
     * back with an error were counted by the device and are recycled.
     */
    public int receive(final FrameHandler handler, final int limit)
    {
        if (!initialised || limit <= 0)
        {
            return 0;
        }
        publishTransmitTail();
        device.service(Math.min(limit, RX_RING_SIZE - 1));

        int index = rxNext;
        int processed = 0;
        int delivered = 0;
        while (processed < limit)
        {
            final long descriptor = rxRingAddress + (long)index * E1000RxDescriptor.LENGTH;
            final long upper = memory.getLong(descriptor + E1000RxDescriptor.LENGTH_OFFSET);
            if (((upper >>> RX_STATUS_SHIFT) & E1000RxDescriptor.STATUS_DD) == 0)
            {
                break;
            }
            if (((upper >>> RX_ERRORS_SHIFT) & 0xFF) == 0)
            {
                handler.onFrame(guest, rxBuffersOffset + index * BUFFER_SIZE, (int)upper & 0xFFFF,
                    ((upper >>> RX_STATUS_SHIFT) & RX_CHECKSUM_STATUS) == E1000RxDescriptor.STATUS_TCPCS ?
                    FrameHandler.CHECKSUM_GOOD : 0);
                delivered++;
            }
            memory.putByte(descriptor + E1000RxDescriptor.STATUS_OFFSET, 0);
            index = (index + 1) & RX_MASK;
            processed++;
        }
        rxNext = index;
        returnReceiveBuffers();

        if ((device.mmioRead(ICR) & ICR_LSC) != 0)
        {
            linkUp = (device.mmioRead(STATUS) & STATUS_LU) != 0;
        }
        watchTransmit();
        return delivered;
    }

    /**
     * Copy the frame into the transmit slot at the driver's tail and write its descriptor with EOP | IFCS | RS; the
     * next {@link #receive} publishes TDT for the whole burst. A full ring is first reclaimed (descriptors the device
     * marked DD), publishing TDT and letting the device catch up once if need be.
     *
     * @return {@link #TX_OK}, {@link #TX_NOT_READY} before {@link #init} or while the link is down,
     * {@link #TX_OVERSIZE} above 1514 bytes, or {@link #TX_RING_FULL}; every refusal is counted on the device.
     */
    public int transmit(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!initialised)
        {
            counters.drop(DeviceDrop.TX_NOT_READY);
            return TX_NOT_READY;
        }
        if (!linkUp)
        {
            counters.drop(DeviceDrop.LINK_DOWN);
            return TX_NOT_READY;
        }
        if (length > EthernetFrame.MAX_FRAME_LENGTH)
        {
            counters.drop(DeviceDrop.TX_OVERSIZE);
            return TX_OVERSIZE;
        }
        if (!hasRoom(1))
        {
            counters.drop(DeviceDrop.TX_RING_FULL);
            return TX_RING_FULL;
        }

        final int slot = txTail;
        guest.putBytes(txBuffersOffset + slot * BUFFER_SIZE, buffer, offset, length);
        writeDescriptor(slot, txBuffersAddress + (long)slot * BUFFER_SIZE,
            length | (long)TX_COMMAND << TX_COMMAND_SHIFT);
        return TX_OK;
    }

    /**
     * @return {@link #MAX_SEGMENT_OFFLOAD_BYTES} when the wire cuts TCP segments itself, else what it cuts (0).
     */
    public int segmentOffloadBytes()
    {
        return Math.min(MAX_SEGMENT_OFFLOAD_BYTES, device.wireSegmentOffloadBytes());
    }

    /**
     * @return the wait of the device's wire: a frame arriving there is the receive interrupt a sleeping OS waits for.
     */
    public WireWait wireWait()
    {
        return device.wireWait();
    }

    /**
     * Queue an IPv4 TCP segment of up to {@link #MAX_SEGMENT_OFFLOAD_BYTES} of IP packet for the device to cut into
     * segments of {@code segmentSize} payload bytes: a context descriptor when the last one does not describe it,
     * then its bytes in data descriptors of one buffer each (see the class comment). A frame that fits the MTU goes
     * as {@link #transmit} sends it.
     *
     * @return {@link #TX_OK}, {@link #TX_NOT_READY}, {@link #TX_OVERSIZE} above 64 KiB of IP packet or for a
     * segment size of 0, or {@link #TX_RING_FULL} when the ring has no room for all its descriptors; every refusal
     * is counted on the device.
     */
    public int transmitSegmented(final DirectBuffer buffer, final int offset, final int length, final int segmentSize)
    {
        if (length <= EthernetFrame.MAX_FRAME_LENGTH || !initialised || !linkUp)
        {
            return transmit(buffer, offset, length);
        }
        if (length - EthernetFrame.HEADER_LENGTH > MAX_SEGMENT_OFFLOAD_BYTES || segmentSize <= 0)
        {
            counters.drop(DeviceDrop.TX_OVERSIZE);
            return TX_OVERSIZE;
        }
        final long context = segmentContext(buffer, offset, length, segmentSize);
        final int buffers = buffersFor(length);
        if (!hasRoom(context == txContext ? buffers : buffers + 1))
        {
            counters.drop(DeviceDrop.TX_RING_FULL);
            return TX_RING_FULL;
        }
        if (context != txContext)
        {
            writeContext(context);
        }
        guest.putBytes(txBuffersOffset + txTail * BUFFER_SIZE, buffer, offset, length);
        writeSegmentData(context, length);
        return TX_OK;
    }

    /**
     * Lend the buffers of the transmit slots after the tail for a segment to be written in place: one slot for its
     * context descriptor, which {@link #commitSegmented} always writes, as Linux's {@code e1000_tso} does, then as
     * many slots as its 2048-byte pieces take, their buffers in one piece of guest memory (past the ring's end into
     * the {@link #TX_OVERFLOW_BUFFERS overflow} where the slots wrap).
     *
     * @return the offset in {@link #transmitBuffer()} of the first data slot's buffer, or -1 when the ring has no
     * room for them.
     */
    public int claimSegmented(final int length)
    {
        if (length <= EthernetFrame.MAX_FRAME_LENGTH || !initialised || !linkUp ||
            length - EthernetFrame.HEADER_LENGTH > MAX_SEGMENT_OFFLOAD_BYTES)
        {
            return -1;
        }
        return hasRoom(buffersFor(length) + 1) ? txBuffersOffset + ((txTail + 1) & TX_MASK) * BUFFER_SIZE : -1;
    }

    public MutableDirectBuffer transmitBuffer()
    {
        return guest;
    }

    public int commitSegmented(final int claimed, final int length, final int segmentSize)
    {
        if (segmentSize <= 0)
        {
            counters.drop(DeviceDrop.TX_OVERSIZE);
            return TX_OVERSIZE;
        }
        final long context = segmentContext(guest, claimed, length, segmentSize);
        writeContext(context);
        writeSegmentData(context, length);
        return TX_OK;
    }

    private static int buffersFor(final int length)
    {
        return (length + BUFFER_SIZE - 1) / BUFFER_SIZE;
    }

    /**
     * @return what a context descriptor says of a segment: the TCP header's offset, the headers' length, the MSS
     * and the payload's length, packed in one long to compare with the last one written.
     */
    private static long segmentContext(
        final DirectBuffer frame, final int offset, final int length, final int segmentSize)
    {
        final int tcp = EthernetFrame.HEADER_LENGTH +
            ((frame.getByte(offset + EthernetFrame.HEADER_LENGTH + Ipv4Packet.VERSION_IHL_OFFSET) & 0x0F) << 2);
        final int headers = tcp + ((frame.getByte(offset + tcp + TcpSegment.DATA_OFFSET_OFFSET) & 0xF0) >>> 2);
        return tcp | (long)headers << 8 | (long)segmentSize << 16 | (long)(length - headers) << 32;
    }

    private void writeContext(final long context)
    {
        txContext = context;
        final int tcp = (int)context & 0xFF;
        writeDescriptor(txTail,
            EthernetFrame.HEADER_LENGTH | (EthernetFrame.HEADER_LENGTH + Ipv4Packet.CHECKSUM_OFFSET) << 8 |
                (tcp - 1) << 16 | (long)tcp << 32 | (long)(tcp + TcpSegment.CHECKSUM_OFFSET) << 40,
            (context >>> 32) | (long)TSO_CONTEXT_COMMAND << TX_COMMAND_SHIFT |
                (context >>> 8 & 0xFF) << HDRLEN_SHIFT | (context >>> 16 & 0xFFFF) << MSS_SHIFT);
    }

    /**
     * Write the data descriptors of a segment of {@code length} bytes already in guest memory from the tail slot's
     * buffer on, in one piece (into the overflow where the slots wrap), its headers seeded in the first.
     */
    private void writeSegmentData(final long context, final int length)
    {
        final int first = txTail;
        seedHeaders(txBuffersOffset + first * BUFFER_SIZE, (int)context & 0xFF);
        for (int done = 0; done < length; done += BUFFER_SIZE)
        {
            final int chunk = Math.min(BUFFER_SIZE, length - done);
            final int command =
                done + chunk == length ? TSO_DATA_COMMAND | E1000TxDescriptor.CMD_EOP : TSO_DATA_COMMAND;
            writeDescriptor(txTail, txBuffersAddress + (long)first * BUFFER_SIZE + done,
                chunk | (long)E1000TxDataDescriptor.DTYP_DATA << E1000TxDataDescriptor.TYPE_SHIFT |
                    (long)command << TX_COMMAND_SHIFT | (long)TSO_OPTIONS << POPTS_SHIFT);
        }
    }

    /**
     * Leave the headers of a segment's copy in guest memory as the device expects them (8254x SDM 3.6, Linux's
     * {@code e1000_tso}): IPv4 total length and header checksum 0, the TCP checksum field the pseudo-header's sum
     * without the TCP length.
     */
    private void seedHeaders(final int frame, final int tcp)
    {
        final int ip = frame + EthernetFrame.HEADER_LENGTH;
        guest.putShort(ip + Ipv4Packet.TOTAL_LENGTH_OFFSET, (short)0);
        guest.putShort(ip + Ipv4Packet.CHECKSUM_OFFSET, (short)0);
        final long pseudoHeader = InternetChecksum.pseudoHeaderSum(
            guest.getInt(ip + Ipv4Packet.SOURCE_OFFSET, BIG_ENDIAN),
            guest.getInt(ip + Ipv4Packet.DESTINATION_OFFSET, BIG_ENDIAN), Ipv4Packet.PROTOCOL_TCP, 0);
        guest.putShort(frame + tcp + TcpSegment.CHECKSUM_OFFSET,
            (short)InternetChecksum.foldWithoutComplement(pseudoHeader), BIG_ENDIAN);
    }

    /**
     * Write the descriptor in slot {@code slot} as two 64-bit words and move the driver's tail past it.
     */
    private void writeDescriptor(final int slot, final long low, final long high)
    {
        final long descriptor = txRingAddress + (long)slot * E1000TxDescriptor.LENGTH;
        memory.putLong(descriptor, low);
        memory.putLong(descriptor + E1000TxDescriptor.LENGTH_OFFSET, high);
        txTail = (slot + 1) & TX_MASK;
    }

    /**
     * Starve ({@code true}) or feed the receive ring: see {@link DeviceFaults#starveRx()}.
     */
    void starveReceive(final boolean starved)
    {
        rxStarved = starved;
    }

    /**
     * Give the device back, with one RDT write, the receive descriptors handed to the engine since the last one,
     * unless the ring is being starved.
     */
    private void returnReceiveBuffers()
    {
        if (!rxStarved && rxReturned != rxNext)
        {
            rxReturned = rxNext;
            device.mmioWrite(RDT, (rxNext - 1) & RX_MASK);
        }
    }

    /**
     * Take back completed transmit descriptors and let the watchdog judge the rest; reset the device when it
     * expires. It watches only while the link is up, as Linux's {@code dev_watchdog} does.
     */
    private void watchTransmit()
    {
        reclaimDone();
        if (watchdog.expired(linkUp && txClean != txTail, txCompleted))
        {
            resetAfterTimeout();
        }
    }

    /**
     * The transmit unit is stuck: count what both rings hold as lost, reset the device and program the same rings
     * afresh, as Linux e1000's reset task does ({@code e1000_down}, {@code e1000_reset}, {@code e1000_up}).
     */
    private void resetAfterTimeout()
    {
        counters.drop(DeviceDrop.DEVICE_RESET, ((txTail - txClean) & TX_MASK) + storedReceiveFrames());
        counters.resets.incrementRelease();
        watchdog.disarm();
        initialised = resetDevice();
        if (initialised)
        {
            program();
        }
    }

    /**
     * @return received frames written back to the ring that the driver has not handed to the engine yet.
     */
    private int storedReceiveFrames()
    {
        int stored = 0;
        int index = rxNext;
        while (stored < RX_RING_SIZE && (memory.getByte(rxRingAddress + (long)index * E1000RxDescriptor.LENGTH +
            E1000RxDescriptor.STATUS_OFFSET) & E1000RxDescriptor.STATUS_DD) != 0)
        {
            stored++;
            index = (index + 1) & RX_MASK;
        }
        return stored;
    }

    /**
     * Mask every interrupt, set CTRL.RST and wait for it to clear, mask again.
     *
     * @return whether the reset completed within {@link #SPIN_LIMIT} reads.
     */
    private boolean resetDevice()
    {
        device.mmioWrite(IMC, 0xFFFF_FFFF);
        device.mmioWrite(CTRL, device.mmioRead(CTRL) | CTRL_RST);
        final boolean done = awaitClear(CTRL, CTRL_RST);
        device.mmioWrite(IMC, 0xFFFF_FFFF);
        return done;
    }

    /**
     * Program a device fresh from reset: the station address, a clear MTA, both rings (empty, the receive ring
     * full of buffers), the link, the interrupt mask.
     */
    private void program()
    {
        device.mmioWrite(RAL0, receiveAddressLow(macAddress));
        device.mmioWrite(RAH0, receiveAddressHigh(macAddress) | RAH_AV);
        for (int entry = 0; entry < MTA_ENTRIES; entry++)
        {
            device.mmioWrite(MTA + 4 * entry, 0);
        }

        programReceive();
        programTransmit();

        device.mmioWrite(CTRL, device.mmioRead(CTRL) | CTRL_SLU | CTRL_ASDE);
        linkUp = awaitSet(STATUS, STATUS_LU);
        device.mmioRead(ICR);
        device.mmioWrite(IMS, INTERRUPT_MASK);
    }

    /**
     * Hand the device the descriptors written since the last TDT write, if any (8254x SDM 3.4: software adds
     * descriptors by advancing the tail).
     */
    private void publishTransmitTail()
    {
        if (txPublished != txTail)
        {
            txPublished = txTail;
            device.mmioWrite(TDT, txTail);
        }
    }

    /**
     * Make room for {@code descriptors} at the driver's tail: advance the clean index over descriptors the device
     * has done with; if that is not enough, let the device process the ring first, as real hardware would have
     * been doing meanwhile.
     *
     * @return {@code true} when that many descriptors no longer collide with outstanding ones.
     */
    private boolean hasRoom(final int descriptors)
    {
        if (freeDescriptors() >= descriptors)
        {
            return true;
        }
        reclaimDone();
        if (freeDescriptors() < descriptors)
        {
            publishTransmitTail();
            device.serviceTransmit(TX_RING_SIZE);
            reclaimDone();
        }
        return freeDescriptors() >= descriptors;
    }

    private int freeDescriptors()
    {
        return TX_MASK - ((txTail - txClean) & TX_MASK);
    }

    private void reclaimDone()
    {
        while (txClean != txTail && (memory.getByte(txRingAddress + (long)txClean * E1000TxDescriptor.LENGTH +
            E1000TxDescriptor.STATUS_OFFSET) & E1000TxDescriptor.STATUS_DD) != 0)
        {
            txClean = (txClean + 1) & TX_MASK;
            txCompleted++;
        }
    }

    /**
     * Both descriptor rings and their buffers, once: a reset programs the same memory again.
     */
    private void allocateRings()
    {
        rxRingAddress = memory.allocate(RX_RING_BYTES, RING_ALIGNMENT);
        rxBuffersAddress = memory.allocate(RX_RING_SIZE * BUFFER_SIZE, BUFFER_SIZE);
        rxRingOffset = memory.offsetOf(rxRingAddress);
        rxBuffersOffset = memory.offsetOf(rxBuffersAddress);
        txRingAddress = memory.allocate(TX_RING_BYTES, RING_ALIGNMENT);
        txBuffersAddress = memory.allocate((TX_RING_SIZE + TX_OVERFLOW_BUFFERS) * BUFFER_SIZE, BUFFER_SIZE);
        txRingOffset = memory.offsetOf(txRingAddress);
        txBuffersOffset = memory.offsetOf(txBuffersAddress);
    }

    private void programReceive()
    {
        guest.setMemory(rxRingOffset, RX_RING_BYTES, (byte)0);
        for (int i = 0; i < RX_RING_SIZE; i++)
        {
            memory.putLong(rxRingAddress + (long)i * E1000RxDescriptor.LENGTH +
                E1000RxDescriptor.BUFFER_ADDRESS_OFFSET, rxBuffersAddress + (long)i * BUFFER_SIZE);
        }
        device.mmioWrite(RDBAL, (int)rxRingAddress);
        device.mmioWrite(RDBAH, (int)(rxRingAddress >>> 32));
        device.mmioWrite(RDLEN, RX_RING_BYTES);
        device.mmioWrite(RDH, 0);
        device.mmioWrite(RDT, RX_RING_SIZE - 1);
        device.mmioWrite(RDTR, 0);
        device.mmioWrite(RADV, 0);
        device.mmioWrite(RXCSUM, RXCSUM_TUOFLD);
        device.mmioWrite(RCTL, RCTL_VALUE);
        rxNext = 0;
        rxReturned = 0;
    }

    private void programTransmit()
    {
        guest.setMemory(txRingOffset, TX_RING_BYTES, (byte)0);
        device.mmioWrite(TDBAL, (int)txRingAddress);
        device.mmioWrite(TDBAH, (int)(txRingAddress >>> 32));
        device.mmioWrite(TDLEN, TX_RING_BYTES);
        device.mmioWrite(TDH, 0);
        device.mmioWrite(TDT, 0);
        device.mmioWrite(TCTL, TCTL_VALUE);
        device.mmioWrite(TIPG, TIPG_VALUE);
        txTail = 0;
        txPublished = 0;
        txClean = 0;
        txContext = NO_CONTEXT;
    }

    /**
     * The station address from EEPROM words 0-2; RAL0/RAH0 when the EEPROM times out or holds all zeros or all
     * ones (an erased part), as firmware may have programmed them.
     */
    private long readMacAddress()
    {
        final int word0 = readEeprom(0);
        final int word1 = readEeprom(1);
        final int word2 = readEeprom(2);
        if (word0 >= 0 && word1 >= 0 && word2 >= 0)
        {
            final long fromEeprom = E1000Eeprom.macFromWords(word0, word1, word2);
            if (fromEeprom != NO_ADDRESS && fromEeprom != EthernetFrame.BROADCAST)
            {
                return fromEeprom;
            }
        }
        final long fromRegisters = macFromReceiveAddress(device.mmioRead(RAL0), device.mmioRead(RAH0));
        if (fromRegisters == NO_ADDRESS || fromRegisters == EthernetFrame.BROADCAST)
        {
            throw new IllegalStateException(device.name() + ": no station address in the EEPROM or in RAL0/RAH0");
        }
        return fromRegisters;
    }

    /**
     * @return EEPROM word {@code address}, or -1 when EERD.DONE does not come within {@link #SPIN_LIMIT} reads.
     */
    private int readEeprom(final int address)
    {
        device.mmioWrite(EERD, address << EERD_ADDRESS_SHIFT | EERD_START);
        for (int spin = 0; spin < SPIN_LIMIT; spin++)
        {
            final int value = device.mmioRead(EERD);
            if ((value & EERD_DONE) != 0)
            {
                return value >>> EERD_DATA_SHIFT;
            }
        }
        return -1;
    }

    private boolean awaitClear(final int offset, final int bits)
    {
        for (int spin = 0; spin < SPIN_LIMIT; spin++)
        {
            if ((device.mmioRead(offset) & bits) == 0)
            {
                return true;
            }
        }
        return false;
    }

    private boolean awaitSet(final int offset, final int bits)
    {
        for (int spin = 0; spin < SPIN_LIMIT; spin++)
        {
            if ((device.mmioRead(offset) & bits) == bits)
            {
                return true;
            }
        }
        return false;
    }
}
