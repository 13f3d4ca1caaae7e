package io.ringstack.drivers.virtio;

import io.ringstack.drivers.GuestMemory;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The device's view of one walked descriptor chain: its buffers in chain order, as a scatter-gather list over
 * guest memory. Every buffer was checked to lie inside guest memory when it was added, so copying through the list
 * never reads or writes outside it. Reused for every chain; nothing is allocated after construction.
 */
final class DescriptorChain
{
    private final GuestMemory memory;
    private final long[] addresses;
    private final int[] lengths;
    private int count;
    private long capacity;
    private int skip;

    /**
     * @param maxLength the most buffers a chain may have: the largest queue size.
     */
    DescriptorChain(final GuestMemory memory, final int maxLength)
    {
        this.memory = memory;
        addresses = new long[maxLength];
        lengths = new int[maxLength];
    }

    void clear()
    {
        count = 0;
        capacity = 0;
    }

    /**
     * Append a buffer already checked with {@link GuestMemory#isValid}.
     */
    void add(final long address, final int length)
    {
        addresses[count] = address;
        lengths[count] = length;
        count++;
        capacity += length;
    }

    /**
     * @return the total length of the chain's buffers.
     */
    long capacity()
    {
        return capacity;
    }

    /**
     * @return the guest address where {@code length} bytes at {@code chainOffset} lie inside a single buffer, or
     * {@code -1} when they span buffers or run past the end of the chain.
     */
    long contiguousAddress(final int chainOffset, final int length)
    {
        final int i = locate(chainOffset);
        return i < count && length <= lengths[i] - skip ? addresses[i] + skip : -1;
    }

    /**
     * Scatter {@code length} bytes of {@code source} into the chain from {@code chainOffset}; the caller checked
     * that they fit in {@link #capacity()}.
     */
    void write(final int chainOffset, final DirectBuffer source, final int sourceIndex, final int length)
    {
        int i = locate(chainOffset);
        int offset = skip;
        for (int copied = 0; i < count && copied < length; i++, offset = 0)
        {
            final int chunk = Math.min(lengths[i] - offset, length - copied);
            memory.write(addresses[i] + offset, source, sourceIndex + copied, chunk);
            copied += chunk;
        }
    }

    /**
     * Gather {@code length} bytes of the chain from {@code chainOffset} into {@code destination}; the caller checked
     * that they lie within {@link #capacity()}.
     */
    void read(final int chainOffset, final MutableDirectBuffer destination, final int destinationIndex,
        final int length)
    {
        int i = locate(chainOffset);
        int offset = skip;
        for (int copied = 0; i < count && copied < length; i++, offset = 0)
        {
            final int chunk = Math.min(lengths[i] - offset, length - copied);
            memory.read(addresses[i] + offset, destination, destinationIndex + copied, chunk);
            copied += chunk;
        }
    }

    /**
     * Find the buffer holding byte {@code chainOffset} of the chain.
     *
     * @return its position in the chain ({@link #count} past the end), with {@link #skip} set to the offset in it.
     */
    private int locate(final int chainOffset)
    {
        int i = 0;
        skip = chainOffset;
        while (i < count && skip >= lengths[i])
        {
            skip -= lengths[i];
            i++;
        }
        return i;
    }
}
