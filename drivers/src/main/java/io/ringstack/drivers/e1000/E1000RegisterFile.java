package io.ringstack.drivers.e1000;

import org.agrona.BufferUtil;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The storage behind the 82540EM's memory BAR: one 32-bit cell per register offset, off-heap. What reading or
 * writing a register means is {@link E1000Device}'s business; this only stores and counts.
 * <p>
 * Every access is plain. On real hardware the device runs beside the CPU, and PCI write ordering is what makes a
 * tail write safe: it hands the device the descriptors written before it (8254x SDM 3.2.6 and 3.4, the ring
 * structures). Here the device runs only inside {@link E1000Device#service} and the register accessors, which the
 * guest driver calls on its own thread, the engine's; nothing else reaches these cells or the descriptor rings.
 * Program order on that one thread already puts every descriptor write before the index write that covers it, so
 * a fence per access would guard against nothing. Only the {@link io.ringstack.phy.Link} crosses threads, and it
 * orders its own frames.
 * <p>
 * Nor is an access bounds-checked: {@link E1000Device} decodes only aligned offsets inside the BAR, and the models
 * name registers by constant; the assertion in {@link #get} and {@link #put} holds them to that when assertions
 * are on.
 */
final class E1000RegisterFile
{
    private static final long SATURATED_32 = 0xFFFF_FFFFL;

    private final UnsafeBuffer cells = new UnsafeBuffer(BufferUtil.allocateDirectAligned(E1000Registers.BAR_SIZE, 64));
    private final long cellsAddress = cells.addressOffset();

    int get(final int offset)
    {
        assert isRegister(offset) : offset;
        return UnsafeApi.getInt(null, cellsAddress + offset);
    }

    void put(final int offset, final int value)
    {
        assert isRegister(offset) : offset;
        UnsafeApi.putInt(null, cellsAddress + offset, value);
    }

    private static boolean isRegister(final int offset)
    {
        return offset >= 0 && offset < E1000Registers.BAR_SIZE && (offset & 3) == 0;
    }

    /**
     * Zero the registers in {@code [from, to)}.
     */
    void clear(final int from, final int to)
    {
        cells.setMemory(from, to - from, (byte)0);
    }

    /**
     * @return the 64-bit guest-physical address held by a low register and the high register after it.
     */
    long address(final int lowOffset)
    {
        return (get(lowOffset + 4) & 0xFFFF_FFFFL) << 32 | (get(lowOffset) & 0xFFFF_FFFFL);
    }

    /**
     * Count one event in a 32-bit statistics register, which sticks at its maximum as the hardware's do.
     */
    void increment(final int offset)
    {
        add32(offset, 1);
    }

    /**
     * Count {@code amount} events at once in a 32-bit statistics register, sticking at its maximum.
     */
    void add32(final int offset, final int amount)
    {
        final long sum = (get(offset) & 0xFFFF_FFFFL) + amount;
        put(offset, (int)Math.min(sum, SATURATED_32));
    }

    /**
     * Add to a 64-bit statistics pair (low register, high register after it), sticking at its maximum.
     */
    void add64(final int lowOffset, final long amount)
    {
        final long value = address(lowOffset);
        final long sum = value + amount;
        final long result = Long.compareUnsigned(sum, value) < 0 ? -1L : sum;
        put(lowOffset, (int)result);
        put(lowOffset + 4, (int)(result >>> 32));
    }

    /**
     * Read a 32-bit statistics register and clear it.
     */
    int readAndClear(final int offset)
    {
        final int value = get(offset);
        put(offset, 0);
        return value;
    }

    /**
     * Read the high half of a 64-bit statistics pair and clear the whole count.
     */
    int readHighAndClear(final int highOffset)
    {
        final int value = get(highOffset);
        put(highOffset - 4, 0);
        put(highOffset, 0);
        return value;
    }
}
