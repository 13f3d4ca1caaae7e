package io.ringstack.drivers.virtio;

import io.ringstack.drivers.DeviceDrop;
import io.ringstack.drivers.GuestMemory;
import io.ringstack.phy.Cable;
import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.Link;
import io.ringstack.phy.NetworkDevice;
import io.ringstack.wire.EthernetFrame;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.ringstack.drivers.virtio.VirtioMmioRegisters.DRIVER_FEATURES;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.RECEIVE_QUEUE;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.STATUS;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.STATUS_ACKNOWLEDGE;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.STATUS_DRIVER;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.STATUS_DRIVER_OK;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.STATUS_FAILED;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.STATUS_FEATURES_OK;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.TRANSMIT_QUEUE;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_F_EVENT_IDX;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_F_VERSION_1;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.feature;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The guest driver over the device model: initialisation as section 3.1.1 prescribes, frames both ways between two
 * guests over a cable, and every way a transmit can fail, each with its code and its counter. Transmits are queued
 * and go to the device as one burst, with one notification, when the driver is next polled (or at once when the
 * ring is full), so a test polls the sender before the receiver.
 */
class VirtioNetDriverTest
{
    private static final int QUEUE_SIZE = 64;

    private final List<byte[]> receivedByA = new ArrayList<>();
    private final List<byte[]> receivedByB = new ArrayList<>();
    private final FrameHandler collectA = (buffer, offset, length) -> receivedByA.add(copy(buffer, offset, length));
    private final FrameHandler collectB = (buffer, offset, length) -> receivedByB.add(copy(buffer, offset, length));
    private CabledVirtioPair pair;

    @AfterEach
    void close()
    {
        if (pair != null)
        {
            pair.close();
        }
    }

    @Test
    void initNegotiatesVersion1MacAndStatusReadsTheMacAndGoesLive()
    {
        pair = new CabledVirtioPair(QUEUE_SIZE, 1 << 16);

        assertEquals(VirtioNetDevice.OFFERED_FEATURES, pair.driverA.features());
        assertEquals(CabledVirtioPair.MAC_A, pair.driverA.macAddress());
        assertEquals(CabledVirtioPair.MAC_B, pair.driverB.macAddress());
        assertEquals(STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK | STATUS_DRIVER_OK,
            pair.deviceA.mmioRead(STATUS));
        assertTrue(pair.driverA.isReady());
        assertTrue(pair.driverA.isLinkUp());
        assertEquals(1500, pair.driverA.mtu());
        assertEquals("eth-a", pair.driverA.name());
        assertThrows(IllegalStateException.class, pair.driverA::init, "initialised once");
    }

    @Test
    void initFailsClearlyWhenFeaturesOkDoesNotStick()
    {
        try (GuestMemory memory = GuestMemory.allocate(VirtioNetDriver.guestMemoryLength(QUEUE_SIZE));
            VirtioNetDevice device = new VirtioNetDevice(
                "virtio.refusing", memory, Cable.ends(4096)[0], 1, RegisterLevelGuest.newCountersManager()))
        {
            device.requiredFeatures(feature(VIRTIO_F_VERSION_1) | feature(VIRTIO_F_EVENT_IDX));
            final VirtioNetDriver driver = new VirtioNetDriver("eth-refused", device, memory, QUEUE_SIZE);

            final IllegalStateException failure = assertThrows(IllegalStateException.class, driver::init);

            assertTrue(failure.getMessage().contains("FEATURES_OK did not stick"), failure.getMessage());
            assertTrue(failure.getMessage().contains("eth-refused"), failure.getMessage());
            assertEquals(STATUS_FAILED, device.mmioRead(STATUS) & STATUS_FAILED, "the driver gave up on it");
            assertEquals(0, device.mmioRead(STATUS) & STATUS_DRIVER_OK);
            assertFalse(driver.isReady());
            assertEquals(NetworkDevice.TX_NOT_READY, driver.transmit(new UnsafeBuffer(new byte[60]), 0, 60));
            assertEquals(1, device.counters().drops(DeviceDrop.TX_NOT_READY));
        }
    }

    @Test
    void twoGuestsExchangeFramesBothWaysInOrderAndIntact()
    {
        pair = new CabledVirtioPair(QUEUE_SIZE, 1 << 20);
        final int frames = 2_000;
        final List<byte[]> sentByA = new ArrayList<>();
        final List<byte[]> sentByB = new ArrayList<>();

        for (int i = 0; i < frames; i++)
        {
            final byte[] fromA = RegisterLevelGuest.frame(EthernetFrame.HEADER_LENGTH + i % 1501, i);
            final byte[] fromB = RegisterLevelGuest.frame(EthernetFrame.MAX_FRAME_LENGTH - i % 1501, -i);
            assertEquals(NetworkDevice.TX_OK, pair.driverA.transmit(new UnsafeBuffer(fromA), 0, fromA.length));
            assertEquals(NetworkDevice.TX_OK, pair.driverB.transmit(new UnsafeBuffer(fromB), 0, fromB.length));
            sentByA.add(fromA);
            sentByB.add(fromB);
            if (i % 7 == 0)
            {
                drain();
            }
        }
        drain();

        assertFrames(sentByA, receivedByB);
        assertFrames(sentByB, receivedByA);
        assertEquals(frames, pair.deviceA.counters().txFrames.get());
        assertEquals(frames, pair.deviceB.counters().rxFrames.get());
        for (final DeviceDrop drop : DeviceDrop.values())
        {
            assertEquals(0, pair.deviceA.counters().drops(drop), drop.label());
            assertEquals(0, pair.deviceB.counters().drops(drop), drop.label());
        }
    }

    @Test
    void receivedFramesAreHandedOverInPlaceInGuestMemory()
    {
        pair = new CabledVirtioPair(QUEUE_SIZE, 1 << 16);
        final byte[] frame = RegisterLevelGuest.frame(100, 5);
        pair.driverA.transmit(new UnsafeBuffer(frame), 0, frame.length);
        pair.driverA.receive(collectA, 16);
        final DirectBuffer[] seen = new DirectBuffer[1];
        final int[] offsetSeen = new int[1];

        assertEquals(1, pair.driverB.receive((buffer, offset, length) ->
        {
            seen[0] = buffer;
            offsetSeen[0] = offset;
        }, 16));

        assertSame(pair.memoryB.buffer(), seen[0], "zero copy: the handler reads guest memory");
        final byte[] inPlace = new byte[frame.length];
        seen[0].getBytes(offsetSeen[0], inPlace);
        assertArrayEquals(frame, inPlace);
        assertEquals(0, pair.memoryB.buffer().getShort(offsetSeen[0] - VirtioNetHeader.LENGTH), "flags, gso_type");
    }

    @Test
    void anEmptyFrameFromTheWireIsHandedOverForTheEngineToCountAndATooLongOneIsCountedOversize()
    {
        final Link[] ends = Cable.ends(1 << 16);
        final GuestMemory memory = GuestMemory.allocate(VirtioNetDriver.guestMemoryLength(QUEUE_SIZE));
        final VirtioNetDevice device =
            new VirtioNetDevice("virtio.w", memory, ends[1], CabledVirtioPair.MAC_B,
            RegisterLevelGuest.newCountersManager());
        try
        {
            final VirtioNetDriver driver = new VirtioNetDriver("eth-w", device, memory, QUEUE_SIZE, 0).init();
            final int tooLong = EthernetFrame.MAX_FRAME_LENGTH + 4;
            for (final int length : new int[] {0, tooLong, 60})
            {
                assertTrue(ends[0].send(new UnsafeBuffer(new byte[length]), 0, length), "the cable takes " + length);
            }
            final List<Integer> lengths = new ArrayList<>();

            driver.receive((buffer, offset, length) -> lengths.add(length), 16);

            assertEquals(List.of(0, 60), lengths, "the empty frame is handed over for the engine to count");
            assertEquals(1, device.counters().drops(DeviceDrop.RX_OVERSIZE),
                "a " + tooLong + "-byte frame does not fit a receive buffer: counted by the device");
        }
        finally
        {
            device.close();
            memory.close();
        }
    }

    @Test
    void receiveHandsOverAtMostLimitFramesAndKeepsTheRest()
    {
        pair = new CabledVirtioPair(QUEUE_SIZE, 1 << 16);
        for (int i = 0; i < 10; i++)
        {
            final byte[] frame = RegisterLevelGuest.frame(60, i);
            pair.driverA.transmit(new UnsafeBuffer(frame), 0, frame.length);
        }
        pair.driverA.receive(collectA, 16);

        assertEquals(4, pair.driverB.receive(collectB, 4));
        assertEquals(4, pair.driverB.receive(collectB, 4));
        assertEquals(2, pair.driverB.receive(collectB, 4));
        assertEquals(0, pair.driverB.receive(collectB, 4));

        assertEquals(10, receivedByB.size());
        for (int i = 0; i < 10; i++)
        {
            assertArrayEquals(RegisterLevelGuest.frame(60, i), receivedByB.get(i));
        }
    }

    @Test
    void oversizeFramesAreRefusedAndCounted()
    {
        pair = new CabledVirtioPair(QUEUE_SIZE, 1 << 16);
        final UnsafeBuffer big = new UnsafeBuffer(new byte[EthernetFrame.MAX_FRAME_LENGTH + 1]);

        assertEquals(NetworkDevice.TX_OVERSIZE, pair.driverA.transmit(big, 0, big.capacity()));
        assertEquals(NetworkDevice.TX_OK, pair.driverA.transmit(big, 0, EthernetFrame.MAX_FRAME_LENGTH));

        assertEquals(1, pair.deviceA.counters().drops(DeviceDrop.TX_OVERSIZE));
    }

    @Test
    void aFullCableCostsFramesCountedAsLinkFull()
    {
        pair = new CabledVirtioPair(QUEUE_SIZE, 1 << 14);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[1000]);
        final int frames = 30;
        for (int i = 0; i < frames; i++)
        {
            assertEquals(NetworkDevice.TX_OK, pair.driverA.transmit(frame, 0, frame.capacity()), "the driver took it");
        }
        assertEquals(0, pair.deviceA.counters().txFrames.get(), "queued until the burst goes");
        pair.driverA.receive(collectA, 16);

        final long onWire = pair.deviceA.counters().txFrames.get();
        assertTrue(onWire > 0 && onWire < frames, () -> onWire + " on the wire");
        assertEquals(frames - onWire, pair.deviceA.counters().drops(DeviceDrop.LINK_FULL));
        assertEquals(onWire, pair.driverB.receive(collectB, frames));
    }

    @Test
    void aDeviceThatNeedsResetStopsTheDriverWithRingFullThenNotReady()
    {
        pair = new CabledVirtioPair(QUEUE_SIZE, 1 << 20);
        pair.deviceA.mmioWrite(DRIVER_FEATURES, 0);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[60]);

        for (int i = 0; i < QUEUE_SIZE; i++)
        {
            assertEquals(NetworkDevice.TX_OK, pair.driverA.transmit(frame, 0, 60), "queued, never sent");
        }
        assertEquals(NetworkDevice.TX_RING_FULL, pair.driverA.transmit(frame, 0, 60));
        assertEquals(1, pair.deviceA.counters().drops(DeviceDrop.TX_RING_FULL));

        pair.driverA.receive(collectA, 16);
        assertFalse(pair.driverA.isReady(), "the configuration change interrupt told the driver");
        assertEquals(NetworkDevice.TX_NOT_READY, pair.driverA.transmit(frame, 0, 60));
        assertEquals(0, pair.deviceA.counters().txFrames.get());
    }

    @Test
    void linkDownMakesTransmitNotReadyUntilTheLinkComesBack()
    {
        pair = new CabledVirtioPair(QUEUE_SIZE, 1 << 16);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[60]);

        pair.deviceA.linkUp(false);
        pair.driverA.receive(collectA, 16);
        assertFalse(pair.driverA.isLinkUp());
        assertEquals(NetworkDevice.TX_NOT_READY, pair.driverA.transmit(frame, 0, 60));
        assertEquals(1, pair.deviceA.counters().drops(DeviceDrop.LINK_DOWN));

        pair.deviceA.linkUp(true);
        pair.driverA.receive(collectA, 16);
        assertTrue(pair.driverA.isLinkUp());
        assertEquals(NetworkDevice.TX_OK, pair.driverA.transmit(frame, 0, 60));
        pair.driverA.receive(collectA, 16);
        assertEquals(1, pair.driverB.receive(collectB, 16));
    }

    @Test
    void aBurstOfTransmitsGoesToTheDeviceWithOneNotificationAtTheNextPoll()
    {
        pair = new CabledVirtioPair(QUEUE_SIZE, 1 << 16);
        final int burst = 10;
        for (int i = 0; i < burst; i++)
        {
            final byte[] frame = RegisterLevelGuest.frame(60, i);
            assertEquals(NetworkDevice.TX_OK, pair.driverA.transmit(new UnsafeBuffer(frame), 0, frame.length));
        }
        assertEquals(0, pair.deviceA.notifications(TRANSMIT_QUEUE), "no notification while the burst is queued");
        assertEquals(0, pair.deviceA.counters().txFrames.get());

        pair.driverA.receive(collectA, 16);

        assertEquals(1, pair.deviceA.notifications(TRANSMIT_QUEUE), "one notification for the burst");
        assertEquals(burst, pair.deviceA.counters().txFrames.get());
        assertEquals(burst, pair.driverB.receive(collectB, 16));
        for (int i = 0; i < burst; i++)
        {
            assertArrayEquals(RegisterLevelGuest.frame(60, i), receivedByB.get(i), "frame " + i);
        }

        pair.driverA.receive(collectA, 16);
        assertEquals(1, pair.deviceA.notifications(TRANSMIT_QUEUE), "a poll with nothing queued notifies nothing");
    }

    @Test
    void aTransmitThatFindsTheRingFullSendsTheBurstAtOnceAndGoesOn()
    {
        pair = new CabledVirtioPair(QUEUE_SIZE, 1 << 20);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[60]);
        for (int i = 0; i < QUEUE_SIZE; i++)
        {
            assertEquals(NetworkDevice.TX_OK, pair.driverA.transmit(frame, 0, 60));
        }
        assertEquals(0, pair.deviceA.notifications(TRANSMIT_QUEUE));

        assertEquals(NetworkDevice.TX_OK, pair.driverA.transmit(frame, 0, 60), "the ring emptied onto the wire");

        assertEquals(1, pair.deviceA.notifications(TRANSMIT_QUEUE));
        assertEquals(QUEUE_SIZE, pair.deviceA.counters().txFrames.get());
        assertEquals(0, pair.deviceA.counters().drops(DeviceDrop.TX_RING_FULL));
    }

    @Test
    void aQueueOfNDescriptorsHoldsNReceiveBuffersRefilledWithoutNotifications()
    {
        final int queueSize = VirtioNetDriver.DEFAULT_QUEUE_SIZE;
        pair = new CabledVirtioPair(queueSize, 1 << 20);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[60]);
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < queueSize; i++)
            {
                assertEquals(NetworkDevice.TX_OK, pair.driverA.transmit(frame, 0, 60));
            }
            pair.driverA.receive(collectA, queueSize);

            assertEquals(queueSize, pair.driverB.receive(collectB, queueSize), "header and frame in one descriptor");
        }

        assertEquals(3 * queueSize, pair.deviceB.counters().rxFrames.get());
        assertEquals(0, pair.deviceB.counters().drops(DeviceDrop.RX_RING_FULL));
        assertEquals(0, pair.deviceB.notifications(RECEIVE_QUEUE), "the device set VIRTQ_USED_F_NO_NOTIFY");
        assertEquals(3, pair.deviceA.notifications(TRANSMIT_QUEUE), "one per burst");
    }

    @Test
    void rejectsQueueSizesThatAreNotPowersOfTwo()
    {
        try (GuestMemory memory = GuestMemory.allocate(4096);
            VirtioNetDevice device = new VirtioNetDevice(
                "virtio.sizes", memory, Cable.ends(4096)[0], 1, RegisterLevelGuest.newCountersManager()))
        {
            for (final int size : new int[]{ 0, 1, 3, 100, 65536 })
            {
                assertThrows(IllegalArgumentException.class, () -> new VirtioNetDriver("eth", device, memory, size));
            }
        }
    }

    private void drain()
    {
        while (pair.driverA.receive(collectA, 16) + pair.driverB.receive(collectB, 16) > 0)
        {
            Thread.onSpinWait();
        }
    }

    private static void assertFrames(final List<byte[]> expected, final List<byte[]> actual)
    {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++)
        {
            assertArrayEquals(expected.get(i), actual.get(i), "frame " + i);
        }
    }

    private static byte[] copy(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }
}
