package io.ringstack.drivers.virtio;

import io.ringstack.drivers.DeviceDrop;
import io.ringstack.wire.EthernetFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static io.ringstack.drivers.virtio.SplitVirtqueue.AVAIL_FLAGS_OFFSET;
import static io.ringstack.drivers.virtio.SplitVirtqueue.AVAIL_F_NO_INTERRUPT;
import static io.ringstack.drivers.virtio.SplitVirtqueue.DESC_F_INDIRECT;
import static io.ringstack.drivers.virtio.SplitVirtqueue.DESC_F_NEXT;
import static io.ringstack.drivers.virtio.SplitVirtqueue.DESC_F_WRITE;
import static io.ringstack.drivers.virtio.SplitVirtqueue.AVAIL_IDX_OFFSET;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.CONFIG;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.CONFIG_GENERATION;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.DEVICE_FEATURES;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.DEVICE_FEATURES_SEL;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.DEVICE_ID;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.DRIVER_FEATURES;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.DRIVER_FEATURES_SEL;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.INTERRUPT_ACK;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.INTERRUPT_CONFIG_CHANGE;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.INTERRUPT_STATUS;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.INTERRUPT_USED_BUFFER;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.MAGIC_VALUE;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.QUEUE_NOTIFY;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.QUEUE_NUM;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.QUEUE_NUM_MAX;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.QUEUE_READY;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.QUEUE_SEL;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.RECEIVE_QUEUE;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.STATUS;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.STATUS_ACKNOWLEDGE;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.STATUS_DEVICE_NEEDS_RESET;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.STATUS_DRIVER;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.STATUS_DRIVER_OK;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.STATUS_FEATURES_OK;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.TRANSMIT_QUEUE;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VENDOR_ID;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VERSION;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_F_EVENT_IDX;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_F_VERSION_1;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_NET_F_MAC;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_NET_F_MRG_RXBUF;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_NET_F_STATUS;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.feature;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The device model at register and ring level, driven by a {@link RegisterLevelGuest} that can break every rule a
 * correct driver keeps.
 */
class VirtioNetDeviceTest
{
    private static final int HEADER = VirtioNetHeader.LENGTH;
    private static final int LIVE = STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK | STATUS_DRIVER_OK;

    private final RegisterLevelGuest guest = new RegisterLevelGuest();

    @AfterEach
    void close()
    {
        guest.close();
    }

    @Test
    void presentsMagicVersion2NetworkDeviceIdAndQueueSizes()
    {
        assertEquals(0x7472_6976, guest.read(MAGIC_VALUE), "'virt'");
        assertEquals(2, guest.read(VERSION), "virtio-mmio version 2, not legacy");
        assertEquals(1, guest.read(DEVICE_ID), "network card");
        assertEquals(VirtioMmioRegisters.RINGSTACK_VENDOR_ID, guest.read(VENDOR_ID));
        assertEquals(0, guest.status(), "status starts at 0");
        for (final int queue : new int[]{ RECEIVE_QUEUE, TRANSMIT_QUEUE })
        {
            guest.write(QUEUE_SEL, queue);
            assertEquals(VirtioNetDevice.QUEUE_SIZE_MAX, guest.read(QUEUE_NUM_MAX));
            assertEquals(0, guest.read(QUEUE_READY));
        }
        guest.write(QUEUE_SEL, 2);
        assertEquals(0, guest.read(QUEUE_NUM_MAX), "no control queue");
        guest.write(QUEUE_SEL, -1);
        assertEquals(0, guest.read(QUEUE_NUM_MAX), "selectors are unsigned");
    }

    @Test
    void offersVersion1MacAndStatusAcrossTheTwoFeatureWords()
    {
        guest.write(DEVICE_FEATURES_SEL, 0);
        assertEquals((1 << VIRTIO_NET_F_MAC) | (1 << VIRTIO_NET_F_STATUS), guest.read(DEVICE_FEATURES));
        guest.write(DEVICE_FEATURES_SEL, 1);
        assertEquals(1 << (VIRTIO_F_VERSION_1 - 32), guest.read(DEVICE_FEATURES));
        guest.write(DEVICE_FEATURES_SEL, 2);
        assertEquals(0, guest.read(DEVICE_FEATURES));
    }

    @Test
    void presentsMacAndLinkStatusInConfigSpaceByByteShortAndWord()
    {
        final int[] mac = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
        for (int i = 0; i < mac.length; i++)
        {
            assertEquals(mac[i], guest.device.mmioReadByte(CONFIG + i), "mac[" + i + "]");
        }
        assertEquals(1, guest.device.mmioReadShort(CONFIG + 6), "VIRTIO_NET_S_LINK_UP");
        assertEquals(0x1200_5452, guest.read(CONFIG), "mac[0..3] as a little-endian word");
        assertEquals(0x0001_5634, guest.read(CONFIG + 4), "mac[4..5] then status");
        assertEquals(0, guest.device.mmioReadByte(CONFIG + 8), "nothing past status");
    }

    @Test
    void featuresOkSticksForAnOfferedSubsetThatIncludesVersion1()
    {
        assertEquals(STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK,
            guest.negotiate(feature(VIRTIO_F_VERSION_1) | feature(VIRTIO_NET_F_MAC)));
        assertEquals(STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK,
            guest.negotiate(feature(VIRTIO_F_VERSION_1)));
        assertEquals(STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK,
            guest.negotiate(VirtioNetDevice.OFFERED_FEATURES));
        assertEquals(0, guest.device.needsResetCount());
    }

    @Test
    void featuresOkDoesNotStickForALegacyDriverWithoutVersion1()
    {
        assertEquals(STATUS_ACKNOWLEDGE | STATUS_DRIVER,
            guest.negotiate(feature(VIRTIO_NET_F_MAC) | feature(VIRTIO_NET_F_STATUS)));
    }

    @Test
    void featuresOkDoesNotStickWhenTheDriverAcceptsFeaturesNotOffered()
    {
        final long base = VirtioNetDevice.OFFERED_FEATURES;
        assertEquals(STATUS_ACKNOWLEDGE | STATUS_DRIVER, guest.negotiate(base | feature(VIRTIO_NET_F_MRG_RXBUF)));
        assertEquals(STATUS_ACKNOWLEDGE | STATUS_DRIVER, guest.negotiate(base | feature(VIRTIO_F_EVENT_IDX)));
        assertEquals(STATUS_ACKNOWLEDGE | STATUS_DRIVER, guest.negotiate(base | feature(40)));

        guest.write(STATUS, 0);
        guest.addStatus(STATUS_ACKNOWLEDGE | STATUS_DRIVER);
        guest.writeDriverFeatures(base);
        guest.write(DRIVER_FEATURES_SEL, 2);
        guest.write(DRIVER_FEATURES, 1);
        guest.addStatus(STATUS_FEATURES_OK);
        assertEquals(STATUS_ACKNOWLEDGE | STATUS_DRIVER, guest.status(), "a bit beyond the 64 offered");
    }

    @Test
    void rejectsADriverThatSetsDriverOkWithoutFeaturesOk()
    {
        guest.addStatus(STATUS_ACKNOWLEDGE | STATUS_DRIVER);
        guest.writeDriverFeatures(VirtioNetDevice.OFFERED_FEATURES);
        guest.addStatus(STATUS_DRIVER_OK);

        assertEquals(STATUS_DEVICE_NEEDS_RESET, guest.status() & STATUS_DEVICE_NEEDS_RESET);
        assertEquals(1, guest.device.needsResetCount());
        assertEquals(INTERRUPT_CONFIG_CHANGE, guest.read(INTERRUPT_STATUS), "the driver is told");

        guest.sendOnWire(RegisterLevelGuest.frame(60, 1));
        guest.device.service(8);
        assertEquals(1, guest.device.counters().drops(DeviceDrop.RX_NOT_ENABLED), "a refused device stays off");
    }

    @Test
    void rejectsADriverOkAfterFeaturesOkDidNotStick()
    {
        guest.negotiate(feature(VIRTIO_NET_F_MAC));
        guest.write(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK | STATUS_DRIVER_OK);

        assertEquals(STATUS_DEVICE_NEEDS_RESET, guest.status() & STATUS_DEVICE_NEEDS_RESET);
        assertEquals(0, guest.status() & STATUS_FEATURES_OK);
    }

    @Test
    void rejectsQueueSetUpBeforeFeaturesOk()
    {
        guest.addStatus(STATUS_ACKNOWLEDGE | STATUS_DRIVER);
        guest.write(QUEUE_SEL, RECEIVE_QUEUE);
        assertEquals(VirtioNetDevice.QUEUE_SIZE_MAX, guest.read(QUEUE_NUM_MAX), "reading is allowed");
        guest.write(QUEUE_NUM, 64);

        assertEquals(STATUS_DEVICE_NEEDS_RESET, guest.status() & STATUS_DEVICE_NEEDS_RESET);
        assertEquals(1, guest.device.needsResetCount());
    }

    @Test
    void rejectsFeaturesWrittenAfterFeaturesOk()
    {
        guest.negotiate(VirtioNetDevice.OFFERED_FEATURES);
        guest.writeDriverFeatures(feature(VIRTIO_F_VERSION_1));

        assertEquals(STATUS_DEVICE_NEEDS_RESET, guest.status() & STATUS_DEVICE_NEEDS_RESET);
    }

    @Test
    void rejectsADriverThatClearsAStatusBit()
    {
        guest.negotiate(VirtioNetDevice.OFFERED_FEATURES);
        guest.write(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER);

        assertEquals(STATUS_DEVICE_NEEDS_RESET, guest.status() & STATUS_DEVICE_NEEDS_RESET);
        assertEquals(STATUS_FEATURES_OK, guest.status() & STATUS_FEATURES_OK, "the write was refused");
    }

    @Test
    void writingZeroToStatusResetsEverything()
    {
        guest.live(16);
        guest.write(DRIVER_FEATURES, 1);
        assertEquals(STATUS_DEVICE_NEEDS_RESET, guest.status() & STATUS_DEVICE_NEEDS_RESET);
        assertNotEquals(0, guest.read(INTERRUPT_STATUS));

        guest.write(STATUS, 0);

        assertEquals(0, guest.status());
        assertEquals(0, guest.read(INTERRUPT_STATUS));
        for (final int queue : new int[]{ RECEIVE_QUEUE, TRANSMIT_QUEUE })
        {
            guest.write(QUEUE_SEL, queue);
            assertEquals(0, guest.read(QUEUE_READY), "queue " + queue);
        }
        guest.live(16);
        assertEquals(LIVE, guest.status(), "the device can be initialised again");
    }

    @Test
    void handshakeGoesAcknowledgeDriverFeaturesOkDriverOk()
    {
        guest.write(STATUS, 0);
        guest.addStatus(STATUS_ACKNOWLEDGE);
        assertEquals(STATUS_ACKNOWLEDGE, guest.status());
        guest.addStatus(STATUS_DRIVER);
        assertEquals(STATUS_ACKNOWLEDGE | STATUS_DRIVER, guest.status());
        guest.writeDriverFeatures(VirtioNetDevice.OFFERED_FEATURES);
        guest.addStatus(STATUS_FEATURES_OK);
        assertEquals(STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK, guest.status());
        guest.queue(RECEIVE_QUEUE, 8);
        guest.queue(TRANSMIT_QUEUE, 8);
        guest.addStatus(STATUS_DRIVER_OK);
        assertEquals(LIVE, guest.status());
        assertEquals(0, guest.device.needsResetCount());
    }

    @Test
    void queueBecomesReadyOnlyWithAPowerOfTwoSizeAndAlignedAreasInGuestMemory()
    {
        guest.negotiate(VirtioNetDevice.OFFERED_FEATURES);
        final DriverVirtqueue queue = guest.queue(RECEIVE_QUEUE, 64);
        guest.write(QUEUE_SEL, RECEIVE_QUEUE);
        assertEquals(1, guest.read(QUEUE_READY));
        assertEquals(0, guest.device.needsResetCount());

        guest.write(QUEUE_NUM, 32);
        assertEquals(1, guest.device.needsResetCount(), "QueueNum while the queue is ready");

        final long base = guest.memory.base();
        final long end = base + guest.memory.size();
        final long[][] invalid = {
            { 3, queue.descriptorArea(), queue.driverArea(), queue.deviceArea() },
            { 512, queue.descriptorArea(), queue.driverArea(), queue.deviceArea() },
            { 0, queue.descriptorArea(), queue.driverArea(), queue.deviceArea() },
            { 64, queue.descriptorArea() + 8, queue.driverArea(), queue.deviceArea() },
            { 64, queue.descriptorArea(), queue.driverArea() + 1, queue.deviceArea() },
            { 64, queue.descriptorArea(), queue.driverArea(), queue.deviceArea() + 2 },
            { 64, end - 16, queue.driverArea(), queue.deviceArea() },
            { 64, queue.descriptorArea(), 0, queue.deviceArea() },
        };
        for (final long[] config : invalid)
        {
            guest.negotiate(VirtioNetDevice.OFFERED_FEATURES);
            guest.program(TRANSMIT_QUEUE, (int)config[0], config[1], config[2], config[3]);
            assertEquals(0, guest.read(QUEUE_READY), () -> "size " + config[0]);
            assertEquals(STATUS_DEVICE_NEEDS_RESET, guest.status() & STATUS_DEVICE_NEEDS_RESET);
        }
    }

    @Test
    void receivesIntoAChainOfWritableDescriptorsFollowingNext()
    {
        final DriverVirtqueue rx = guest.live(8)[RECEIVE_QUEUE];
        final long a = guest.buffer(5);
        final long b = guest.buffer(20);
        final long c = guest.buffer(200);
        rx.descriptor(3, a, 5, DESC_F_WRITE | DESC_F_NEXT, 6);
        rx.descriptor(6, b, 20, DESC_F_WRITE | DESC_F_NEXT, 1);
        rx.descriptor(1, c, 200, DESC_F_WRITE, 0);
        rx.offer(3);
        rx.publishAvail();
        final byte[] frame = RegisterLevelGuest.frame(150, 7);

        guest.sendOnWire(frame);
        assertEquals(1, guest.device.service(8));

        assertEquals(1, rx.pendingUsed());
        assertEquals(3, rx.usedId(), "the chain's head");
        assertEquals(HEADER + frame.length, rx.usedLength());
        final byte[] written = new byte[HEADER + frame.length];
        System.arraycopy(guest.bytesAt(a, 5), 0, written, 0, 5);
        System.arraycopy(guest.bytesAt(b, 20), 0, written, 5, 20);
        System.arraycopy(guest.bytesAt(c, written.length - 25), 0, written, 25, written.length - 25);
        final byte[] header = new byte[HEADER];
        header[VirtioNetHeader.NUM_BUFFERS_OFFSET] = 1;
        assertArrayEquals(header, Arrays.copyOf(written, HEADER), "flags 0, GSO_NONE, num_buffers 1");
        assertArrayEquals(frame, Arrays.copyOfRange(written, HEADER, written.length));
        assertEquals(1, guest.device.counters().rxFrames.get());
    }

    @Test
    void receivesHeaderAndFrameIntoOneDescriptorInABurstWithOneUsedIndexStore()
    {
        final DriverVirtqueue rx = guest.live(8)[RECEIVE_QUEUE];
        final long[] buffers = new long[3];
        for (int i = 0; i < buffers.length; i++)
        {
            buffers[i] = guest.buffer(HEADER + EthernetFrame.MAX_FRAME_LENGTH);
            rx.descriptor(i, buffers[i], HEADER + EthernetFrame.MAX_FRAME_LENGTH, DESC_F_WRITE, 0);
            rx.offer(i);
        }
        rx.publishAvail();
        for (int i = 0; i < buffers.length; i++)
        {
            guest.sendOnWire(RegisterLevelGuest.frame(60 + i, i));
        }
        final long interruptsBefore = guest.device.counters().interrupts.get();

        assertEquals(buffers.length, guest.device.service(8));

        assertEquals(buffers.length, rx.pendingUsed());
        final byte[] header = new byte[HEADER];
        header[VirtioNetHeader.NUM_BUFFERS_OFFSET] = 1;
        for (int i = 0; i < buffers.length; i++)
        {
            assertEquals(i, rx.usedId());
            assertEquals(HEADER + 60 + i, rx.usedLength());
            rx.consumeUsed();
            assertArrayEquals(header, guest.bytesAt(buffers[i], HEADER), "flags 0, GSO_NONE, num_buffers 1");
            assertArrayEquals(RegisterLevelGuest.frame(60 + i, i), guest.bytesAt(buffers[i] + HEADER, 60 + i));
        }
        assertEquals(buffers.length, guest.device.counters().rxFrames.get());
        assertEquals(interruptsBefore + 1, guest.device.counters().interrupts.get(), "one interrupt for the burst");
    }

    @Test
    void theReceiveQueueAsksForNoNotificationsAndTheTransmitQueueForEach()
    {
        final DriverVirtqueue[] queues = guest.live(8);

        assertFalse(queues[RECEIVE_QUEUE].notificationsWanted(), "VIRTQ_USED_F_NO_NOTIFY: frames wake the device");
        assertTrue(queues[TRANSMIT_QUEUE].notificationsWanted(), "only a notification sends what is queued");
    }

    @Test
    void transmitsAChainOfReadableDescriptorsSkippingTheHeader()
    {
        final DriverVirtqueue tx = guest.live(8)[TRANSMIT_QUEUE];
        final byte[] frame = RegisterLevelGuest.frame(300, 3);
        final long header = guest.buffer(HEADER);
        final long first = guest.buffer(100);
        final long second = guest.buffer(200);
        guest.putBytes(first, Arrays.copyOf(frame, 100));
        guest.putBytes(second, Arrays.copyOfRange(frame, 100, 300));
        tx.descriptor(0, header, HEADER, DESC_F_NEXT, 5);
        tx.descriptor(5, first, 100, DESC_F_NEXT, 2);
        tx.descriptor(2, second, 200, 0, 0);
        final byte[] single = RegisterLevelGuest.frame(64, 9);
        final long whole = guest.buffer(HEADER + single.length);
        guest.putBytes(whole + HEADER, single);
        tx.descriptor(7, whole, HEADER + single.length, 0, 0);
        tx.offer(0);
        tx.offer(7);
        tx.publishAvail();

        guest.write(QUEUE_NOTIFY, TRANSMIT_QUEUE);

        final List<byte[]> sent = guest.takeFromWire();
        assertEquals(2, sent.size());
        assertArrayEquals(frame, sent.get(0), "gathered from three descriptors");
        assertArrayEquals(single, sent.get(1), "sent straight from one descriptor");
        assertEquals(2, tx.pendingUsed());
        assertEquals(0, tx.usedId());
        assertEquals(0, tx.usedLength(), "nothing written into a transmit chain");
        tx.consumeUsed();
        assertEquals(7, tx.usedId());
        assertEquals(2, guest.device.counters().txFrames.get());
    }

    @Test
    void wrongWriteDirectionIsABadDescriptor()
    {
        final DriverVirtqueue[] queues = guest.live(8);
        final long buffer = guest.buffer(2048);
        queues[RECEIVE_QUEUE].descriptor(0, buffer, 12, DESC_F_WRITE | DESC_F_NEXT, 1);
        queues[RECEIVE_QUEUE].descriptor(1, buffer + 12, 1514, 0, 0);
        queues[RECEIVE_QUEUE].offer(0);
        queues[RECEIVE_QUEUE].publishAvail();
        queues[TRANSMIT_QUEUE].descriptor(4, buffer, 100, DESC_F_WRITE, 0);
        queues[TRANSMIT_QUEUE].offer(4);
        queues[TRANSMIT_QUEUE].publishAvail();

        guest.sendOnWire(RegisterLevelGuest.frame(60, 0));
        guest.device.service(8);

        assertEquals(2, guest.device.counters().drops(DeviceDrop.BAD_DESCRIPTOR));
        assertEquals(0, queues[RECEIVE_QUEUE].usedLength(), "the receive chain comes back empty");
        assertEquals(0, queues[RECEIVE_QUEUE].usedId());
        assertEquals(4, queues[TRANSMIT_QUEUE].usedId(), "the transmit chain comes back too");
        assertEquals(0, guest.takeFromWire().size());
    }

    @Test
    void descriptorsOutsideGuestMemoryAreCountedNeverThrown()
    {
        final DriverVirtqueue[] queues = guest.live(8);
        final DriverVirtqueue rx = queues[RECEIVE_QUEUE];
        final DriverVirtqueue tx = queues[TRANSMIT_QUEUE];
        final long end = guest.memory.base() + guest.memory.size();
        rx.descriptor(0, 0, 1526, DESC_F_WRITE, 0);
        rx.descriptor(1, end - 100, 1526, DESC_F_WRITE, 0);
        rx.descriptor(2, guest.buffer(64), -1, DESC_F_WRITE, 0);
        rx.descriptor(3, guest.buffer(2048), 1526, DESC_F_WRITE | DESC_F_NEXT, 200);
        rx.descriptor(4, guest.buffer(2048), 1526, DESC_F_WRITE | DESC_F_INDIRECT, 0);
        for (int head = 0; head <= 4; head++)
        {
            rx.offer(head);
        }
        rx.offer(9);
        rx.publishAvail();
        tx.descriptor(0, Long.MIN_VALUE, 100, 0, 0);
        tx.descriptor(1, guest.buffer(8), 8, 0, 0);
        tx.offer(0);
        tx.offer(1);
        tx.publishAvail();

        for (int i = 0; i < 6; i++)
        {
            guest.sendOnWire(RegisterLevelGuest.frame(60, i));
        }
        guest.device.service(16);

        assertEquals(8, guest.device.counters().drops(DeviceDrop.BAD_DESCRIPTOR),
            "null, past the end, huge length, next out of table, indirect, head out of table, tx address, tx runt");
        assertEquals(5, rx.pendingUsed(), "every chain with a valid head comes back");
        assertEquals(2, tx.pendingUsed());
        assertEquals(0, guest.takeFromWire().size());
        assertEquals(0, guest.device.needsResetCount(), "bad descriptors cost frames, not the device");
    }

    @Test
    void loopingChainsAreBoundedByTheQueueSize()
    {
        final DriverVirtqueue[] queues = guest.live(8);
        final long buffer = guest.buffer(64);
        queues[RECEIVE_QUEUE].descriptor(0, buffer, 4, DESC_F_WRITE | DESC_F_NEXT, 1);
        queues[RECEIVE_QUEUE].descriptor(1, buffer, 4, DESC_F_WRITE | DESC_F_NEXT, 0);
        queues[RECEIVE_QUEUE].offer(0);
        queues[RECEIVE_QUEUE].publishAvail();
        queues[TRANSMIT_QUEUE].descriptor(2, buffer, 64, DESC_F_NEXT, 2);
        queues[TRANSMIT_QUEUE].offer(2);
        queues[TRANSMIT_QUEUE].publishAvail();

        guest.sendOnWire(RegisterLevelGuest.frame(60, 0));
        guest.device.service(8);

        assertEquals(2, guest.device.counters().drops(DeviceDrop.BAD_DESCRIPTOR));
        assertEquals(1, queues[RECEIVE_QUEUE].pendingUsed());
        assertEquals(1, queues[TRANSMIT_QUEUE].pendingUsed());
    }

    @Test
    void aChainTooSmallForTheFrameIsRxOversizeAndStaysAvailable()
    {
        final DriverVirtqueue rx = guest.live(8)[RECEIVE_QUEUE];
        rx.descriptor(0, guest.buffer(100), 100, DESC_F_WRITE, 0);
        rx.offer(0);
        rx.publishAvail();
        final byte[] small = RegisterLevelGuest.frame(88, 2);

        guest.sendOnWire(RegisterLevelGuest.frame(89, 1));
        guest.sendOnWire(small);
        guest.device.service(8);

        assertEquals(1, guest.device.counters().drops(DeviceDrop.RX_OVERSIZE));
        assertEquals(1, rx.pendingUsed());
        assertEquals(HEADER + small.length, rx.usedLength(), "the next frame that fits takes the buffer");
    }

    @Test
    void noAvailableBufferIsRxRingFull()
    {
        guest.live(8);
        guest.sendOnWire(RegisterLevelGuest.frame(60, 0));
        guest.sendOnWire(RegisterLevelGuest.frame(60, 1));

        assertEquals(2, guest.device.service(8));

        assertEquals(2, guest.device.counters().drops(DeviceDrop.RX_RING_FULL));
    }

    @Test
    void framesBeforeDriverOkAreRxNotEnabledAndNoBufferIsUsed()
    {
        guest.negotiate(VirtioNetDevice.OFFERED_FEATURES);
        final DriverVirtqueue rx = guest.queue(RECEIVE_QUEUE, 8);
        rx.descriptor(0, guest.buffer(1526), 1526, DESC_F_WRITE, 0);
        rx.offer(0);
        rx.publishAvail();
        guest.sendOnWire(RegisterLevelGuest.frame(60, 0));

        guest.device.service(8);

        assertEquals(1, guest.device.counters().drops(DeviceDrop.RX_NOT_ENABLED));
        assertEquals(0, rx.pendingUsed());
        assertEquals(0, guest.read(INTERRUPT_STATUS), "no notification before DRIVER_OK");
    }

    @Test
    void usedBufferInterruptIsRaisedWhenUsedRingsAdvanceAndClearedByAck()
    {
        final DriverVirtqueue rx = guest.live(8)[RECEIVE_QUEUE];
        assertEquals(0, guest.read(INTERRUPT_STATUS));
        for (int head = 0; head < 4; head++)
        {
            rx.descriptor(head, guest.buffer(1526), 1526, DESC_F_WRITE, 0);
            rx.offer(head);
        }
        rx.publishAvail();

        guest.sendOnWire(RegisterLevelGuest.frame(60, 0));
        guest.sendOnWire(RegisterLevelGuest.frame(60, 1));
        guest.device.service(8);
        assertEquals(INTERRUPT_USED_BUFFER, guest.read(INTERRUPT_STATUS));
        assertEquals(1, guest.device.counters().interrupts.get(), "one rising edge for the batch");

        guest.write(INTERRUPT_ACK, INTERRUPT_USED_BUFFER);
        assertEquals(0, guest.read(INTERRUPT_STATUS));
        guest.device.service(8);
        assertEquals(0, guest.read(INTERRUPT_STATUS), "nothing used, nothing raised");

        guest.memory.putShort(rx.driverArea() + AVAIL_FLAGS_OFFSET, AVAIL_F_NO_INTERRUPT);
        guest.sendOnWire(RegisterLevelGuest.frame(60, 2));
        guest.device.service(8);
        assertEquals(3, rx.pendingUsed());
        assertEquals(0, guest.read(INTERRUPT_STATUS), "VIRTQ_AVAIL_F_NO_INTERRUPT honoured");
        assertEquals(1, guest.device.counters().interrupts.get());
    }

    @Test
    void anAvailableIndexMoreThanAQueueAheadNeedsReset()
    {
        final DriverVirtqueue tx = guest.live(8)[TRANSMIT_QUEUE];
        guest.memory.putShort(tx.driverArea() + AVAIL_IDX_OFFSET, 9);

        guest.write(QUEUE_NOTIFY, TRANSMIT_QUEUE);

        assertEquals(STATUS_DEVICE_NEEDS_RESET, guest.status() & STATUS_DEVICE_NEEDS_RESET);
        assertEquals(0, tx.pendingUsed());
    }

    @Test
    void linkDownChangesConfigRaisesConfigChangeAndStopsTraffic()
    {
        final DriverVirtqueue[] queues = guest.live(8);
        final int generation = guest.read(CONFIG_GENERATION);
        final long buffer = guest.buffer(1526);
        queues[RECEIVE_QUEUE].descriptor(0, buffer, 1526, DESC_F_WRITE, 0);
        queues[RECEIVE_QUEUE].offer(0);
        queues[RECEIVE_QUEUE].publishAvail();

        guest.device.linkUp(false);

        assertEquals(0, guest.device.mmioReadShort(CONFIG + 6), "VIRTIO_NET_S_LINK_UP clear");
        assertNotEquals(generation, guest.read(CONFIG_GENERATION));
        assertEquals(INTERRUPT_CONFIG_CHANGE, guest.read(INTERRUPT_STATUS));
        guest.sendOnWire(RegisterLevelGuest.frame(60, 0));
        queues[TRANSMIT_QUEUE].descriptor(0, buffer, 100, 0, 0);
        queues[TRANSMIT_QUEUE].offer(0);
        queues[TRANSMIT_QUEUE].publishAvail();
        guest.device.service(8);
        assertEquals(2, guest.device.counters().drops(DeviceDrop.LINK_DOWN), "the frame arrived and the one to send");
        assertEquals(0, guest.takeFromWire().size());

        guest.device.linkUp(true);
        assertEquals(1, guest.device.mmioReadShort(CONFIG + 6));
    }

    @Test
    void queueAddressesAreWrittenAsLowAndHighWords()
    {
        assertEquals(0x1_2345_6789L, VirtioMmioRegisters.withWord(0x1_0000_0000L, false, 0x2345_6789));
        assertEquals(0xFFFF_FFFF_0000_0010L, VirtioMmioRegisters.withWord(0x10L, true, -1));
        guest.negotiate(VirtioNetDevice.OFFERED_FEATURES);
        final DriverVirtqueue queue = new DriverVirtqueue(guest.memory, 8, 0);
        final long above4G = queue.descriptorArea() + (1L << 32);
        guest.program(RECEIVE_QUEUE, 8, above4G, queue.driverArea(), queue.deviceArea());
        assertEquals(0, guest.read(QUEUE_READY), "the high word counts: 4 GiB up is outside guest memory");
        guest.negotiate(VirtioNetDevice.OFFERED_FEATURES);
        guest.program(RECEIVE_QUEUE, 8, queue.descriptorArea(), queue.driverArea(), queue.deviceArea());
        assertEquals(1, guest.read(QUEUE_READY));
    }
}
