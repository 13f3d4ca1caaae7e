package io.ringstack.drivers.e1000;

import io.ringstack.drivers.DeviceDrop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static io.ringstack.drivers.e1000.E1000Bench.EOP_IFCS_RS;
import static io.ringstack.drivers.e1000.E1000Bench.txDescriptor;
import static io.ringstack.drivers.e1000.E1000Registers.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transmit DMA engine, driven by hand: descriptors written by the test, frames read off the far end of the wire.
 */
class E1000TransmitRingTest
{
    private static final int RING = 8;

    private final E1000Bench bench = new E1000Bench();
    private final E1000Device device = bench.device;

    @AfterEach
    void close()
    {
        bench.close();
    }

    @Test
    void descriptorDoneIsWrittenBackOnlyWhenReportStatusIsSet()
    {
        bench.up();
        final long ring = bench.transmitRing(RING);
        bench.describe(ring, 0, E1000Bench.frame(100, 0), E1000TxDescriptor.CMD_EOP | E1000TxDescriptor.CMD_IFCS);
        bench.describe(ring, 1, E1000Bench.frame(100, 1), EOP_IFCS_RS);
        device.mmioWrite(TDT, 2);
        device.service(8);

        assertEquals(0, status(ring, 0), "no RS, no write-back");
        assertEquals(E1000TxDescriptor.STATUS_DD, status(ring, 1));
        assertEquals(2, bench.sentByDevice().size(), "both frames were sent");
        assertEquals(2, device.mmioRead(TDH));
        assertEquals(ICR_TXDW | ICR_TXQE, device.mmioRead(ICR) & (ICR_TXDW | ICR_TXQE));
    }

    @Test
    void withoutReportStatusNoTxdwIsRaised()
    {
        bench.up();
        final long ring = bench.transmitRing(RING);
        bench.describe(ring, 0, E1000Bench.frame(100, 0), E1000TxDescriptor.CMD_EOP | E1000TxDescriptor.CMD_IFCS);
        device.mmioRead(ICR);
        device.mmioWrite(TDT, 1);
        device.service(8);

        assertEquals(ICR_TXQE, device.mmioRead(ICR));
    }

    @Test
    void deviceProcessesOnlyUpToTheTail()
    {
        bench.up();
        final long ring = bench.transmitRing(RING);
        for (int i = 0; i < 4; i++)
        {
            bench.describe(ring, i, E1000Bench.frame(100, i), EOP_IFCS_RS);
        }
        device.mmioWrite(TDT, 2);
        device.service(8);

        assertEquals(2, bench.sentByDevice().size());
        assertEquals(0, status(ring, 2), "descriptor 2 is still the driver's");
        assertEquals(2, device.mmioRead(TDH));
    }

    @Test
    void aFrameIsGatheredFromItsDescriptorsUntilEndOfPacket()
    {
        bench.up();
        final long ring = bench.transmitRing(RING);
        final byte[] frame = E1000Bench.frame(1000, 9);
        bench.describe(ring, 0, Arrays.copyOfRange(frame, 0, 14), E1000TxDescriptor.CMD_IFCS);
        bench.describe(ring, 1, Arrays.copyOfRange(frame, 14, 500), E1000TxDescriptor.CMD_IFCS);
        bench.describe(ring, 2, Arrays.copyOfRange(frame, 500, 1000), EOP_IFCS_RS);
        device.mmioWrite(TDT, 3);
        device.service(8);

        final List<byte[]> sent = bench.sentByDevice();
        assertEquals(1, sent.size());
        assertArrayEquals(frame, sent.get(0));
        assertEquals(1, device.counters().txFrames.get());
    }

    @Test
    void aFrameWhoseEndOfPacketHasNotBeenPostedWaits()
    {
        bench.up();
        final long ring = bench.transmitRing(RING);
        final byte[] frame = E1000Bench.frame(200, 4);
        bench.describe(ring, 0, Arrays.copyOfRange(frame, 0, 100), E1000TxDescriptor.CMD_IFCS);
        bench.describe(ring, 1, Arrays.copyOfRange(frame, 100, 200), EOP_IFCS_RS);
        device.mmioWrite(TDT, 1);
        device.service(8);
        assertEquals(0, bench.sentByDevice().size());

        device.mmioWrite(TDT, 2);
        device.service(8);
        assertArrayEquals(frame, bench.sentByDevice().get(0));
    }

    @Test
    void shortFramesArePaddedTo60BytesWhenPspIsSet()
    {
        bench.up();
        final long ring = bench.transmitRing(RING);
        bench.describe(ring, 0, E1000Bench.frame(42, 1), EOP_IFCS_RS);
        device.mmioWrite(TDT, 1);
        device.service(8);

        final byte[] padded = Arrays.copyOf(E1000Bench.frame(42, 1), 60);
        assertArrayEquals(padded, bench.sentByDevice().get(0));

        device.mmioWrite(TCTL, E1000Driver.TCTL_VALUE & ~TCTL_PSP);
        bench.describe(ring, 1, E1000Bench.frame(42, 2), EOP_IFCS_RS);
        device.mmioWrite(TDT, 2);
        device.service(8);
        assertArrayEquals(E1000Bench.frame(42, 2), bench.sentByDevice().get(0));
    }

    @Test
    void withoutInsertFcsTheBufferEndsWithTheFcsWhichStaysOffTheWire()
    {
        bench.up();
        final long ring = bench.transmitRing(RING);
        bench.describe(ring, 0, E1000Bench.frame(104, 5), E1000TxDescriptor.CMD_EOP | E1000TxDescriptor.CMD_RS);
        device.mmioWrite(TDT, 1);
        device.service(8);

        assertArrayEquals(E1000Bench.frame(100, 5), bench.sentByDevice().get(0));
    }

    @Test
    void bufferOutsideGuestMemoryDropsTheFrameButCompletesTheDescriptor()
    {
        bench.up();
        final long ring = bench.transmitRing(RING);
        bench.describe(ring, 0, 0x10, 100, EOP_IFCS_RS);
        bench.describe(ring, 1, E1000Bench.frame(100, 1), EOP_IFCS_RS);
        device.mmioWrite(TDT, 2);
        device.service(8);

        assertEquals(E1000TxDescriptor.STATUS_DD, status(ring, 0));
        assertEquals(E1000TxDescriptor.STATUS_DD, status(ring, 1));
        assertEquals(1, device.counters().drops(DeviceDrop.BAD_DESCRIPTOR));
        final List<byte[]> sent = bench.sentByDevice();
        assertEquals(1, sent.size());
        assertArrayEquals(E1000Bench.frame(100, 1), sent.get(0));
    }

    @Test
    void ringOutsideGuestMemoryIsCountedNotThrown()
    {
        bench.up();
        device.mmioWrite(TDBAL, 0x1000);
        device.mmioWrite(TDLEN, RING * E1000TxDescriptor.LENGTH);
        device.mmioWrite(TCTL, E1000Driver.TCTL_VALUE);
        device.mmioWrite(TDT, 3);
        device.service(8);

        assertEquals(3, device.counters().drops(DeviceDrop.BAD_DESCRIPTOR));
        assertEquals(3, device.mmioRead(TDH));
    }

    @Test
    void extendedDescriptorsOfATypeNeitherContextNorDataAreRefused()
    {
        bench.up();
        final long ring = bench.transmitRing(RING);
        bench.describe(ring, 0, E1000Bench.frame(100, 0), EOP_IFCS_RS | E1000TxDescriptor.CMD_DEXT);
        bench.memory.putByte(txDescriptor(ring, 0) + E1000TxDataDescriptor.TYPE_OFFSET, 2 << 4);
        device.mmioWrite(TDT, 1);
        device.service(8);

        assertEquals(1, device.counters().drops(DeviceDrop.BAD_DESCRIPTOR));
        assertEquals(0, bench.sentByDevice().size());
    }

    @Test
    void framesOver1518BytesAreOversize()
    {
        bench.up();
        final long ring = bench.transmitRing(RING);
        bench.describe(ring, 0, E1000Bench.frame(1519, 0), EOP_IFCS_RS);
        bench.describe(ring, 1, E1000Bench.frame(1000, 1), E1000TxDescriptor.CMD_IFCS);
        bench.describe(ring, 2, E1000Bench.frame(1000, 2), EOP_IFCS_RS);
        bench.describe(ring, 3, E1000Bench.frame(1518, 3), EOP_IFCS_RS);
        device.mmioWrite(TDT, 4);
        device.service(8);

        assertEquals(2, device.counters().drops(DeviceDrop.TX_OVERSIZE));
        final List<byte[]> sent = bench.sentByDevice();
        assertEquals(1, sent.size());
        assertEquals(1518, sent.get(0).length);
    }

    @Test
    void aWireThatRefusesIsCountedAsLinkFull()
    {
        try (E1000Bench narrow = new E1000Bench(E1000Eeprom.forMac(E1000Bench.MAC), 16 * 1024))
        {
            narrow.up();
            final long ring = narrow.transmitRing(RING);
            int ended = 0;
            for (int round = 0; round < 100; round++)
            {
                for (int i = 0; i < RING - 1; i++)
                {
                    narrow.describe(ring, (round * (RING - 1) + i) % RING, E1000Bench.frame(1000, i), EOP_IFCS_RS);
                }
                narrow.device.mmioWrite(TDT, ((round + 1) * (RING - 1)) % RING);
                ended += narrow.device.service(RING);
            }

            final long refused = narrow.device.counters().drops(DeviceDrop.LINK_FULL);
            final long sent = narrow.device.counters().txFrames.get();
            assertEquals(100 * (RING - 1), ended);
            assertTrue(refused > 0, "a 16 KiB wire nobody reads fills up");
            assertEquals(ended, refused + sent);
            assertEquals(sent, narrow.sentByDevice().size());
        }
    }

    @Test
    void transmitterDisabledLeavesTheDescriptorsPending()
    {
        bench.up();
        final long ring = bench.transmitRing(RING);
        device.mmioWrite(TCTL, 0);
        bench.describe(ring, 0, E1000Bench.frame(100, 0), EOP_IFCS_RS);
        device.mmioWrite(TDT, 1);
        assertEquals(0, device.service(8));
        assertEquals(0, device.mmioRead(TDH));

        device.mmioWrite(TCTL, E1000Driver.TCTL_VALUE);
        assertEquals(1, device.service(8));
        assertEquals(1, bench.sentByDevice().size());
    }

    @Test
    void linkDownDropsWhatIsTransmitted()
    {
        bench.enable();
        final long ring = bench.transmitRing(RING);
        bench.describe(ring, 0, E1000Bench.frame(100, 0), EOP_IFCS_RS);
        device.mmioWrite(TDT, 1);
        device.service(8);

        assertEquals(1, device.counters().drops(DeviceDrop.LINK_DOWN));
        assertEquals(0, bench.sentByDevice().size());
        assertEquals(E1000TxDescriptor.STATUS_DD, status(ring, 0));
    }

    private int status(final long ring, final int index)
    {
        return bench.memory.getByte(txDescriptor(ring, index) + E1000TxDescriptor.STATUS_OFFSET);
    }
}
