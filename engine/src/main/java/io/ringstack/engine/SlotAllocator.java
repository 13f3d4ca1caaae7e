package io.ringstack.engine;

import io.ringstack.errno.Errno;
import java.util.BitSet;

/**
 * Hands out the engine's caller slots (one per socket or outstanding ping), lowest free first. Thread safe.
 */
final class SlotAllocator
{
    private final BitSet inUse;
    private final int capacity;

    SlotAllocator(final int capacity)
    {
        this.capacity = capacity;
        inUse = new BitSet(capacity);
    }

    /**
     * @return a free slot, or {@code -EMFILE} when all are taken.
     */
    synchronized int allocate()
    {
        final int slot = inUse.nextClearBit(0);
        if (slot >= capacity)
        {
            return -Errno.EMFILE;
        }
        inUse.set(slot);
        return slot;
    }

    synchronized void free(final int slot)
    {
        inUse.clear(slot);
    }
}
