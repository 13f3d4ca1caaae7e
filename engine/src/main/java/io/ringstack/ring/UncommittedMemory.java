package io.ringstack.ring;

import java.lang.ref.Cleaner;
import org.agrona.BitUtil;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Off-heap memory that costs physical memory only where it is written. {@link java.nio.ByteBuffer#allocateDirect}
 * zeroes what it allocates, so every page of a buffer is resident from the start; this memory comes from the C
 * allocator unzeroed, and the kernel backs a large block with a page only when the page is first touched. A buffer
 * of a few MiB that a connection may fill, but most connections never do, then costs what is used of it, as a Linux
 * socket's buffer does.
 * <p>
 * The memory is not zeroed: only for buffers whose every byte is written before it is read, such as the data of a
 * byte ring. It is freed when the returned buffer becomes unreachable, so whoever reads it must keep the buffer, not
 * its address. It is not counted in the JVM's direct memory (the {@code direct} buffer pool and
 * {@code -XX:MaxDirectMemorySize}).
 */
public final class UncommittedMemory
{
    private static final Cleaner CLEANER = Cleaner.create();

    private UncommittedMemory()
    {
    }

    /**
     * @param length    bytes.
     * @param alignment of the first byte, a power of two.
     * @return a buffer over {@code length} bytes of unzeroed memory, freed when the buffer is unreachable.
     */
    public static UnsafeBuffer allocate(final int length, final int alignment)
    {
        if (!BitUtil.isPowerOfTwo(alignment))
        {
            throw new IllegalArgumentException("alignment must be a power of two: " + alignment);
        }
        final long block = UnsafeApi.allocateMemory((long)length + alignment);
        final UnsafeBuffer buffer = new UnsafeBuffer(BitUtil.align(block, alignment), length);
        CLEANER.register(buffer, new Free(block));
        return buffer;
    }

    /**
     * Frees a block once its buffer is gone; holds the address only, so that it does not keep the buffer reachable.
     */
    private static final class Free implements Runnable
    {
        private final long block;

        Free(final long block)
        {
            this.block = block;
        }

        public void run()
        {
            UnsafeApi.freeMemory(block);
        }
    }
}
