package io.ringstack.wire;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * The Internet checksum of RFC 1071: the 16-bit one's complement of the one's complement sum of 16-bit words.
 * <p>
 * Sums are kept unfolded in a {@code long} so that partial sums (a pseudo-header, then a payload) can be added
 * before a single {@link #fold}. A buffer whose checksum field is correct sums to {@code 0xFFFF}, so
 * {@code fold(sum) == 0} verifies it.
 */
public final class InternetChecksum
{
    private InternetChecksum()
    {
    }

    /**
     * Add {@code length} bytes at {@code index}, read as big-endian 16-bit words, to a running sum.
     * An odd trailing byte is padded with a zero octet, as RFC 1071 section 4.1 does.
     */
    public static long sum(final DirectBuffer buffer, final int index, final int length, final long initialSum)
    {
        long sum = initialSum;
        int i = index;
        final int end = index + length;
        for (final int wordsEnd = end - 3; i < wordsEnd; i += 4)
        {
            sum += buffer.getInt(i, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
        }
        if (end - i >= 2)
        {
            sum += buffer.getShort(i, ByteOrder.BIG_ENDIAN) & 0xFFFFL;
            i += 2;
        }
        if (i < end)
        {
            sum += (buffer.getByte(i) & 0xFFL) << 8;
        }
        return sum;
    }

    /**
     * Sum of the IPv4 pseudo-header used by UDP (RFC 768) and TCP (RFC 9293 section 3.1).
     */
    public static long pseudoHeaderSum(final int sourceAddress, final int destinationAddress, final int protocol,
        final int length)
    {
        return (sourceAddress & 0xFFFF_FFFFL) + (destinationAddress & 0xFFFF_FFFFL) + protocol + length;
    }

    /**
     * Fold a running sum to 16 bits and complement it: the value to store in a checksum field,
     * or zero when verifying a correct one.
     */
    public static int fold(final long sum)
    {
        long s = (sum & 0xFFFF_FFFFL) + (sum >>> 32);
        s = (s & 0xFFFF) + (s >>> 16);
        s = (s & 0xFFFF) + (s >>> 16);
        s = (s & 0xFFFF) + (s >>> 16);
        return (int)(~s & 0xFFFF);
    }

    /**
     * Checksum of a contiguous region: the value to store in a checksum field.
     */
    public static int compute(final DirectBuffer buffer, final int index, final int length)
    {
        return fold(sum(buffer, index, length, 0));
    }
}
