package io.ringstack.phy.relay;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A delay line of fixed capacity: frames wait in off-heap slots, in the order they came, each until its release
 * time. The caller keeps release times from going backwards, so the head is always the first frame due; a full line
 * refuses the frame, and the caller counts it. One thread; nothing allocates after construction.
 */
public final class DelayLine
{
    /** Room for a maximum Ethernet frame with a VLAN tag, and some; longer frames are the caller's to refuse. */
    public static final int SLOT_LENGTH = 2048;

    private final UnsafeBuffer slots;
    private final long[] releaseNs;
    private final int[] lengths;
    private final int capacity;
    private int head;
    private int size;

    /**
     * @param capacity frames the line holds at once, at least 1.
     */
    public DelayLine(final int capacity)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("a delay line holds at least one frame: " + capacity);
        }
        this.capacity = capacity;
        slots = new UnsafeBuffer(BufferUtil.allocateDirectAligned(capacity * SLOT_LENGTH, 64));
        releaseNs = new long[capacity];
        lengths = new int[capacity];
    }

    /**
     * Copy a frame of at most {@link #SLOT_LENGTH} bytes in behind the others.
     *
     * @return the offset of its copy in {@link #buffer()}, or -1 when the line is full.
     */
    public int offer(final DirectBuffer frame, final int offset, final int length, final long releaseAtNs)
    {
        if (size == capacity)
        {
            return -1;
        }
        final int slot = (head + size) % capacity;
        final int slotOffset = slot * SLOT_LENGTH;
        slots.putBytes(slotOffset, frame, offset, length);
        releaseNs[slot] = releaseAtNs;
        lengths[slot] = length;
        size++;
        return slotOffset;
    }

    /**
     * @return when the first frame is due, {@link Long#MAX_VALUE} when the line is empty.
     */
    public long headReleaseNs()
    {
        return size == 0 ? Long.MAX_VALUE : releaseNs[head];
    }

    /**
     * @return the buffer that holds the frames: the head's copy is at {@link #headOffset()}.
     */
    public MutableDirectBuffer buffer()
    {
        return slots;
    }

    public int headOffset()
    {
        return head * SLOT_LENGTH;
    }

    public int headLength()
    {
        return lengths[head];
    }

    /**
     * Let the first frame go.
     */
    public void pop()
    {
        head = (head + 1) % capacity;
        size--;
    }

    public int size()
    {
        return size;
    }

    public int capacity()
    {
        return capacity;
    }
}
