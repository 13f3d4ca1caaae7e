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
        return UnsafeApi.getLongUnaligned(buffer.byteArray(), buffer.addressOffset() + index, true);
    }

    static long longLittleEndian(final DirectBuffer buffer, final int index)
    {
        return UnsafeApi.getLongUnaligned(buffer.byteArray(), buffer.addressOffset() + index, false);
    }

    static int intBigEndian(final DirectBuffer buffer, final int index)
    {
        return UnsafeApi.getIntUnaligned(buffer.byteArray(), buffer.addressOffset() + index, true);
    }

    static int uint16(final DirectBuffer buffer, final int index)
    {
        return UnsafeApi.getShortUnaligned(buffer.byteArray(), buffer.addressOffset() + index, true) & 0xFFFF;
    }

    static int uint8(final DirectBuffer buffer, final int index)
    {
        return UnsafeApi.getByte(buffer.byteArray(), buffer.addressOffset() + index) & 0xFF;
    }
}
