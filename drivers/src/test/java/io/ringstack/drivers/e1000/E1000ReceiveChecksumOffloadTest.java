package io.ringstack.drivers.e1000;

import io.ringstack.phy.FrameHandler;
import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.ringstack.drivers.e1000.E1000Bench.rxDescriptor;
import static io.ringstack.drivers.e1000.E1000Registers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Receive checksum offload (8254x SDM 3.2.9 and 13.4.26): with RXCSUM.TUOFLD set, a frame whose TCP or UDP checksum
 * the wire vouched for is written back with TCPCS and without IXSM (status 0x23: DD, EOP, TCPCS), and the driver
 * hands it to the stack as {@link FrameHandler#CHECKSUM_GOOD}; any other frame is written back with IXSM, no
 * checksum indication (status 0x07: DD, EOP, IXSM), and goes to the stack to be checked.
 */
class E1000ReceiveChecksumOffloadTest
{
    private static final int RING = 8;
    private static final int CHECKED = 0x23;
    private static final int NO_INDICATION = 0x07;

    private final E1000Bench bench = new E1000Bench();
    private final E1000Device device = bench.device;

    @BeforeEach
    void linkUp()
    {
        bench.up();
    }

    @AfterEach
    void close()
    {
        bench.close();
    }

    @Test
    void withTuofldAFrameTheWireVouchedForIsWrittenBackCheckedAndRight()
    {
        assertEquals(CHECKED, writtenBackStatus(RXCSUM_TUOFLD, FrameHandler.CHECKSUM_GOOD));
    }

    @Test
    void withTuofldAFrameTheWireDidNotVouchForHasNoChecksumIndication()
    {
        assertEquals(NO_INDICATION, writtenBackStatus(RXCSUM_TUOFLD, 0));
    }

    @Test
    void withoutTuofldNoFrameHasAChecksumIndication()
    {
        assertEquals(NO_INDICATION, writtenBackStatus(0, FrameHandler.CHECKSUM_GOOD));
    }

    @Test
    void theDriverAsksForTuofldAndHandsTheStackWhatTheDeviceChecked()
    {
        final E1000Driver driver = new E1000Driver(device, bench.memory);
        driver.init();
        assertEquals(RXCSUM_TUOFLD, device.mmioRead(RXCSUM));
        final List<Integer> offloads = new ArrayList<>();
        final FrameHandler stack = new FrameHandler()
        {
            public void onFrame(final DirectBuffer buffer, final int offset, final int length)
            {
                throw new AssertionError("handed over without offloads");
            }

            public void onFrame(final DirectBuffer buffer, final int offset, final int length, final int flags)
            {
                offloads.add(flags);
            }
        };

        bench.deviceWire.offloads(FrameHandler.CHECKSUM_GOOD);
        bench.sendToDevice(E1000Bench.frame(1514, 1));
        driver.receive(stack, 16);
        bench.deviceWire.offloads(0);
        bench.sendToDevice(E1000Bench.frame(1514, 2));
        driver.receive(stack, 16);

        assertEquals(List.of(FrameHandler.CHECKSUM_GOOD, 0), offloads);
    }

    private int writtenBackStatus(final int rxcsum, final int wireOffloads)
    {
        final long ring = bench.receiveRing(RING, 2048, RING - 1);
        device.mmioWrite(RXCSUM, rxcsum);
        device.mmioWrite(RCTL, E1000Driver.RCTL_VALUE);
        bench.deviceWire.offloads(wireOffloads);
        bench.sendToDevice(E1000Bench.frame(1514, 7));
        device.service(1);
        return bench.memory.getByte(rxDescriptor(ring, 0) + E1000RxDescriptor.STATUS_OFFSET);
    }
}
