package io.ringstack.wire;

import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;

/**
 * Reads from a {@link DirectBuffer} without Agrona's per-read bounds check, for the flyweights and the checksum,
 * which check the whole region they read once ({@link Flyweight#region}, {@link InternetChecksum#sum}) and then
 * read inside it. A caller must have made that check: these reads trust {@code index}.
 */
final class UncheckedReads
{
    private UncheckedReads()
    {
    }

    /**
     * @return whether {@code [index, index + length)} lies inside the buffer.
     */
    static boolean inBounds(final DirectBuffer buffer, final int index, final int length)
    {
        return (index | length) >= 0 && (long)index + length <= buffer.capacity();
    }

    static long longBigEndian(final DirectBuffer buffer, final int index)
    {
        return longBigEndian(buffer.byteArray(), buffer.addressOffset() + index);
    }

    static int intBigEndian(final DirectBuffer buffer, final int index)
    {
        return intBigEndian(buffer.byteArray(), buffer.addressOffset() + index);
    }

    static int uint16(final DirectBuffer buffer, final int index)
    {
        return uint16(buffer.byteArray(), buffer.addressOffset() + index);
    }

    /**
     * @param array   the buffer's {@link DirectBuffer#byteArray()}, {@code null} off-heap.
     * @param address the buffer's {@link DirectBuffer#addressOffset()} plus the index.
     */
    static long longBigEndian(final byte[] array, final long address)
    {
        return UnsafeApi.getLongUnaligned(array, address, true);
    }

    static int intBigEndian(final byte[] array, final long address)
    {
        return UnsafeApi.getIntUnaligned(array, address, true);
    }

    static int uint16(final byte[] array, final long address)
    {
        return UnsafeApi.getShortUnaligned(array, address, true) & 0xFFFF;
    }

    static int uint8(final byte[] array, final long address)
    {
        return UnsafeApi.getByte(array, address) & 0xFF;
    }
}
