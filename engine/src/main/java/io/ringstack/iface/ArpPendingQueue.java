package io.ringstack.iface;

import io.ringstack.wire.EthernetFrame;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Frames waiting for their next hop's MAC address: a fixed number of off-heap slots, each one Ethernet frame
 * with the next hop it waits for. Engine thread only; no allocation after construction.
 */
public final class ArpPendingQueue
{
    private static final int SLOT_LENGTH = 2048;

    private final UnsafeBuffer frames;
    private final int[] nextHops;
    private final int[] lengths;

    public ArpPendingQueue(final int capacity)
    {
        frames = new UnsafeBuffer(BufferUtil.allocateDirectAligned(capacity * SLOT_LENGTH, 64));
        nextHops = new int[capacity];
        lengths = new int[capacity];
    }

    /**
     * @return {@code false} when every slot is taken.
     */
    public boolean add(final int nextHop, final DirectBuffer frame, final int offset, final int length)
    {
        if (length > EthernetFrame.MAX_FRAME_LENGTH)
        {
            return false;
        }
        for (int slot = 0; slot < lengths.length; slot++)
        {
            if (lengths[slot] == 0)
            {
                frames.putBytes(slot * SLOT_LENGTH, frame, offset, length);
                nextHops[slot] = nextHop;
                lengths[slot] = length;
                return true;
            }
        }
        return false;
    }

    /**
     * Take the next frame waiting for {@code nextHop}.
     *
     * @return the slot, whose frame is at {@link #offsetOf} in {@link #buffer()} until {@link #release}, or -1.
     */
    public int next(final int nextHop)
    {
        for (int slot = 0; slot < lengths.length; slot++)
        {
            if (lengths[slot] != 0 && nextHops[slot] == nextHop)
            {
                return slot;
            }
        }
        return -1;
    }

    public UnsafeBuffer buffer()
    {
        return frames;
    }

    public int offsetOf(final int slot)
    {
        return slot * SLOT_LENGTH;
    }

    public int lengthOf(final int slot)
    {
        return lengths[slot];
    }

    public void release(final int slot)
    {
        lengths[slot] = 0;
    }

    /**
     * @return how many frames wait for {@code nextHop}.
     */
    public int count(final int nextHop)
    {
        int count = 0;
        for (int slot = 0; slot < lengths.length; slot++)
        {
            count += lengths[slot] != 0 && nextHops[slot] == nextHop ? 1 : 0;
        }
        return count;
    }

    public int size()
    {
        int size = 0;
        for (final int length : lengths)
        {
            size += length != 0 ? 1 : 0;
        }
        return size;
    }
}
