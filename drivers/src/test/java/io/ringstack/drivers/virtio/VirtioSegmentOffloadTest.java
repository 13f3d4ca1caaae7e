package io.ringstack.drivers.virtio;

import io.ringstack.drivers.DeviceDrop;
import io.ringstack.drivers.GuestMemory;
import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.NetworkDevice;
import io.ringstack.wire.EthernetFrame;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.ringstack.drivers.virtio.VirtioMmioRegisters.QUEUE_NOTIFY;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.RECEIVE_QUEUE;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.STATUS_ACKNOWLEDGE;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.STATUS_DRIVER;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.STATUS_DRIVER_OK;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.STATUS_FEATURES_OK;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.TRANSMIT_QUEUE;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_NET_F_CSUM;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_NET_F_GUEST_CSUM;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_NET_F_GUEST_TSO4;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_NET_F_HOST_TSO4;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.feature;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TCP segmentation and checksum offload through the VirtIO-net model (VirtIO 1.2 section 5.1.6): offered and
 * negotiated on a wire that cuts segments, not on one that cannot; a segment of 64 KiB leaving the driver as one
 * descriptor chain and reaching the wire as one {@code sendSegmented}; the wire's own segments of 64 KiB reaching
 * the engine whole through merged receive buffers, straight from guest memory or, where they wrap, copied; and, with
 * GUEST_CSUM, a frame whose checksum the wire vouched for reaching the driver with {@code DATA_VALID} (section
 * 5.1.6.4.1), which hands it to the stack as {@link FrameHandler#CHECKSUM_GOOD}.
 */
class VirtioSegmentOffloadTest
{
    private static final int QUEUE_SIZE = 256;

    private final List<byte[]> received = new ArrayList<>();
    private final FrameHandler collect = this::collect;
    private GuestMemory memory;
    private VirtioNetDevice device;

    @AfterEach
    void close()
    {
        if (device != null)
        {
            device.close();
            memory.close();
        }
    }

    @Test
    void aWireThatCutsSegmentsGetsTheOffloadsOfferedNegotiatedAndAsksForWholeSegments()
    {
        final SegmentingWire wire = new SegmentingWire(0xFFFF);
        final VirtioNetDriver driver = driverOn(wire);

        assertEquals(VirtioNetDevice.OFFERED_FEATURES | VirtioNetDevice.OFFLOAD_FEATURES, driver.features());
        assertEquals(0xFFFF, driver.segmentOffloadBytes());
        assertEquals(1, wire.wholeAsked, "FEATURES_OK with GUEST_TSO4 asks the wire for whole segments");
    }

    @Test
    void aWireThatCannotCutSegmentsGetsNoOffloadAndASegmentIsOversize()
    {
        final SegmentingWire wire = new SegmentingWire(0);
        final VirtioNetDriver driver = driverOn(wire);

        assertEquals(VirtioNetDevice.OFFERED_FEATURES, driver.features());
        assertEquals(0, driver.segmentOffloadBytes());
        assertEquals(0, wire.wholeAsked, "told to cut, as a TAP whose guest took no offload");
        final byte[] segment = SegmentFrames.tcp(SegmentFrames.LARGEST, 1);
        assertEquals(NetworkDevice.TX_OVERSIZE,
            driver.transmitSegmented(new UnsafeBuffer(segment), 0, segment.length, SegmentFrames.MSS));
        assertEquals(1, device.counters().drops(DeviceDrop.TX_OVERSIZE));
    }

    @Test
    void theDeviceRefusesSegmentationWithoutTheChecksumOffloadItNeeds()
    {
        try (RegisterLevelGuest guest = new RegisterLevelGuest(new SegmentingWire(0xFFFF)))
        {
            final int refused = STATUS_ACKNOWLEDGE | STATUS_DRIVER;
            assertEquals(refused,
                guest.negotiate(VirtioNetDevice.OFFERED_FEATURES | feature(VIRTIO_NET_F_HOST_TSO4)));
            assertEquals(refused,
                guest.negotiate(VirtioNetDevice.OFFERED_FEATURES | feature(VIRTIO_NET_F_GUEST_TSO4)));
            assertEquals(refused | STATUS_FEATURES_OK, guest.negotiate(VirtioNetDevice.OFFERED_FEATURES |
                feature(VIRTIO_NET_F_HOST_TSO4) | feature(VIRTIO_NET_F_CSUM)));
            assertEquals(refused | STATUS_FEATURES_OK, guest.negotiate(VirtioNetDevice.OFFERED_FEATURES |
                feature(VIRTIO_NET_F_GUEST_TSO4) | feature(VIRTIO_NET_F_GUEST_CSUM)));
        }
    }

    @Test
    void aSegmentOf64KiBLeavesAsOneDescriptorChainAndOneSendSegmented()
    {
        final SegmentingWire wire = new SegmentingWire(0xFFFF);
        final VirtioNetDriver driver = driverOn(wire);
        final byte[] segment = SegmentFrames.tcp(SegmentFrames.LARGEST, 2);

        assertEquals(NetworkDevice.TX_OK,
            driver.transmitSegmented(new UnsafeBuffer(segment), 0, segment.length, SegmentFrames.MSS));
        driver.receive(collect, 64);

        assertEquals(1, wire.segmentedSends);
        assertEquals(0, wire.sends);
        assertEquals(SegmentFrames.MSS, wire.lastSegmentSize);
        assertArrayEquals(segment, wire.lastSentBytes());
        assertEquals(1, device.counters().txFrames.get(), "one chain taken and sent");
    }

    @Test
    void segmentsKeepLeavingOnceEverySegmentBufferHasBeenUsed()
    {
        final SegmentingWire wire = new SegmentingWire(0xFFFF);
        final VirtioNetDriver driver = driverOn(wire);
        final UnsafeBuffer segment = new UnsafeBuffer(SegmentFrames.tcp(40_000, 3));

        for (int i = 0; i < 3 * VirtioNetDriver.SEGMENT_BUFFERS; i++)
        {
            assertEquals(NetworkDevice.TX_OK, driver.transmitSegmented(segment, 0, 40_000, SegmentFrames.MSS), "#" + i);
        }
        driver.receive(collect, 64);

        assertEquals(3 * VirtioNetDriver.SEGMENT_BUFFERS, wire.segmentedSends);
        final byte[] frame = SegmentFrames.tcp(100, 4);
        assertEquals(NetworkDevice.TX_OK, driver.transmit(new UnsafeBuffer(frame), 0, frame.length));
        driver.receive(collect, 64);
        assertEquals(1, wire.sends, "a slot that carried a segment carries a frame of its own again");
        assertArrayEquals(frame, wire.lastSentBytes());
    }

    @Test
    void aSegmentWrittenInPlaceInALentSegmentBufferLeavesAsTheSameSendSegmented()
    {
        final SegmentingWire wire = new SegmentingWire(0xFFFF);
        final VirtioNetDriver driver = driverOn(wire);

        for (int i = 0; i < 3 * VirtioNetDriver.SEGMENT_BUFFERS; i++)
        {
            final byte[] segment = SegmentFrames.tcp(SegmentFrames.LARGEST, 10 + i);
            final int claimed = driver.claimSegmented(segment.length);
            assertTrue(claimed >= 0, "#" + i + ": a segment buffer is lent once the device has sent the last");
            driver.transmitBuffer().putBytes(claimed, segment);
            assertEquals(NetworkDevice.TX_OK, driver.commitSegmented(claimed, segment.length, SegmentFrames.MSS));
            driver.receive(collect, 64);

            assertEquals(i + 1, wire.segmentedSends);
            assertEquals(SegmentFrames.MSS, wire.lastSegmentSize);
            assertArrayEquals(segment, wire.lastSentBytes(), "#" + i);
        }
        assertEquals(0, wire.sends);
    }

    @Test
    void noBufferIsLentWithoutSegmentationOrForMoreThanItTakes()
    {
        final VirtioNetDriver cannot = driverOn(new SegmentingWire(0));
        assertEquals(-1, cannot.claimSegmented(SegmentFrames.LARGEST));
        close();
        final VirtioNetDriver driver = driverOn(new SegmentingWire(0xFFFF));
        assertEquals(-1, driver.claimSegmented(EthernetFrame.HEADER_LENGTH + 0xFFFF + 1));
        assertTrue(driver.claimSegmented(EthernetFrame.HEADER_LENGTH + 0xFFFF) >= 0);
    }

    @Test
    void aGsoHeaderIsTakenOnlyWhenSegmentationWasNegotiated()
    {
        try (RegisterLevelGuest guest = new RegisterLevelGuest(new SegmentingWire(0xFFFF)))
        {
            final SegmentingWire wire = (SegmentingWire)guest.wire;
            final DriverVirtqueue transmit = guest.live(8)[TRANSMIT_QUEUE];
            final byte[] segment = SegmentFrames.tcp(20_000, 5);
            final long chain = guest.buffer(VirtioNetHeader.LENGTH + segment.length);
            VirtioNetHeader.writeTcpSegmentation(guest.memory.buffer(), guest.memory.offsetOf(chain), 66, 1000, 34);
            guest.putBytes(chain + VirtioNetHeader.LENGTH, segment);
            transmit.descriptor(0, chain, VirtioNetHeader.LENGTH + segment.length, 0, 0);
            transmit.offer(0);
            transmit.publishAvail();
            guest.write(QUEUE_NOTIFY, TRANSMIT_QUEUE);

            assertEquals(0, wire.segmentedSends + wire.sends, "VERSION_1, MAC and STATUS only: nothing to cut");
            assertEquals(1, guest.device.counters().drops(DeviceDrop.TX_OVERSIZE));
        }
    }

    @Test
    void aChainWithGsoTcpv4GoesToTheWireWithItsGsoSize()
    {
        try (RegisterLevelGuest guest = new RegisterLevelGuest(new SegmentingWire(0xFFFF)))
        {
            final SegmentingWire wire = (SegmentingWire)guest.wire;
            guest.negotiate(VirtioNetDevice.OFFERED_FEATURES | VirtioNetDevice.OFFLOAD_FEATURES);
            final DriverVirtqueue transmit = guest.queue(TRANSMIT_QUEUE, 8);
            guest.queue(0, 8);
            guest.addStatus(STATUS_DRIVER_OK);
            final byte[] segment = SegmentFrames.tcp(20_000, 6);
            final long header = guest.buffer(VirtioNetHeader.LENGTH);
            final long frame = guest.buffer(segment.length);
            VirtioNetHeader.writeTcpSegmentation(guest.memory.buffer(), guest.memory.offsetOf(header), 66, 1000, 34);
            guest.putBytes(frame, segment);
            transmit.descriptor(0, header, VirtioNetHeader.LENGTH, SplitVirtqueue.DESC_F_NEXT, 1);
            transmit.descriptor(1, frame, segment.length, 0, 0);
            transmit.offer(0);
            transmit.publishAvail();
            guest.write(QUEUE_NOTIFY, TRANSMIT_QUEUE);

            assertEquals(1, wire.segmentedSends, "header and frame in two descriptors, gathered");
            assertEquals(1000, wire.lastSegmentSize);
            assertArrayEquals(segment, wire.lastSentBytes());
        }
    }

    @Test
    void theWiresSegmentsOf64KiBReachTheEngineWholeThroughMergedBuffersAcrossTheRingsWrap()
    {
        final SegmentingWire wire = new SegmentingWire(0xFFFF);
        final VirtioNetDriver driver = driverOn(wire);
        final int segments = 40;
        final byte[] segment = SegmentFrames.tcp(SegmentFrames.LARGEST, 7);
        wire.arrive(segment, segments);

        for (int poll = 0; poll < 100 && received.size() < segments; poll++)
        {
            driver.receive(collect, 64);
        }

        assertEquals(segments, received.size(), "17 buffers a segment: the ring of 256 wraps every 15 segments");
        for (final byte[] frame : received)
        {
            assertArrayEquals(segment, frame);
        }
        assertEquals(segments, device.counters().rxFrames.get());
        assertEquals(0, device.counters().drops(DeviceDrop.RX_RING_FULL) +
            device.counters().drops(DeviceDrop.BAD_DESCRIPTOR));
    }

    @Test
    void aBurstOfSegmentsBeyondTheRingsBuffersIsTakenInOneReceiveUpToItsBudget()
    {
        final SegmentingWire wire = new SegmentingWire(0xFFFF);
        final VirtioNetDriver driver = driverOn(wire);
        final byte[] segment = SegmentFrames.tcp(SegmentFrames.LARGEST, 9);
        wire.arrive(segment, 40);

        assertEquals(40, driver.receive(collect, 64), "15 segments fill the ring of 256 buffers: the device asks to " +
            "be notified of more and takes the next ones when the driver offers the used buffers again");
        assertEquals(0, wire.arrivalsLeft());
        assertEquals(2, device.notifications(RECEIVE_QUEUE), "one notification each time the ring ran out");

        wire.arrive(segment, 40);
        assertEquals(20, driver.receive(collect, 20));
        assertEquals(20, wire.arrivalsLeft(), "the rest of the budget, no more: the others wait on the wire");
        assertEquals(60, received.size());
        assertArrayEquals(segment, received.get(59));
        assertEquals(0, device.counters().drops(DeviceDrop.RX_RING_FULL));
    }

    @Test
    void aBurstTheRingHoldsAsksForNoNotification()
    {
        final SegmentingWire wire = new SegmentingWire(0xFFFF);
        final VirtioNetDriver driver = driverOn(wire);
        wire.arrive(SegmentFrames.tcp(SegmentFrames.LARGEST, 10), 10);

        assertEquals(10, driver.receive(collect, 64));
        assertEquals(10, driver.receive(collect, 64) + received.size());
        assertEquals(0, device.notifications(RECEIVE_QUEUE), "VIRTQ_USED_F_NO_NOTIFY stays set while chains last");
    }

    @Test
    void aFrameOfMtuSizeFillsOneMergedBuffer()
    {
        final SegmentingWire wire = new SegmentingWire(0xFFFF);
        final VirtioNetDriver driver = driverOn(wire);
        final byte[] frame = SegmentFrames.tcp(1514, 8);
        wire.arrive(frame, 300);

        for (int poll = 0; poll < 10; poll++)
        {
            driver.receive(collect, 64);
        }

        assertEquals(300, received.size());
        assertArrayEquals(frame, received.get(299));
    }

    @Test
    void withGuestCsumAFrameTheWireVouchedForReachesTheStackAsChecksumGoodAndOthersGoToBeChecked()
    {
        final SegmentingWire wire = new SegmentingWire(0xFFFF);
        final VirtioNetDriver driver = driverOn(wire);

        assertEquals(FrameHandler.CHECKSUM_GOOD,
            offloadsOfOne(driver, wire, SegmentFrames.tcp(1514, 1), FrameHandler.CHECKSUM_GOOD));
        assertEquals(FrameHandler.CHECKSUM_GOOD,
            offloadsOfOne(driver, wire, SegmentFrames.tcp(SegmentFrames.LARGEST, 2), FrameHandler.CHECKSUM_GOOD),
            "a segment of 64 KiB over merged buffers");
        assertEquals(0, offloadsOfOne(driver, wire, SegmentFrames.tcp(1514, 3), 0), "not vouched for");
    }

    @Test
    void withoutGuestCsumEveryFrameGoesToTheStackToBeChecked()
    {
        final SegmentingWire wire = new SegmentingWire(0);
        final VirtioNetDriver driver = driverOn(wire);

        assertEquals(0, offloadsOfOne(driver, wire, SegmentFrames.tcp(1514, 4), FrameHandler.CHECKSUM_GOOD));
    }

    /**
     * @return the offloads the driver handed the stack one frame with, the wire having handed it over with
     * {@code wireOffloads}.
     */
    private static int offloadsOfOne(
        final VirtioNetDriver driver, final SegmentingWire wire, final byte[] frame, final int wireOffloads)
    {
        final int[] offloads = { -1 };
        wire.arrive(frame, 1, wireOffloads);
        driver.receive(new FrameHandler()
        {
            public void onFrame(final DirectBuffer buffer, final int offset, final int length)
            {
                throw new AssertionError("handed over without offloads");
            }

            public void onFrame(final DirectBuffer buffer, final int offset, final int length, final int flags)
            {
                offloads[0] = flags;
            }
        }, 64);
        return offloads[0];
    }

    private VirtioNetDriver driverOn(final SegmentingWire wire)
    {
        memory = GuestMemory.allocate(VirtioNetDriver.guestMemoryLength(QUEUE_SIZE));
        device = new VirtioNetDevice("virtio.test", memory, wire, RegisterLevelGuest.DEVICE_MAC,
            RegisterLevelGuest.newCountersManager());
        return new VirtioNetDriver("eth0", device, memory, QUEUE_SIZE).init();
    }

    private void collect(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] frame = new byte[length];
        buffer.getBytes(offset, frame);
        received.add(frame);
    }
}
