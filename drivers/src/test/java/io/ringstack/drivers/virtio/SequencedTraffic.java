package io.ringstack.drivers.virtio;

import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.NetworkDevice;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Frames between the two drivers of a {@link CabledVirtioPair}, in both directions in lockstep, each stamped with a
 * sequence number and filled with bytes derived from it, so every frame can be checked for order and content as it
 * arrives without keeping copies. Allocates nothing once built.
 */
final class SequencedTraffic
{
    private static final int LENGTHS = 1_480;
    private static final int MIN_LENGTH = 20;

    private final CabledVirtioPair pair;
    private final UnsafeBuffer frame = new UnsafeBuffer(BufferUtil.allocateDirectAligned(2048, 64));
    private final Direction aToB = new Direction();
    private final Direction bToA = new Direction();
    private int nextSequence;

    SequencedTraffic(final CabledVirtioPair pair)
    {
        this.pair = pair;
    }

    /**
     * Send {@code frames} frames each way, one burst of one frame at a time: A's poll sends A's frame, B's poll
     * sends B's and takes A's, and A's second poll takes B's.
     *
     * @return {@code false} as soon as a transmit is refused.
     */
    boolean exchange(final int frames)
    {
        for (int i = 0; i < frames; i++)
        {
            final int sequence = nextSequence++;
            final int length = fill(sequence);
            if (pair.driverA.transmit(frame, 0, length) != NetworkDevice.TX_OK ||
                pair.driverB.transmit(frame, 0, length) != NetworkDevice.TX_OK)
            {
                return false;
            }
            pair.driverA.receive(bToA.handler, 64);
            pair.driverB.receive(aToB.handler, 64);
            pair.driverA.receive(bToA.handler, 64);
        }
        return true;
    }

    int sent()
    {
        return nextSequence;
    }

    /**
     * @return frames B received from A in order and intact; the first bad one stops the count.
     */
    int intactAToB()
    {
        return aToB.intact;
    }

    int intactBToA()
    {
        return bToA.intact;
    }

    int corruptOrOutOfOrder()
    {
        return aToB.bad + bToA.bad;
    }

    private int fill(final int sequence)
    {
        final int length = MIN_LENGTH + Math.floorMod(sequence * 37, LENGTHS);
        frame.putInt(0, sequence, ByteOrder.LITTLE_ENDIAN);
        for (int i = Integer.BYTES; i < length; i++)
        {
            frame.putByte(i, payloadByte(sequence, i));
        }
        return length;
    }

    private static byte payloadByte(final int sequence, final int index)
    {
        return (byte)(sequence + index * 13);
    }

    private static final class Direction
    {
        private final FrameHandler handler = this::onFrame;
        private int intact;
        private int bad;

        private void onFrame(final DirectBuffer buffer, final int offset, final int length)
        {
            final int sequence = buffer.getInt(offset, ByteOrder.LITTLE_ENDIAN);
            boolean ok = bad == 0 && sequence == intact &&
                length == MIN_LENGTH + Math.floorMod(sequence * 37, LENGTHS);
            for (int i = Integer.BYTES; ok && i < length; i++)
            {
                ok = buffer.getByte(offset + i) == payloadByte(sequence, i);
            }
            if (ok)
            {
                intact++;
            }
            else
            {
                bad++;
            }
        }
    }
}
