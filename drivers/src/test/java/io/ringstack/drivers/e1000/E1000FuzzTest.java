package io.ringstack.drivers.e1000;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ringstack.drivers.DeviceDrop;
import io.ringstack.drivers.HostileGuest;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Timeout;

import static io.ringstack.drivers.e1000.E1000Registers.*;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz target of the E1000 model under a hostile guest: the device starts up with a receive and a transmit ring of
 * {@link #RING} descriptors on an {@link E1000Bench}, then the input drives it step by step: a write of any value to
 * a ring, control or interrupt register (or to any offset of the BAR), a read of any offset, a scribble over the
 * rings, their buffers or anywhere in guest memory (descriptor addresses outside guest memory, lengths of 0 to
 * 65535, any command and status bits), the PCI command register, a frame of any length on the wire, and the
 * device's receive and transmit service.
 * <p>
 * It proves, for every input: nothing the guest does makes the model throw or hang (a bounded step count, and a
 * per-input timeout), and the model never reads or writes outside guest memory, which is exactly the
 * bounds-checked buffer of {@link io.ringstack.drivers.GuestMemory}, so a DMA outside it would throw. A descriptor
 * that points outside is the model's counted {@link DeviceDrop#BAD_DESCRIPTOR}.
 */
class E1000FuzzTest
{
    static final int RING = 8;
    static final int BUFFER = 2048;
    static final int MAX_STEPS = 64;
    static final int MAX_FRAME = 2000;
    static final int MAX_BUDGET = 64;
    /** The registers a driver programs, picked far more often than an arbitrary offset. */
    static final int[] REGISTERS =
    {
        CTRL, STATUS, EERD, ICR, ICS, IMS, IMC, RCTL, TCTL, TIPG, RDBAL, RDBAH, RDLEN, RDH, RDT, RDTR, RADV, TDBAL,
        TDBAH, TDLEN, TDH, TDT, MPC, GPRC, GPTC, RAL0, RAH0, MTA,
    };

    @FuzzTest
    @Timeout(60)
    void noGuestMakesTheModelThrowHangOrReachOutsideGuestMemory(final FuzzedDataProvider data)
    {
        assertTrue(DirectBuffer.SHOULD_BOUNDS_CHECK, "without Agrona's bounds checks this target proves nothing");
        try (E1000Bench bench = new E1000Bench())
        {
            final E1000Device device = bench.device;
            final HostileGuest guest = new HostileGuest(data, bench.memory);
            bench.up();
            final long receiveRing = bench.receiveRing(RING, BUFFER, RING / 2);
            device.mmioWrite(RCTL, E1000Driver.RCTL_VALUE);
            final long transmitRing = bench.transmitRing(RING);
            final long receiveBuffer = bench.memory.getLong(receiveRing + E1000RxDescriptor.BUFFER_ADDRESS_OFFSET);

            for (int step = 0; step < MAX_STEPS && data.remainingBytes() > 0; step++)
            {
                switch (data.consumeInt(0, 8))
                {
                    case 0:
                    case 1:
                        device.mmioWrite(data.consumeBoolean() ? data.pickValue(REGISTERS) : data.consumeInt(),
                            data.consumeBoolean() ? (int)guest.address() : data.consumeInt());
                        break;
                    case 2:
                        device.mmioRead(data.consumeBoolean() ? data.pickValue(REGISTERS) : data.consumeInt());
                        break;
                    case 3:
                    case 4:
                        guest.scribble(receiveRing, transmitRing, receiveBuffer);
                        break;
                    case 5:
                        device.config().write16(data.consumeInt(0, 0xFF), data.consumeInt(0, 0xFFFF));
                        break;
                    case 6:
                        final byte[] frame = guest.frame(MAX_FRAME);
                        bench.wire[1].send(new UnsafeBuffer(frame), 0, frame.length);
                        break;
                    case 7:
                        device.service(data.consumeInt(0, MAX_BUDGET));
                        break;
                    default:
                        device.serviceTransmit(data.consumeInt(0, MAX_BUDGET));
                        break;
                }
            }
            device.service(MAX_BUDGET);
            device.serviceTransmit(MAX_BUDGET);
        }
    }
}
