package io.ringstack.drivers.e1000;

import io.ringstack.drivers.DeviceCounters;
import io.ringstack.drivers.GuestMemory;
import io.ringstack.phy.Link;
import io.ringstack.phy.WireWait;
import org.agrona.concurrent.status.CountersManager;

import static io.ringstack.drivers.e1000.E1000Registers.*;

/**
 * A model of the Intel 82540EM Gigabit Ethernet controller (PCI 8086:100E, QEMU's default NIC): its PCI
 * configuration space, its register file behind BAR0, its EEPROM, and the DMA engines that move frames between
 * descriptor rings in {@link GuestMemory} and a {@link Link}.
 * <p>
 * The register semantics follow the 8254x Software Developer's Manual: ICR is read-to-clear, IMS/IMC set and clear
 * the mask, CTRL.RST resets the device and clears itself, CTRL.SLU brings the link up (STATUS.LU, ICR.LSC), EERD
 * reads the EEPROM, the statistics registers clear on read. Register access is decoded only while the PCI command
 * register enables memory space, and the device does DMA only while it enables bus mastering.
 * <p>
 * The model does its DMA work when {@link #service} runs; the driver calls it from its poll, so driver and model
 * share one thread, and only the {@link Link} crosses threads. Nothing on the data path throws or allocates: a
 * frame that cannot be delivered is counted in {@link #counters()} under its {@link io.ringstack.drivers.DeviceDrop}.
 */
public final class E1000Device implements AutoCloseable
{
    public static final int VENDOR_ID = 0x8086;
    public static final int DEVICE_ID = 0x100E;
    /** The revision QEMU's 82540EM reports. */
    public static final int REVISION_ID = 0x03;
    /** Network controller, Ethernet. */
    public static final int CLASS_CODE = 0x02_0000;

    /** What a read of a register that is not decoded returns, as a master abort on PCI does. */
    public static final int NOT_DECODED = 0xFFFF_FFFF;

    private static final int RECEIVE_ADDRESS_END = RAL0 + 8 * RECEIVE_ADDRESS_ENTRIES;
    private static final int BASE_ADDRESS_MASK = ~0xF;
    private static final int RING_LENGTH_MASK = 0x000F_FF80;
    private static final int INDEX_MASK = 0xFFFF;
    private static final int LINK_UP_STATUS = STATUS_FD | STATUS_LU | STATUS_SPEED_1000;

    private final String name;
    private final E1000Eeprom eeprom;
    private final PciConfigSpace config;
    private final Link link;
    private final E1000RegisterFile registers = new E1000RegisterFile();
    private final DeviceCounters counters;
    private final E1000Receiver receiver;
    private final E1000Transmitter transmitter;
    private boolean interruptLine;
    private boolean carrier = true;
    private boolean transmitHung;

    /**
     * A device fresh from power-on: registers reset, the station address loaded from the EEPROM into RAL0/RAH0
     * (when its signature is valid), PCI memory space and bus mastering off, link down.
     *
     * @param name            the device's name and the prefix of its counters, e.g. {@code "e1000.0"}.
     * @param memory          the guest memory the device reaches by DMA.
     * @param link            the wire.
     * @param countersManager where the device's {@link DeviceCounters} are allocated.
     * @param eeprom          the EEPROM contents, e.g. {@link E1000Eeprom#forMac}.
     */
    public E1000Device(
        final String name,
        final GuestMemory memory,
        final Link link,
        final CountersManager countersManager,
        final E1000Eeprom eeprom)
    {
        this.name = name;
        this.link = link;
        this.eeprom = eeprom;
        config = new PciConfigSpace(VENDOR_ID, DEVICE_ID, REVISION_ID, CLASS_CODE,
            eeprom.word(E1000Eeprom.SUBSYSTEM_VENDOR_ID_WORD), eeprom.word(E1000Eeprom.SUBSYSTEM_ID_WORD), BAR_SIZE);
        counters = new DeviceCounters(countersManager, name);
        receiver = new E1000Receiver(this, registers, memory, link, counters);
        transmitter = new E1000Transmitter(this, registers, memory, link, counters);
        reset();
    }

    public String name()
    {
        return name;
    }

    /**
     * @return the largest IP packet of one TCP segment the wire cuts itself ({@link Link#segmentOffloadBytes()}):
     * a frame the device is told to segment goes to such a wire whole, as QEMU's e1000e hands it to a backend with a
     * virtio-net header; 0 when the device cuts every one itself.
     */
    public int wireSegmentOffloadBytes()
    {
        return link.segmentOffloadBytes();
    }

    /**
     * @return the wire's wait ({@link Link#wireWait()}), or {@code null}.
     */
    public WireWait wireWait()
    {
        return link.wireWait();
    }

    public PciConfigSpace config()
    {
        return config;
    }

    /**
     * The frames the device moved and the ones it lost, by reason. GPRC/GPTC/MPC hold the same events but clear
     * when read; these never do.
     */
    public DeviceCounters counters()
    {
        return counters;
    }

    /**
     * A 32-bit read of the register at {@code offset} in BAR0.
     *
     * @return the register's value, or {@link #NOT_DECODED} when memory space is disabled or {@code offset} is not
     * a 32-bit aligned offset inside the BAR.
     */
    public int mmioRead(final int offset)
    {
        if (!decodes(offset))
        {
            return NOT_DECODED;
        }
        switch (offset)
        {
            case ICR:
                final int causes = registers.get(ICR);
                registers.put(ICR, 0);
                updateInterruptLine();
                return causes;

            case ICS:
            case IMC:
                return 0;

            case MPC:
            case GPRC:
            case GPTC:
            case RNBC:
                return registers.readAndClear(offset);

            case GORCH:
            case GOTCH:
                return registers.readHighAndClear(offset);

            default:
                return registers.get(offset);
        }
    }

    /**
     * A 32-bit write of the register at {@code offset} in BAR0; ignored when not decoded (see {@link #mmioRead}).
     */
    public void mmioWrite(final int offset, final int value)
    {
        if (!decodes(offset))
        {
            return;
        }
        switch (offset)
        {
            case CTRL:
                writeControl(value);
                break;

            case EERD:
                readEeprom(value);
                break;

            case ICR:
                registers.put(ICR, registers.get(ICR) & ~value);
                updateInterruptLine();
                break;

            case ICS:
                raise(value);
                break;

            case IMS:
                registers.put(IMS, registers.get(IMS) | value);
                updateInterruptLine();
                break;

            case IMC:
                registers.put(IMS, registers.get(IMS) & ~value);
                updateInterruptLine();
                break;

            case RDBAL:
            case TDBAL:
                registers.put(offset, value & BASE_ADDRESS_MASK);
                break;

            case RDLEN:
            case TDLEN:
                registers.put(offset, value & RING_LENGTH_MASK);
                break;

            case RDH:
            case RDT:
            case TDH:
            case TDT:
                registers.put(offset, value & INDEX_MASK);
                break;

            case STATUS:
            case MPC:
            case GPRC:
            case GPTC:
            case GORCL:
            case GORCH:
            case GOTCL:
            case GOTCH:
            case RNBC:
                break;

            default:
                registers.put(offset, isReceiveAddressHigh(offset) ? value & RAH_WRITABLE : value);
                break;
        }
    }

    /**
     * @return {@code true} while an enabled interrupt cause is pending: {@code (ICR & IMS) != 0}, the state of the
     * device's INTA# line.
     */
    public boolean interruptAsserted()
    {
        return (registers.get(ICR) & registers.get(IMS)) != 0;
    }

    /**
     * Do the device's DMA work: take up to {@code budget} frames off the wire into the receive ring, then put up
     * to {@code budget} frames from the transmit ring on the wire.
     *
     * @return frames received plus frames transmitted, counted drops included.
     */
    public int service(final int budget)
    {
        return receiver.poll(budget) + serviceTransmit(budget);
    }

    /**
     * Do only the transmit half of {@link #service}: what real hardware does on its own after a TDT write, for a
     * driver that needs free descriptors now.
     *
     * @return frames taken from the transmit ring.
     */
    public int serviceTransmit(final int budget)
    {
        return transmitHung ? 0 : transmitter.process(budget);
    }

    public void close()
    {
        counters.close();
    }

    boolean busMasterEnabled()
    {
        return config.busMasterEnabled();
    }

    boolean linkUp()
    {
        return (registers.get(STATUS) & STATUS_LU) != 0;
    }

    /**
     * @return whether the cable is in: without it the link is down whatever CTRL.SLU says.
     */
    boolean carrier()
    {
        return carrier;
    }

    /**
     * Put the cable in or pull it out: STATUS.LU follows CTRL.SLU while it is in and is clear while it is out, and
     * a change of STATUS.LU raises ICR.LSC, as the PHY's link status change does (8254x SDM 13.4.2, 13.4.17).
     */
    void carrier(final boolean plugged)
    {
        carrier = plugged;
        updateLinkStatus();
    }

    /**
     * The transmit unit hangs: it takes no descriptor until CTRL.RST.
     */
    void hangTransmit()
    {
        transmitHung = true;
    }

    /**
     * Set interrupt causes in ICR, as the device's own events do.
     */
    void raise(final int causes)
    {
        registers.put(ICR, registers.get(ICR) | causes);
        updateInterruptLine();
    }

    private boolean decodes(final int offset)
    {
        return config.memorySpaceEnabled() && offset >= 0 && offset < BAR_SIZE && (offset & 3) == 0;
    }

    private static boolean isReceiveAddressHigh(final int offset)
    {
        return offset >= RAL0 && offset < RECEIVE_ADDRESS_END && (offset & 7) == 4;
    }

    private void writeControl(final int value)
    {
        if ((value & CTRL_RST) != 0)
        {
            reset();
            return;
        }
        registers.put(CTRL, value);
        updateLinkStatus();
    }

    private void updateLinkStatus()
    {
        final int status = carrier && (registers.get(CTRL) & CTRL_SLU) != 0 ? LINK_UP_STATUS : 0;
        if (status != registers.get(STATUS))
        {
            registers.put(STATUS, status);
            raise(ICR_LSC);
        }
    }

    private void readEeprom(final int value)
    {
        if ((value & EERD_START) == 0)
        {
            registers.put(EERD, value & ~EERD_DONE);
            return;
        }
        final int address = (value >>> EERD_ADDRESS_SHIFT) & 0xFF;
        registers.put(EERD, address < E1000Eeprom.WORDS ?
            eeprom.word(address) << EERD_DATA_SHIFT | address << EERD_ADDRESS_SHIFT | EERD_DONE :
            address << EERD_ADDRESS_SHIFT);
    }

    /**
     * CTRL.RST: every register back to its initial value, except the multicast table and the receive address
     * bits, whose initial value the manual gives as undefined; they keep their contents, which is why a driver
     * clears the MTA. Address Valid is cleared on every entry, and entry 0 is loaded from a valid EEPROM. A hung
     * transmit unit starts afresh.
     */
    private void reset()
    {
        registers.clear(0, MTA);
        registers.clear(RECEIVE_ADDRESS_END, BAR_SIZE);
        for (int entry = 0; entry < RECEIVE_ADDRESS_ENTRIES; entry++)
        {
            final int high = RAH0 + 8 * entry;
            registers.put(high, registers.get(high) & ~RAH_AV);
        }
        if (eeprom.hasValidSignature())
        {
            final long macAddress = eeprom.macAddress();
            registers.put(RAL0, receiveAddressLow(macAddress));
            registers.put(RAH0, receiveAddressHigh(macAddress) | RAH_AV);
        }
        transmitter.reset();
        transmitHung = false;
        interruptLine = false;
    }

    private void updateInterruptLine()
    {
        final boolean asserted = interruptAsserted();
        if (asserted && !interruptLine)
        {
            counters.interrupts.incrementRelease();
        }
        interruptLine = asserted;
    }
}
