package io.ringstack.drivers.e1000;

import io.ringstack.drivers.DeviceDrop;
import io.ringstack.phy.NetworkDevice;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.ringstack.drivers.e1000.E1000Registers.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The guest driver programs the device as the seed OS does and moves frames through the rings without copies on
 * receive, with one RDT write per batch and counted refusals on transmit.
 */
class E1000DriverTest
{
    private final E1000Bench bench = new E1000Bench();
    private final E1000Device device = bench.device;
    private final E1000Driver driver = new E1000Driver(device, bench.memory);

    @AfterEach
    void close()
    {
        bench.close();
    }

    @Test
    void initProgramsTheDeviceAsTheSeedDriverDoes()
    {
        bench.enable();
        device.mmioWrite(MTA + 4 * 17, 0xDEAD_BEEF);
        driver.init();

        final int command = device.config().read16(PciConfigSpace.COMMAND_OFFSET);
        assertEquals(PciConfigSpace.COMMAND_MEMORY_SPACE | PciConfigSpace.COMMAND_BUS_MASTER, command);
        assertEquals(E1000Bench.MAC, driver.macAddress());
        assertEquals(receiveAddressLow(E1000Bench.MAC), device.mmioRead(RAL0));
        assertEquals(receiveAddressHigh(E1000Bench.MAC) | RAH_AV, device.mmioRead(RAH0));
        for (int entry = 0; entry < MTA_ENTRIES; entry++)
        {
            assertEquals(0, device.mmioRead(MTA + 4 * entry), "MTA[" + entry + "]");
        }
        assertEquals(E1000Driver.RX_RING_SIZE * 16, device.mmioRead(RDLEN));
        assertEquals(0, device.mmioRead(RDH));
        assertEquals(E1000Driver.RX_RING_SIZE - 1, device.mmioRead(RDT));
        assertEquals(RCTL_EN | RCTL_BAM | RCTL_SECRC, device.mmioRead(RCTL), "BSIZE 00: 2048 bytes");
        assertEquals(E1000Driver.TX_RING_SIZE * 16, device.mmioRead(TDLEN));
        assertEquals(0, device.mmioRead(TDH));
        assertEquals(0, device.mmioRead(TDT));
        assertEquals(0x0004_010A, device.mmioRead(TCTL), "EN | PSP | CT 0x10 | COLD 0x40");
        assertEquals(0x0060_200A, device.mmioRead(TIPG), "IPGT 10, IPGR1 8, IPGR2 6");
        assertEquals(CTRL_SLU | CTRL_ASDE, device.mmioRead(CTRL));
        assertEquals(STATUS_LU, device.mmioRead(STATUS) & STATUS_LU);
        assertEquals(ICR_RXT0 | ICR_TXDW | ICR_LSC, device.mmioRead(IMS));
        assertFalse(device.interruptAsserted(), "ICR was cleared before interrupts were enabled");
        assertTrue(driver.isInitialised());
        assertTrue(driver.isLinkUp());

        final long rxRing = device.mmioRead(RDBAL) & 0xFFFF_FFFFL | (long)device.mmioRead(RDBAH) << 32;
        for (int i = 0; i < E1000Driver.RX_RING_SIZE; i++)
        {
            final long buffer = bench.memory.getLong(E1000Bench.rxDescriptor(rxRing, i));
            assertTrue(bench.memory.isValid(buffer, E1000Driver.BUFFER_SIZE), "descriptor " + i + " buffer");
        }
    }

    @Test
    void initTwiceIsRefused()
    {
        driver.init();
        assertThrows(IllegalStateException.class, driver::init);
    }

    @Test
    void stationAddressFallsBackToRalRahWhenTheEepromIsErased()
    {
        try (E1000Bench blank = new E1000Bench(E1000Eeprom.erased(), E1000Bench.WIRE_CAPACITY))
        {
            final long firmwareMac = 0x0200_0000_0042L;
            blank.enable();
            blank.device.mmioWrite(RAL0, receiveAddressLow(firmwareMac));
            blank.device.mmioWrite(RAH0, receiveAddressHigh(firmwareMac) | RAH_AV);

            final E1000Driver blankDriver = new E1000Driver(blank.device, blank.memory);
            blankDriver.init();

            assertEquals(firmwareMac, blankDriver.macAddress());
            assertEquals(receiveAddressHigh(firmwareMac) | RAH_AV, blank.device.mmioRead(RAH0));
        }
    }

    @Test
    void initFailsWhenNoStationAddressCanBeFound()
    {
        try (E1000Bench blank = new E1000Bench(E1000Eeprom.erased(), E1000Bench.WIRE_CAPACITY))
        {
            final E1000Driver blankDriver = new E1000Driver(blank.device, blank.memory);
            final IllegalStateException failure = assertThrows(IllegalStateException.class, blankDriver::init);
            assertTrue(failure.getMessage().contains("no station address"), failure.getMessage());
            assertFalse(blankDriver.isInitialised());
        }
    }

    @Test
    void transmitBeforeInitIsNotReadyAndCounted()
    {
        assertEquals(NetworkDevice.TX_NOT_READY, driver.transmit(new UnsafeBuffer(new byte[60]), 0, 60));
        assertEquals(1, device.counters().drops(DeviceDrop.TX_NOT_READY));
        assertEquals(0, driver.receive((buffer, offset, length) -> {}, 64));
    }

    @Test
    void framesOver1514BytesAreRefusedAsOversize()
    {
        driver.init();
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[1515]);
        assertEquals(NetworkDevice.TX_OVERSIZE, driver.transmit(frame, 0, 1515));
        assertEquals(1, device.counters().drops(DeviceDrop.TX_OVERSIZE));
        assertEquals(NetworkDevice.TX_OK, driver.transmit(frame, 0, 1514));
    }

    @Test
    void theNextPollPublishesTdtOnceForABurstAndItsFramesReachTheWire()
    {
        driver.init();
        final int burst = 3;
        for (int i = 0; i < burst; i++)
        {
            final byte[] frame = E1000Bench.frame(300 + i, i);
            assertEquals(NetworkDevice.TX_OK, driver.transmit(new UnsafeBuffer(frame), 0, frame.length));
        }
        assertEquals(0, device.mmioRead(TDT), "the burst is not handed over before the next poll");
        assertEquals(0, device.mmioRead(TDH), "the device has not run yet");

        driver.receive((buffer, offset, length) -> {}, 64);
        assertEquals(burst, device.mmioRead(TDT));
        assertEquals(burst, device.mmioRead(TDH));
        assertEquals(burst, device.counters().txFrames.get());
        assertEquals(burst, device.mmioRead(GPTC));
        final List<byte[]> sent = bench.sentByDevice();
        assertEquals(burst, sent.size());
        for (int i = 0; i < burst; i++)
        {
            assertArrayEquals(E1000Bench.frame(300 + i, i), sent.get(i), "frame " + i);
        }
    }

    @Test
    void aFullTransmitRingIsReclaimedFirstAndOnlyThenRefused()
    {
        driver.init();
        final UnsafeBuffer frame = new UnsafeBuffer(E1000Bench.frame(100, 0));
        for (int i = 0; i < 3 * E1000Driver.TX_RING_SIZE; i++)
        {
            assertEquals(NetworkDevice.TX_OK, driver.transmit(frame, 0, 100), "frame " + i);
        }
        driver.receive((buffer, offset, length) -> {}, 64);
        assertEquals(3 * E1000Driver.TX_RING_SIZE, bench.sentByDevice().size(), "the device caught up when asked");

        device.mmioWrite(TCTL, 0);
        int accepted = 0;
        while (driver.transmit(frame, 0, 100) == NetworkDevice.TX_OK)
        {
            accepted++;
        }
        assertEquals(E1000Driver.TX_RING_SIZE - 1, accepted, "one descriptor always stays empty");
        assertEquals(1, device.counters().drops(DeviceDrop.TX_RING_FULL));

        device.mmioWrite(TCTL, E1000Driver.TCTL_VALUE);
        assertEquals(NetworkDevice.TX_OK, driver.transmit(frame, 0, 100));
        assertEquals(E1000Driver.TX_RING_SIZE - 1, bench.sentByDevice().size(), "the waiting ones went first");
    }

    @Test
    void receiveHandsOverGuestMemoryInPlaceAndReturnsTheBatchWithOneTailWrite()
    {
        driver.init();
        for (int i = 0; i < 5; i++)
        {
            bench.sendToDevice(E1000Bench.frame(100 + i, i));
        }
        final List<byte[]> received = new ArrayList<>();
        final List<DirectBuffer> buffers = new ArrayList<>();
        final int delivered = driver.receive((buffer, offset, length) ->
        {
            buffers.add(buffer);
            final byte[] frame = new byte[length];
            buffer.getBytes(offset, frame);
            received.add(frame);
            assertEquals(E1000Driver.RX_RING_SIZE - 1, device.mmioRead(RDT), "RDT is written after the batch");
        }, 3);

        assertEquals(3, delivered);
        for (int i = 0; i < 3; i++)
        {
            assertArrayEquals(E1000Bench.frame(100 + i, i), received.get(i));
            assertSame(bench.memory.buffer(), buffers.get(i), "zero-copy: the frame is read from guest memory");
        }
        assertEquals(2, device.mmioRead(RDT), "the last descriptor handed back");

        assertEquals(2, driver.receive((buffer, offset, length) -> received.add(null), 64));
        assertEquals(4, device.mmioRead(RDT));
        assertEquals(0, driver.receive((buffer, offset, length) -> received.add(null), 64));
        assertEquals(4, device.mmioRead(RDT), "no descriptors, no tail write");
    }

    @Test
    void receiveRecyclesDescriptorsTheDeviceMarkedInError()
    {
        driver.init();
        final long rxRing = device.mmioRead(RDBAL) & 0xFFFF_FFFFL;
        bench.memory.putLong(E1000Bench.rxDescriptor(rxRing, 0), 0);
        bench.sendToDevice(E1000Bench.frame(80, 0));
        bench.sendToDevice(E1000Bench.frame(80, 1));

        final List<byte[]> received = new ArrayList<>();
        final int delivered = driver.receive((buffer, offset, length) ->
        {
            final byte[] frame = new byte[length];
            buffer.getBytes(offset, frame);
            received.add(frame);
        }, 64);

        assertEquals(1, delivered);
        assertArrayEquals(E1000Bench.frame(80, 1), received.get(0));
        assertEquals(1, device.counters().drops(DeviceDrop.BAD_DESCRIPTOR));
        assertEquals(1, device.mmioRead(RDT), "the bad descriptor went back to the device too");
    }

    @Test
    void linkDownRefusesTransmitUntilLinkStatusChangeReportsItUp()
    {
        driver.init();
        device.mmioWrite(CTRL, CTRL_ASDE);
        driver.receive((buffer, offset, length) -> {}, 64);
        assertFalse(driver.isLinkUp());
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[60]);
        assertEquals(NetworkDevice.TX_NOT_READY, driver.transmit(frame, 0, 60));
        assertEquals(1, device.counters().drops(DeviceDrop.LINK_DOWN));

        device.mmioWrite(CTRL, CTRL_SLU | CTRL_ASDE);
        driver.receive((buffer, offset, length) -> {}, 64);
        assertTrue(driver.isLinkUp());
        assertEquals(NetworkDevice.TX_OK, driver.transmit(frame, 0, 60));
    }
}
