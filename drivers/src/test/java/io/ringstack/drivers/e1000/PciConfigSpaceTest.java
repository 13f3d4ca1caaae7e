package io.ringstack.drivers.e1000;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.ringstack.drivers.e1000.PciConfigSpace.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The device's PCI configuration space identifies an 82540EM and sizes its BAR as the PCI specification says.
 */
class PciConfigSpaceTest
{
    private final E1000Bench bench = new E1000Bench();
    private final PciConfigSpace config = bench.device.config();

    @AfterEach
    void close()
    {
        bench.close();
    }

    @Test
    void identifiesAsAnIntel82540emEthernetController()
    {
        assertEquals(0x100E_8086, config.read32(VENDOR_ID_OFFSET));
        assertEquals(0x8086, config.read16(VENDOR_ID_OFFSET));
        assertEquals(0x100E, config.read16(DEVICE_ID_OFFSET));
        assertEquals(0x02_0000, config.read32(REVISION_CLASS_OFFSET) >>> 8, "class: network, Ethernet");
        assertEquals(E1000Device.REVISION_ID, config.read32(REVISION_CLASS_OFFSET) & 0xFF);
        assertEquals(0, (config.read32(HEADER_OFFSET) >>> 16) & 0xFF, "header type 0, single function");
        assertEquals(0x8086, config.read16(SUBSYSTEM_VENDOR_ID_OFFSET));
        assertEquals(E1000Eeprom.PRO_1000_MT_DESKTOP_SUBSYSTEM_ID, config.read16(SUBSYSTEM_ID_OFFSET));
        assertEquals(INTERRUPT_PIN_INTA, (config.read32(INTERRUPT_OFFSET) >>> 8) & 0xFF);
    }

    @Test
    void identificationIsReadOnly()
    {
        config.write32(VENDOR_ID_OFFSET, 0);
        config.write32(REVISION_CLASS_OFFSET, 0);
        config.write32(INTERRUPT_OFFSET, 0xFFFF_FF0B);
        assertEquals(0x100E_8086, config.read32(VENDOR_ID_OFFSET));
        assertEquals(0x02_0000, config.read32(REVISION_CLASS_OFFSET) >>> 8);
        assertEquals(INTERRUPT_PIN_INTA << 8 | 0x0B, config.read32(INTERRUPT_OFFSET), "only the line is writable");
    }

    @Test
    void bar0SizesAs128KiBOfNonPrefetchable32BitMemory()
    {
        config.write32(BAR0_OFFSET, 0xFFFF_FFFF);
        final int probed = config.read32(BAR0_OFFSET);
        assertEquals(0xFFFE_0000, probed);
        assertEquals(0, probed & 0b1, "memory space");
        assertEquals(0, probed & 0b110, "32-bit decoder");
        assertEquals(0, probed & 0b1000, "not prefetchable");
        assertEquals(E1000Registers.BAR_SIZE, ~(probed & ~0xF) + 1);

        config.write32(BAR0_OFFSET, 0xFEBC_1234);
        assertEquals(0xFEBC_0000, config.read32(BAR0_OFFSET), "the base is aligned to the BAR size");
        assertEquals(0xFEBC_0000L, config.bar0Address());
    }

    @Test
    void unimplementedBarsSizeToZero()
    {
        for (int bar = BAR0_OFFSET + 4; bar <= BAR0_OFFSET + 20; bar += 4)
        {
            config.write32(bar, 0xFFFF_FFFF);
            assertEquals(0, config.read32(bar), "BAR at 0x" + Integer.toHexString(bar));
        }
    }

    @Test
    void commandRegisterEnablesMemorySpaceAndBusMastering()
    {
        assertFalse(config.memorySpaceEnabled());
        assertFalse(config.busMasterEnabled());

        config.write16(COMMAND_OFFSET, COMMAND_MEMORY_SPACE);
        assertTrue(config.memorySpaceEnabled());
        assertFalse(config.busMasterEnabled());

        config.write16(COMMAND_OFFSET, config.read16(COMMAND_OFFSET) | COMMAND_BUS_MASTER);
        assertTrue(config.busMasterEnabled());
        assertEquals(COMMAND_MEMORY_SPACE | COMMAND_BUS_MASTER, config.read16(COMMAND_OFFSET));

        config.write16(COMMAND_OFFSET, 0xFFFF);
        assertEquals(0x0157, config.read16(COMMAND_OFFSET), "unimplemented command bits read as zero");
        assertEquals(0, config.read16(STATUS_OFFSET));
    }
}
