package io.ringstack.drivers.e1000;

import io.ringstack.drivers.DeviceDrop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.zip.CRC32;

import static io.ringstack.drivers.e1000.E1000Bench.rxDescriptor;
import static io.ringstack.drivers.e1000.E1000Registers.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The receive DMA engine, driven by hand: the test is the guest and owns everything the device has not been given.
 */
class E1000ReceiveRingTest
{
    private static final int RING = 8;
    private static final int BUFFER = 2048;
    private static final int WRITTEN_BACK =
        E1000RxDescriptor.STATUS_DD | E1000RxDescriptor.STATUS_EOP | E1000RxDescriptor.STATUS_IXSM;

    private final E1000Bench bench = new E1000Bench();
    private final E1000Device device = bench.device;

    @BeforeEach
    void linkUp()
    {
        bench.up();
        device.mmioRead(ICR);
    }

    @AfterEach
    void close()
    {
        bench.close();
    }

    @Test
    void deviceFillsOnlyTheDescriptorsFromHeadUpToTail()
    {
        final long ring = bench.receiveRing(RING, BUFFER, 3);
        device.mmioWrite(RCTL, E1000Driver.RCTL_VALUE);
        for (int i = 0; i < 5; i++)
        {
            bench.sendToDevice(E1000Bench.frame(64 + i, i));
        }
        device.service(16);

        for (int i = 0; i < 3; i++)
        {
            final long descriptor = rxDescriptor(ring, i);
            assertEquals(WRITTEN_BACK, bench.memory.getByte(descriptor + E1000RxDescriptor.STATUS_OFFSET));
            assertArrayEquals(E1000Bench.frame(64 + i, i), bench.guestBytes(buffer(ring, i), 64 + i));
        }
        for (int i = 3; i < RING; i++)
        {
            final long descriptor = rxDescriptor(ring, i);
            assertEquals(0, bench.memory.getByte(descriptor + E1000RxDescriptor.STATUS_OFFSET), "descriptor " + i);
            assertEquals(0, bench.memory.getShort(descriptor + E1000RxDescriptor.LENGTH_OFFSET), "descriptor " + i);
            assertUntouched(buffer(ring, i));
        }
        assertEquals(3, device.mmioRead(RDH), "head stops at the tail");
        assertEquals(3, device.counters().rxFrames.get());
        assertEquals(2, device.counters().drops(DeviceDrop.RX_RING_FULL));
        assertEquals(2, device.mmioRead(MPC));
        assertEquals(ICR_RXT0 | ICR_RXO, device.mmioRead(ICR) & (ICR_RXT0 | ICR_RXO));
    }

    @Test
    void headEqualToTailMissesTheFrameAndRaisesRxo()
    {
        bench.receiveRing(RING, BUFFER, 0);
        device.mmioWrite(RCTL, E1000Driver.RCTL_VALUE);
        bench.sendToDevice(E1000Bench.frame(60, 0));
        device.service(16);

        assertEquals(1, device.mmioRead(MPC));
        assertEquals(1, device.mmioRead(RNBC));
        assertEquals(ICR_RXO, device.mmioRead(ICR));
        assertEquals(0, device.mmioRead(RDH));
        assertEquals(1, device.counters().drops(DeviceDrop.RX_RING_FULL));
        assertEquals(0, device.counters().rxFrames.get());
    }

    @Test
    void tailWritesHandDescriptorsBackAndTheHeadWrapsAround()
    {
        final long ring = bench.receiveRing(RING, BUFFER, RING - 1);
        device.mmioWrite(RCTL, E1000Driver.RCTL_VALUE);
        int next = 0;
        for (int frame = 0; frame < 3 * RING; frame++)
        {
            bench.sendToDevice(E1000Bench.frame(80, frame));
            device.service(1);
            final long descriptor = rxDescriptor(ring, next);
            assertEquals(WRITTEN_BACK, bench.memory.getByte(descriptor + E1000RxDescriptor.STATUS_OFFSET));
            assertArrayEquals(E1000Bench.frame(80, frame), bench.guestBytes(buffer(ring, next), 80));
            bench.memory.putByte(descriptor + E1000RxDescriptor.STATUS_OFFSET, 0);
            device.mmioWrite(RDT, next);
            next = (next + 1) % RING;
            assertEquals(next, device.mmioRead(RDH));
        }
        assertEquals(0, device.mmioRead(MPC));
    }

    @Test
    void writeBackCarriesLengthStatusAndNoErrors()
    {
        final long ring = bench.receiveRing(RING, BUFFER, RING - 1);
        device.mmioWrite(RCTL, E1000Driver.RCTL_VALUE);
        bench.sendToDevice(E1000Bench.frame(1514, 7));
        device.service(1);

        final long descriptor = rxDescriptor(ring, 0);
        assertEquals(1514, bench.memory.getShort(descriptor + E1000RxDescriptor.LENGTH_OFFSET));
        assertEquals(0, bench.memory.getByte(descriptor + E1000RxDescriptor.ERRORS_OFFSET));
        assertEquals(0, bench.memory.getShort(descriptor + E1000RxDescriptor.SPECIAL_OFFSET));
        assertArrayEquals(E1000Bench.frame(1514, 7), bench.guestBytes(buffer(ring, 0), 1514));
        assertEquals(0xEE, bench.memory.getByte(buffer(ring, 0) + 1514), "SECRC: no FCS stored");
    }

    @Test
    void withoutSecrcTheFcsFollowsTheFrame()
    {
        final long ring = bench.receiveRing(RING, BUFFER, RING - 1);
        device.mmioWrite(RCTL, E1000Driver.RCTL_VALUE & ~RCTL_SECRC);
        final byte[] frame = E1000Bench.frame(100, 3);
        bench.sendToDevice(frame);
        device.service(1);

        assertEquals(104, bench.memory.getShort(rxDescriptor(ring, 0) + E1000RxDescriptor.LENGTH_OFFSET));
        final CRC32 crc = new CRC32();
        crc.update(frame);
        assertEquals((int)crc.getValue(), bench.memory.getInt(buffer(ring, 0) + 100), "FCS, low byte first");
    }

    @Test
    void receiverDisabledDropsAsNotEnabled()
    {
        bench.receiveRing(RING, BUFFER, RING - 1);
        device.mmioWrite(RCTL, E1000Driver.RCTL_VALUE & ~RCTL_EN);
        bench.sendToDevice(E1000Bench.frame(60, 0));
        device.service(1);

        assertEquals(1, device.counters().drops(DeviceDrop.RX_NOT_ENABLED));
        assertEquals(0, device.mmioRead(RDH));
        assertEquals(0, device.mmioRead(MPC), "MPC does not count while receives are disabled");
    }

    @Test
    void frameLargerThanTheBufferOrThe1522ByteLimitIsOversize()
    {
        final long ring = bench.receiveRing(RING, BUFFER, RING - 1);
        device.mmioWrite(RCTL, E1000Driver.RCTL_VALUE | 0b11 << RCTL_BSIZE_SHIFT);
        bench.sendToDevice(E1000Bench.frame(257, 0));
        bench.sendToDevice(E1000Bench.frame(256, 1));
        device.service(2);
        assertEquals(1, device.counters().drops(DeviceDrop.RX_OVERSIZE), "257 bytes into 256-byte buffers");
        assertEquals(256, bench.memory.getShort(rxDescriptor(ring, 0) + E1000RxDescriptor.LENGTH_OFFSET));

        device.mmioWrite(RCTL, E1000Driver.RCTL_VALUE);
        bench.sendToDevice(E1000Bench.frame(1519, 2));
        bench.sendToDevice(E1000Bench.frame(1518, 3));
        device.service(2);
        assertEquals(2, device.counters().drops(DeviceDrop.RX_OVERSIZE), "1519 + FCS is over 1522: a long packet");
        assertEquals(1518, bench.memory.getShort(rxDescriptor(ring, 1) + E1000RxDescriptor.LENGTH_OFFSET));
    }

    @Test
    void bufferOutsideGuestMemoryIsSkippedWithAnErrorNotAnException()
    {
        final long ring = bench.receiveRing(RING, BUFFER, RING - 1);
        bench.memory.putLong(rxDescriptor(ring, 0) + E1000RxDescriptor.BUFFER_ADDRESS_OFFSET, 0);
        bench.memory.putLong(rxDescriptor(ring, 1) + E1000RxDescriptor.BUFFER_ADDRESS_OFFSET,
            bench.memory.base() + bench.memory.size() - 10);
        device.mmioWrite(RCTL, E1000Driver.RCTL_VALUE);
        bench.sendToDevice(E1000Bench.frame(60, 0));
        bench.sendToDevice(E1000Bench.frame(60, 1));
        bench.sendToDevice(E1000Bench.frame(60, 2));
        device.service(3);

        for (int i = 0; i < 2; i++)
        {
            final long descriptor = rxDescriptor(ring, i);
            assertEquals(WRITTEN_BACK, bench.memory.getByte(descriptor + E1000RxDescriptor.STATUS_OFFSET));
            assertEquals(
                E1000RxDescriptor.ERRORS_RXE, bench.memory.getByte(descriptor + E1000RxDescriptor.ERRORS_OFFSET));
            assertEquals(0, bench.memory.getShort(descriptor + E1000RxDescriptor.LENGTH_OFFSET));
        }
        assertArrayEquals(E1000Bench.frame(60, 2), bench.guestBytes(buffer(ring, 2), 60));
        assertEquals(2, device.counters().drops(DeviceDrop.BAD_DESCRIPTOR));
        assertEquals(1, device.counters().rxFrames.get());
        assertEquals(3, device.mmioRead(RDH));
    }

    @Test
    void ringOutsideGuestMemoryIsCountedNotThrown()
    {
        device.mmioWrite(RDBAL, 0x1000);
        device.mmioWrite(RDLEN, RING * E1000RxDescriptor.LENGTH);
        device.mmioWrite(RDT, RING - 1);
        device.mmioWrite(RCTL, E1000Driver.RCTL_VALUE);
        bench.sendToDevice(E1000Bench.frame(60, 0));
        device.service(1);

        assertEquals(1, device.counters().drops(DeviceDrop.BAD_DESCRIPTOR));
        assertEquals(1, device.mmioRead(RDH), "the descriptor is skipped");
    }

    @Test
    void indicesOutsideTheRingAreBadDescriptors()
    {
        bench.receiveRing(RING, BUFFER, RING + 3);
        device.mmioWrite(RCTL, E1000Driver.RCTL_VALUE);
        bench.sendToDevice(E1000Bench.frame(60, 0));
        device.service(1);

        assertEquals(1, device.counters().drops(DeviceDrop.BAD_DESCRIPTOR));
        assertEquals(0, device.mmioRead(RDH));
    }

    @Test
    void rxdmt0WhenFreeDescriptorsFallToTheThreshold()
    {
        bench.receiveRing(RING, BUFFER, RING - 1);
        device.mmioWrite(RCTL, E1000Driver.RCTL_VALUE);
        for (int frame = 1; frame <= 3; frame++)
        {
            bench.sendToDevice(E1000Bench.frame(60, frame));
            device.service(1);
            final int expected = frame == 3 ? ICR_RXT0 | ICR_RXDMT0 : ICR_RXT0;
            assertEquals(expected, device.mmioRead(ICR), "after frame " + frame + ": " + (7 - frame) + " free");
        }
    }

    @Test
    void noDmaWithoutBusMastering()
    {
        bench.receiveRing(RING, BUFFER, RING - 1);
        device.mmioWrite(RCTL, E1000Driver.RCTL_VALUE);
        device.config().write16(PciConfigSpace.COMMAND_OFFSET, PciConfigSpace.COMMAND_MEMORY_SPACE);
        bench.sendToDevice(E1000Bench.frame(60, 0));
        device.service(1);

        assertEquals(1, device.counters().drops(DeviceDrop.RX_NOT_ENABLED));
        assertEquals(0, device.mmioRead(RDH));
    }

    private long buffer(final long ring, final int index)
    {
        return bench.memory.getLong(rxDescriptor(ring, index) + E1000RxDescriptor.BUFFER_ADDRESS_OFFSET);
    }

    private void assertUntouched(final long buffer)
    {
        final byte[] expected = new byte[BUFFER];
        Arrays.fill(expected, (byte)0xEE);
        assertArrayEquals(expected, bench.guestBytes(buffer, BUFFER));
    }
}
