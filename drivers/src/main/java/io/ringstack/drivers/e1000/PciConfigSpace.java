package io.ringstack.drivers.e1000;

/**
 * The 256-byte PCI configuration space of a function with a type 0 header and one 32-bit, non-prefetchable memory
 * BAR (BAR0), as the 82540EM exposes its register file. The other BARs and the expansion ROM are not implemented:
 * they read as zero and size as zero. Little-endian, accessed by dword or word as configuration cycles are.
 * <pre>
 *   offset  31            24 23            16 15             8 7              0
 *   0x00   |            Device ID            |            Vendor ID            |
 *   0x04   |             Status              |             Command             |
 *   0x08   |                    Class Code                    |   Revision ID  |
 *   0x0C   |      BIST      |  Header Type   | Latency Timer  | Cache Line Size|
 *   0x10   |                  BAR0: memory base, low 4 bits are the type           |
 *   0x14 - 0x24  BAR1-BAR5 (not implemented)
 *   0x2C   |          Subsystem ID           |       Subsystem Vendor ID       |
 *   0x3C   |    Max_Lat     |    Min_Gnt     | Interrupt Pin  | Interrupt Line |
 * </pre>
 * BAR sizing follows the PCI specification: write all ones, read back, and the size is the two's complement of
 * the address bits read ({@code 0xFFFE0000} for 128 KiB).
 */
public final class PciConfigSpace
{
    public static final int SIZE = 256;

    public static final int VENDOR_ID_OFFSET = 0x00;
    public static final int DEVICE_ID_OFFSET = 0x02;
    public static final int COMMAND_OFFSET = 0x04;
    public static final int STATUS_OFFSET = 0x06;
    /** Revision ID in the low byte, class code in the upper three. */
    public static final int REVISION_CLASS_OFFSET = 0x08;
    /** Cache line size, latency timer, header type and BIST. */
    public static final int HEADER_OFFSET = 0x0C;
    public static final int BAR0_OFFSET = 0x10;
    public static final int SUBSYSTEM_VENDOR_ID_OFFSET = 0x2C;
    public static final int SUBSYSTEM_ID_OFFSET = 0x2E;
    /** Interrupt line, interrupt pin, Min_Gnt and Max_Lat. */
    public static final int INTERRUPT_OFFSET = 0x3C;

    /** Command: I/O space decoding (no I/O BAR here, so it has no effect). */
    public static final int COMMAND_IO_SPACE = 1;
    /** Command: memory space decoding; the register file answers only while it is set. */
    public static final int COMMAND_MEMORY_SPACE = 1 << 1;
    /** Command: bus mastering; the device does DMA only while it is set. */
    public static final int COMMAND_BUS_MASTER = 1 << 2;
    /** Interrupt pin value for INTA#. */
    public static final int INTERRUPT_PIN_INTA = 1;

    /** Command bits a PCI 2.2 function like the 82540EM implements: I/O, memory, master, MWI, parity, SERR#. */
    private static final int COMMAND_WRITABLE = COMMAND_IO_SPACE | COMMAND_MEMORY_SPACE | COMMAND_BUS_MASTER |
        1 << 4 | 1 << 6 | 1 << 8;
    /** Cache line size and latency timer are the only writable bytes of the header dword. */
    private static final int HEADER_WRITABLE = 0xFFFF;
    /** Only the interrupt line is writable. */
    private static final int INTERRUPT_WRITABLE = 0xFF;

    private final int[] dwords = new int[SIZE / 4];
    private final int bar0AddressMask;

    /**
     * @param classCode 24 bits: base class, sub-class, programming interface, e.g. {@code 0x020000} for Ethernet.
     * @param bar0Size  bytes of BAR0, a power of two of at least 16.
     */
    public PciConfigSpace(
        final int vendorId,
        final int deviceId,
        final int revisionId,
        final int classCode,
        final int subsystemVendorId,
        final int subsystemId,
        final int bar0Size)
    {
        bar0AddressMask = -bar0Size;
        dwords[VENDOR_ID_OFFSET / 4] = deviceId << 16 | vendorId;
        dwords[REVISION_CLASS_OFFSET / 4] = classCode << 8 | revisionId;
        dwords[SUBSYSTEM_VENDOR_ID_OFFSET / 4] = subsystemId << 16 | subsystemVendorId;
        dwords[INTERRUPT_OFFSET / 4] = INTERRUPT_PIN_INTA << 8;
    }

    /**
     * A configuration read of the dword holding {@code offset}; beyond the header it reads as zero.
     */
    public int read32(final int offset)
    {
        return dwords[(offset & (SIZE - 1)) >> 2];
    }

    /**
     * @return the 16-bit field at {@code offset} (even).
     */
    public int read16(final int offset)
    {
        return (read32(offset) >>> ((offset & 2) * 8)) & 0xFFFF;
    }

    /**
     * A configuration write of the dword holding {@code offset}; read-only bits and fields keep their value.
     */
    public void write32(final int offset, final int value)
    {
        final int index = (offset & (SIZE - 1)) >> 2;
        switch (index << 2)
        {
            case COMMAND_OFFSET:
                dwords[index] = (dwords[index] & ~COMMAND_WRITABLE) | (value & COMMAND_WRITABLE);
                break;

            case HEADER_OFFSET:
                dwords[index] = (dwords[index] & ~HEADER_WRITABLE) | (value & HEADER_WRITABLE);
                break;

            case BAR0_OFFSET:
                dwords[index] = value & bar0AddressMask;
                break;

            case INTERRUPT_OFFSET:
                dwords[index] = (dwords[index] & ~INTERRUPT_WRITABLE) | (value & INTERRUPT_WRITABLE);
                break;

            default:
                break;
        }
    }

    /**
     * A 16-bit configuration write: the other half of the dword is left as it is.
     */
    public void write16(final int offset, final int value)
    {
        final int shift = (offset & 2) * 8;
        final int mask = 0xFFFF << shift;
        write32(offset, (read32(offset) & ~mask) | ((value & 0xFFFF) << shift));
    }

    public boolean memorySpaceEnabled()
    {
        return (dwords[COMMAND_OFFSET / 4] & COMMAND_MEMORY_SPACE) != 0;
    }

    public boolean busMasterEnabled()
    {
        return (dwords[COMMAND_OFFSET / 4] & COMMAND_BUS_MASTER) != 0;
    }

    /**
     * @return the address the host assigned to BAR0.
     */
    public long bar0Address()
    {
        return dwords[BAR0_OFFSET / 4] & 0xFFFF_FFF0L;
    }
}
