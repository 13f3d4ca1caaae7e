package io.ringstack.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

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
     * <p>
     * The region is bounds-checked once, then read without Agrona's per-read checks. The bulk is read eight bytes at a
     * time in network order, each 64-bit word added as two 32-bit halves to a 64-bit accumulator, which RFC 1071
     * section 2 (C) "parallel summation" allows: a wider accumulator folded at the end gives the same sum. Nothing is
     * folded here, so a short region costs its reads and adds and no more.
     *
     * @throws IndexOutOfBoundsException if the region is not inside the buffer: a caller's error, never the data's,
     *                                   since every flyweight checks its region before summing it.
     */
    public static long sum(final DirectBuffer buffer, final int index, final int length, final long initialSum)
    {
        buffer.boundsCheck(index, length);
        final byte[] array = buffer.byteArray();
        final long address = buffer.addressOffset();
        final int end = index + length;
        int i = index;
        long sum = initialSum;
        for (final int wordsEnd = end - 7; i < wordsEnd; i += 8)
        {
            final long word = UncheckedReads.longBigEndian(array, address + i);
            sum += (word & 0xFFFF_FFFFL) + (word >>> 32);
        }
        if (end - i >= 4)
        {
            sum += UncheckedReads.intBigEndian(array, address + i) & 0xFFFF_FFFFL;
            i += 4;
        }
        if (end - i >= 2)
        {
            sum += UncheckedReads.uint16(array, address + i);
            i += 2;
        }
        if (i < end)
        {
            sum += (long)UncheckedReads.uint8(array, address + i) << 8;
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
        return ~foldWithoutComplement(sum) & 0xFFFF;
    }

    /**
     * Fold a running sum to 16 bits without complementing it: the partial checksum a sender leaves in the field for
     * a device to finish (Linux's {@code CHECKSUM_PARTIAL}), which sums the rest and stores the complement.
     */
    public static int foldWithoutComplement(final long sum)
    {
        long s = (sum & 0xFFFF_FFFFL) + (sum >>> 32);
        s = (s & 0xFFFF) + (s >>> 16);
        s = (s & 0xFFFF) + (s >>> 16);
        s = (s & 0xFFFF) + (s >>> 16);
        return (int)s;
    }

    /**
     * Store a transport checksum big-endian at {@code index}, a computed 0 as {@code 0xFFFF}, its other ones'
     * complement form: 0 in a UDP checksum means "no checksum" (RFC 768), and Linux's {@code skb_checksum_help} and
     * QEMU store a finished TCP or UDP checksum the same way.
     */
    public static void store(final MutableDirectBuffer buffer, final int index, final int checksum)
    {
        buffer.putShort(index, (short)(checksum == 0 ? 0xFFFF : checksum), ByteOrder.BIG_ENDIAN);
    }

    /**
     * Checksum of a contiguous region: the value to store in a checksum field.
     */
    public static int compute(final DirectBuffer buffer, final int index, final int length)
    {
        return fold(sum(buffer, index, length, 0));
    }
}
