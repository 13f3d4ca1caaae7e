package io.ringstack.drivers;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * The guest's physical memory: one off-heap region addressed by guest-physical address, where drivers place
 * descriptor rings and packet buffers and device models reach them by DMA. Both sides go through
 * {@link #isValid}: a descriptor that points outside the region is a device error the model counts, never a
 * read outside the buffer. Multi-byte accessors are little-endian, as on both x86-64 and AArch64 guests.
 * <p>
 * The field accessors do not check again: a model checks a range once (a descriptor, a ring when its queue is
 * enabled, a buffer when it is walked) and then reads and writes the fields inside it without a bounds check per
 * field, the way a device reaches memory once its IOMMU mapping is known. An address outside every checked range
 * is a defect in the model, caught by the assertion in each accessor when assertions are on. The bulk copies
 * ({@link #read}, {@link #write}) check both sides, once per frame.
 * <p>
 * Addresses start at {@link #base()}, so that physical address 0 (a null pointer in a guest) is never valid.
 */
public final class GuestMemory implements AutoCloseable
{
    /** Where guest memory starts, like RAM above the low MMIO hole. */
    public static final long DEFAULT_BASE = 0x1000_0000L;

    private final UnsafeBuffer buffer;
    private final MappedByteBuffer mapped;
    private final byte[] array;
    private final long addressOffset;
    private final long base;
    private final int size;
    private long nextFree;

    private GuestMemory(final UnsafeBuffer buffer, final MappedByteBuffer mapped, final long base)
    {
        this.buffer = buffer;
        this.mapped = mapped;
        this.array = buffer.byteArray();
        this.addressOffset = buffer.addressOffset();
        this.base = base;
        this.size = buffer.capacity();
        this.nextFree = base;
    }

    /**
     * Guest memory on the heap's outside, in this process only.
     */
    public static GuestMemory allocate(final int size)
    {
        return new GuestMemory(new UnsafeBuffer(BufferUtil.allocateDirectAligned(size, 4096)), null, DEFAULT_BASE);
    }

    /**
     * Guest memory in a memory-mapped file, so another process can inspect it.
     */
    public static GuestMemory map(final Path file, final int size)
    {
        final MappedByteBuffer mapped = IoUtil.mapNewFile(file.toFile(), size);
        return new GuestMemory(new UnsafeBuffer(mapped), mapped, DEFAULT_BASE);
    }

    public long base()
    {
        return base;
    }

    public int size()
    {
        return size;
    }

    /**
     * Reserve {@code length} bytes aligned to {@code alignment} (a power of two), as a guest's allocator would.
     *
     * @return the guest-physical address.
     * @throws IllegalStateException when guest memory is exhausted: a configuration error, not a runtime one.
     */
    public long allocate(final int length, final int alignment)
    {
        final long address = (nextFree + alignment - 1) & -alignment;
        if (address + length > base + size)
        {
            throw new IllegalStateException("guest memory exhausted: " + length + " bytes wanted, " +
                (base + size - address) + " left of " + size);
        }
        nextFree = address + length;
        return address;
    }

    /**
     * @return {@code true} when {@code [address, address + length)} lies inside guest memory.
     */
    public boolean isValid(final long address, final int length)
    {
        return length >= 0 && address >= base && address - base <= size - (long)length;
    }

    /**
     * The buffer offset of a guest-physical address; only for addresses checked with {@link #isValid}.
     */
    public int offsetOf(final long address)
    {
        return (int)(address - base);
    }

    /**
     * The whole of guest memory, indexed by {@link #offsetOf}.
     */
    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    public int getShort(final long address)
    {
        assert isValid(address, Short.BYTES) : address;
        return UnsafeApi.getShortUnaligned(array, at(address), false) & 0xFFFF;
    }

    public void putShort(final long address, final int value)
    {
        assert isValid(address, Short.BYTES) : address;
        UnsafeApi.putShortUnaligned(array, at(address), (short)value, false);
    }

    public int getInt(final long address)
    {
        assert isValid(address, Integer.BYTES) : address;
        return UnsafeApi.getIntUnaligned(array, at(address), false);
    }

    public void putInt(final long address, final int value)
    {
        assert isValid(address, Integer.BYTES) : address;
        UnsafeApi.putIntUnaligned(array, at(address), value, false);
    }

    public long getLong(final long address)
    {
        assert isValid(address, Long.BYTES) : address;
        return UnsafeApi.getLongUnaligned(array, at(address), false);
    }

    public void putLong(final long address, final long value)
    {
        assert isValid(address, Long.BYTES) : address;
        UnsafeApi.putLongUnaligned(array, at(address), value, false);
    }

    public int getByte(final long address)
    {
        assert isValid(address, Byte.BYTES) : address;
        return UnsafeApi.getByte(array, at(address)) & 0xFF;
    }

    public void putByte(final long address, final int value)
    {
        assert isValid(address, Byte.BYTES) : address;
        UnsafeApi.putByte(array, at(address), (byte)value);
    }

    /**
     * DMA from guest memory into {@code destination}.
     */
    public void read(final long address, final MutableDirectBuffer destination, final int index, final int length)
    {
        destination.putBytes(index, buffer, offsetOf(address), length);
    }

    /**
     * DMA from {@code source} into guest memory.
     */
    public void write(final long address, final DirectBuffer source, final int index, final int length)
    {
        buffer.putBytes(offsetOf(address), source, index, length);
    }

    /**
     * @return where guest-physical {@code address} lies for {@link UnsafeApi}.
     */
    private long at(final long address)
    {
        return addressOffset + (address - base);
    }

    public void close()
    {
        if (mapped != null)
        {
            IoUtil.unmap(mapped);
        }
    }
}
