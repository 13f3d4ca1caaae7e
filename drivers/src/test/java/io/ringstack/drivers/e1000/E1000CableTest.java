package io.ringstack.drivers.e1000;

import io.ringstack.drivers.DeviceDrop;
import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.NetworkDevice;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two guests, each an 82540EM with its driver, joined by a cable: frames go both ways in order and intact, through
 * rings that wrap many times.
 */
class E1000CableTest
{
    private static final long MAC_A = 0x5254_0012_3456L;
    private static final long MAC_B = 0x5255_0A00_0202L;

    private final E1000Station[] stations = E1000Station.onCable("e1000.a", MAC_A, "e1000.b", MAC_B, 1 << 20);
    private final E1000Station a = stations[0];
    private final E1000Station b = stations[1];

    @AfterEach
    void close()
    {
        a.close();
        b.close();
    }

    @Test
    void framesCrossTheCableBothWaysInOrderAndIntact()
    {
        final SequenceChecker atA = new SequenceChecker();
        final SequenceChecker atB = new SequenceChecker();
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[1514]);
        final int frames = 2_000;
        for (int sequence = 0; sequence < frames; sequence++)
        {
            final int length = lengthOf(sequence);
            fill(frame, sequence, length);
            assertEquals(NetworkDevice.TX_OK, a.driver.transmit(frame, 0, length));
            fill(frame, sequence, length);
            assertEquals(NetworkDevice.TX_OK, b.driver.transmit(frame, 0, length));
            if (sequence % 7 == 6)
            {
                drain(a, atA, b, atB);
            }
        }
        drain(a, atA, b, atB);
        drain(a, atA, b, atB);

        assertEquals(frames, atA.next, atA.failure);
        assertEquals(frames, atB.next, atB.failure);
        assertEquals(null, atA.failure);
        assertEquals(null, atB.failure);
        assertNoDrops(a);
        assertNoDrops(b);
        assertEquals(frames, a.device.counters().txFrames.get());
        assertEquals(frames, b.device.counters().rxFrames.get());
    }

    @Test
    void ringsWrapAroundOverThousandsOfFramesInBurstsOfEverySize()
    {
        final SequenceChecker atB = new SequenceChecker();
        final SequenceChecker unused = new SequenceChecker();
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[1514]);
        int sequence = 0;
        for (int burst = 1; sequence < 301 * E1000Driver.RX_RING_SIZE; burst = burst % 40 + 1)
        {
            for (int i = 0; i < burst; i++, sequence++)
            {
                final int length = lengthOf(sequence);
                fill(frame, sequence, length);
                assertEquals(NetworkDevice.TX_OK, a.driver.transmit(frame, 0, length), "frame " + sequence);
            }
            drain(a, unused, b, atB);
        }
        drain(a, unused, b, atB);

        assertEquals(sequence, atB.next, atB.failure);
        assertEquals(null, atB.failure);
        assertTrue(sequence / E1000Driver.RX_RING_SIZE > 300, "each ring wrapped hundreds of times");
        assertNoDrops(a);
        assertNoDrops(b);
        assertEquals(0, unused.next);
    }

    private static void drain(
        final E1000Station a, final FrameHandler atA, final E1000Station b, final FrameHandler atB)
    {
        for (int round = 0; round < 4; round++)
        {
            a.driver.receive(atA, 64);
            b.driver.receive(atB, 64);
        }
    }

    private static int lengthOf(final int sequence)
    {
        return 60 + (sequence * 97) % (1514 - 60 + 1);
    }

    /**
     * A frame carries its sequence number in its first four bytes, then bytes derived from sequence and index.
     */
    private static void fill(final UnsafeBuffer frame, final int sequence, final int length)
    {
        frame.putInt(0, sequence, ByteOrder.BIG_ENDIAN);
        for (int i = 4; i < length; i++)
        {
            frame.putByte(i, (byte)(sequence + i * 13));
        }
    }

    private static void assertNoDrops(final E1000Station station)
    {
        for (final DeviceDrop drop : DeviceDrop.values())
        {
            assertEquals(0, station.device.counters().drops(drop), station.device.name() + " " + drop.label());
        }
    }

    private static final class SequenceChecker implements FrameHandler
    {
        int next;
        String failure;

        public void onFrame(final DirectBuffer buffer, final int offset, final int length)
        {
            final int sequence = buffer.getInt(offset, ByteOrder.BIG_ENDIAN);
            if (failure != null)
            {
                return;
            }
            if (sequence != next || length != lengthOf(sequence))
            {
                failure = "frame " + next + " expected, got " + sequence + " of " + length + " bytes";
                return;
            }
            for (int i = 4; i < length; i++)
            {
                if (buffer.getByte(offset + i) != (byte)(sequence + i * 13))
                {
                    failure = "frame " + sequence + " differs at byte " + i;
                    return;
                }
            }
            next++;
        }
    }
}
