package io.ringstack.drivers.e1000;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.ringstack.drivers.e1000.E1000Registers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The register file behaves as the 8254x manual describes, seen from the guest through MMIO alone.
 */
class E1000RegisterSemanticsTest
{
    private final E1000Bench bench = new E1000Bench();
    private final E1000Device device = bench.device;

    @AfterEach
    void close()
    {
        bench.close();
    }

    @Test
    void registersAreNotDecodedUntilPciMemorySpaceIsEnabled()
    {
        device.mmioWrite(RCTL, RCTL_EN);
        assertEquals(E1000Device.NOT_DECODED, device.mmioRead(RCTL));

        bench.enable();
        assertEquals(0, device.mmioRead(RCTL), "the write before enabling went nowhere");
        device.mmioWrite(RCTL, RCTL_EN);
        assertEquals(RCTL_EN, device.mmioRead(RCTL));
    }

    @Test
    void offsetsOutsideTheBarOrMisalignedAreNotDecoded()
    {
        bench.enable();
        assertEquals(E1000Device.NOT_DECODED, device.mmioRead(BAR_SIZE));
        assertEquals(E1000Device.NOT_DECODED, device.mmioRead(-4));
        assertEquals(E1000Device.NOT_DECODED, device.mmioRead(RCTL + 2));
        device.mmioWrite(RCTL + 2, -1);
        assertEquals(0, device.mmioRead(RCTL));
    }

    @Test
    void icrIsClearedByReadingIt()
    {
        bench.enable();
        device.mmioWrite(ICS, ICR_RXT0 | ICR_TXDW);
        assertEquals(ICR_RXT0 | ICR_TXDW, device.mmioRead(ICR));
        assertEquals(0, device.mmioRead(ICR));
    }

    @Test
    void writingOnesToIcrClearsOnlyThoseCauses()
    {
        bench.enable();
        device.mmioWrite(ICS, ICR_RXT0 | ICR_TXDW | ICR_LSC);
        device.mmioWrite(ICR, ICR_TXDW);
        assertEquals(ICR_RXT0 | ICR_LSC, device.mmioRead(ICR));
    }

    @Test
    void imsSetsAndImcClearsMaskBitsAndTheLineFollowsIcrAndIms()
    {
        bench.enable();
        device.mmioWrite(IMS, ICR_RXT0);
        device.mmioWrite(IMS, ICR_LSC);
        assertEquals(ICR_RXT0 | ICR_LSC, device.mmioRead(IMS));
        assertEquals(0, device.mmioRead(IMC), "IMC is write-only");

        device.mmioWrite(ICS, ICR_TXDW);
        assertFalse(device.interruptAsserted(), "TXDW is masked");
        device.mmioWrite(ICS, ICR_RXT0);
        assertTrue(device.interruptAsserted());
        assertEquals(1, device.counters().interrupts.get(), "one rising edge");

        device.mmioWrite(IMC, ICR_RXT0);
        assertEquals(ICR_LSC, device.mmioRead(IMS));
        assertFalse(device.interruptAsserted(), "RXT0 is pending but no longer enabled");

        device.mmioWrite(IMS, ICR_RXT0);
        assertTrue(device.interruptAsserted(), "enabling a pending cause asserts the line");
        assertEquals(2, device.counters().interrupts.get());

        device.mmioRead(ICR);
        assertFalse(device.interruptAsserted(), "reading ICR acknowledges");
    }

    @Test
    void ctrlRstResetsTheRegistersAndClearsItself()
    {
        bench.up();
        device.mmioWrite(RCTL, E1000Driver.RCTL_VALUE);
        device.mmioWrite(TCTL, E1000Driver.TCTL_VALUE);
        device.mmioWrite(RDLEN, 512);
        device.mmioWrite(IMS, ICR_RXT0);
        device.mmioWrite(ICS, ICR_RXT0);
        device.mmioWrite(MTA + 4 * 5, 0x1234_5678);
        device.mmioWrite(RAL0 + 8, 0x4433_2211);
        device.mmioWrite(RAH0 + 8, 0x6655 | RAH_AV);
        device.mmioWrite(RAL0, 0);
        device.mmioWrite(RAH0, 0);

        device.mmioWrite(CTRL, device.mmioRead(CTRL) | CTRL_RST);

        assertEquals(0, device.mmioRead(CTRL) & CTRL_RST, "RST clears itself");
        assertEquals(0, device.mmioRead(CTRL) & CTRL_SLU);
        assertEquals(0, device.mmioRead(STATUS) & STATUS_LU, "link down until SLU again");
        assertEquals(0, device.mmioRead(RCTL));
        assertEquals(0, device.mmioRead(TCTL));
        assertEquals(0, device.mmioRead(RDLEN));
        assertEquals(0, device.mmioRead(IMS));
        assertEquals(0, device.mmioRead(ICR));
        assertFalse(device.interruptAsserted());
        assertEquals(0x1234_5678, device.mmioRead(MTA + 4 * 5), "MTA's initial value is undefined: kept");
        assertEquals(0x4433_2211, device.mmioRead(RAL0 + 8), "address bits are undefined: kept");
        assertEquals(0x6655, device.mmioRead(RAH0 + 8), "Address Valid is cleared by reset");
        assertEquals(receiveAddressLow(E1000Bench.MAC), device.mmioRead(RAL0), "entry 0 reloaded from EEPROM");
        assertEquals(receiveAddressHigh(E1000Bench.MAC) | RAH_AV, device.mmioRead(RAH0));
    }

    @Test
    void setLinkUpRaisesStatusLuAtGigabitFullDuplexAndSignalsLsc()
    {
        bench.enable();
        assertEquals(0, device.mmioRead(STATUS) & STATUS_LU);

        device.mmioWrite(CTRL, CTRL_SLU | CTRL_ASDE);
        final int status = device.mmioRead(STATUS);
        assertEquals(STATUS_LU, status & STATUS_LU);
        assertEquals(STATUS_FD, status & STATUS_FD);
        assertEquals(STATUS_SPEED_1000, status & STATUS_SPEED_MASK);
        assertEquals(ICR_LSC, device.mmioRead(ICR) & ICR_LSC);

        device.mmioWrite(CTRL, CTRL_SLU | CTRL_ASDE);
        assertEquals(0, device.mmioRead(ICR), "no change, no LSC");

        device.mmioWrite(CTRL, 0);
        assertEquals(0, device.mmioRead(STATUS) & STATUS_LU);
        assertEquals(ICR_LSC, device.mmioRead(ICR) & ICR_LSC);
    }

    @Test
    void statusIsReadOnly()
    {
        bench.enable();
        device.mmioWrite(STATUS, STATUS_LU);
        assertEquals(0, device.mmioRead(STATUS) & STATUS_LU);
    }

    @Test
    void eerdReturnsTheMacWordsWithDone()
    {
        bench.enable();
        final int[] words = new int[3];
        for (int address = 0; address < 3; address++)
        {
            device.mmioWrite(EERD, address << EERD_ADDRESS_SHIFT | EERD_START);
            final int value = device.mmioRead(EERD);
            assertEquals(EERD_DONE, value & EERD_DONE);
            assertEquals(address, (value >>> EERD_ADDRESS_SHIFT) & 0xFF);
            words[address] = value >>> EERD_DATA_SHIFT;
        }
        assertEquals(0x5452, words[0], "octets 52:54, first in the low byte");
        assertEquals(E1000Bench.MAC, E1000Eeprom.macFromWords(words[0], words[1], words[2]));
    }

    @Test
    void eerdPastTheEndOfTheEepromNeverCompletes()
    {
        bench.enable();
        device.mmioWrite(EERD, E1000Eeprom.WORDS << EERD_ADDRESS_SHIFT | EERD_START);
        assertEquals(0, device.mmioRead(EERD) & EERD_DONE);
    }

    @Test
    void receiveAddressRegistersHoldTheFirstOctetInTheLowByte()
    {
        assertEquals(0x1200_5452, receiveAddressLow(0x5254_0012_3456L));
        assertEquals(0x5634, receiveAddressHigh(0x5254_0012_3456L));
        assertEquals(0x5254_0012_3456L, macFromReceiveAddress(0x1200_5452, 0x5634 | RAH_AV));

        bench.enable();
        device.mmioWrite(RAL0 + 8, 0x1200_5452);
        device.mmioWrite(RAH0 + 8, 0xFFFF_FFFF);
        assertEquals(0x1200_5452, device.mmioRead(RAL0 + 8));
        assertEquals(RAH_WRITABLE, device.mmioRead(RAH0 + 8), "reserved bits 30:18 read as zero");
    }

    @Test
    void ringRegistersKeepOnlyTheirDefinedBits()
    {
        bench.enable();
        device.mmioWrite(RDBAL, 0x1000_0007);
        device.mmioWrite(RDLEN, 0xFFFF_FFFF);
        device.mmioWrite(RDT, 0x1234_5678);
        device.mmioWrite(TDH, -1);
        assertEquals(0x1000_0000, device.mmioRead(RDBAL), "16-byte aligned");
        assertEquals(0x000F_FF80, device.mmioRead(RDLEN), "a multiple of 128 below 1 MiB");
        assertEquals(0x5678, device.mmioRead(RDT));
        assertEquals(0xFFFF, device.mmioRead(TDH));
    }

    @Test
    void statisticsClearWhenReadAndIgnoreWrites()
    {
        bench.up();
        device.mmioWrite(RCTL, E1000Driver.RCTL_VALUE);
        bench.receiveRing(8, 2048, 7);
        final long txRing = bench.transmitRing(8);
        bench.sendToDevice(E1000Bench.frame(100, 1));
        bench.describe(txRing, 0, E1000Bench.frame(200, 2), E1000Bench.EOP_IFCS_RS);
        device.mmioWrite(TDT, 1);
        device.service(8);
        device.mmioWrite(RDT, 0);
        device.mmioWrite(RDH, 0);
        bench.sendToDevice(E1000Bench.frame(100, 3));
        device.service(8);

        device.mmioWrite(GPRC, 99);
        assertEquals(1, device.mmioRead(GPRC));
        assertEquals(0, device.mmioRead(GPRC));
        assertEquals(1, device.mmioRead(GPTC));
        assertEquals(0, device.mmioRead(GPTC));
        assertEquals(1, device.mmioRead(MPC), "the second frame found RDH == RDT");
        assertEquals(0, device.mmioRead(MPC));
        assertEquals(1, device.mmioRead(RNBC));
        assertEquals(0, device.mmioRead(RNBC));

        assertEquals(104, device.mmioRead(GORCL), "octets from DA through CRC");
        assertEquals(104, device.mmioRead(GORCL), "reading the low half does not clear");
        assertEquals(0, device.mmioRead(GORCH));
        assertEquals(0, device.mmioRead(GORCL), "reading the high half cleared the pair");
        assertEquals(204, device.mmioRead(GOTCL));
        assertEquals(0, device.mmioRead(GOTCH));
        assertEquals(0, device.mmioRead(GOTCL));
    }
}
