package io.ringstack.journal;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Signed 64-bit values as zig-zag LEB128 varints, the encoding of {@link JournalFormat#IDLE} clock deltas: 7 bits
 * per byte, low bits first, the top bit set on every byte but the last; zig-zag maps 0, -1, 1, -2 ... to 0, 1, 2,
 * 3 ... so that small deltas of either sign take one or two bytes.
 */
final class ZigZagVarint
{
    /** The most bytes one value takes. */
    static final int MAX_LENGTH = 10;

    private ZigZagVarint()
    {
    }

    /**
     * @return the bytes written at {@code index}.
     */
    static int put(final MutableDirectBuffer buffer, final int index, final long value)
    {
        long bits = (value << 1) ^ (value >> 63);
        int i = index;
        while ((bits & ~0x7FL) != 0)
        {
            buffer.putByte(i++, (byte)((bits & 0x7F) | 0x80));
            bits >>>= 7;
        }
        buffer.putByte(i++, (byte)bits);
        return i - index;
    }

    /**
     * @return the bytes of the value at {@code index}, or -1 when it runs past {@code limit} or past
     * {@link #MAX_LENGTH} bytes.
     */
    static int length(final DirectBuffer buffer, final int index, final int limit)
    {
        for (int i = index; i < limit && i - index < MAX_LENGTH; i++)
        {
            if ((buffer.getByte(i) & 0x80) == 0)
            {
                return i + 1 - index;
            }
        }
        return -1;
    }

    /**
     * @return the value at {@code index}, whose {@link #length} the caller has checked.
     */
    static long get(final DirectBuffer buffer, final int index)
    {
        long bits = 0;
        int shift = 0;
        int i = index;
        int b;
        do
        {
            b = buffer.getByte(i++);
            bits |= (long)(b & 0x7F) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0);
        return (bits >>> 1) ^ -(bits & 1);
    }
}
