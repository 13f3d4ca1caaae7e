package io.ringstack.wire;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import static io.ringstack.wire.GoldenFrames.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InternetChecksumTest
{
    /** RFC 1071 section 3, "Numerical Examples". */
    private static final String RFC_1071_EXAMPLE = "00 01 f2 03 f4 f5 f6 f7";

    @Test
    void rfc1071ExampleSumsToDdf2SoItsChecksumIs220d()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes(RFC_1071_EXAMPLE));
        final long sum = InternetChecksum.sum(buffer, 0, 8, 0);

        assertEquals(0xDDF2, ~InternetChecksum.fold(sum) & 0xFFFF);
        assertEquals(0x220D, InternetChecksum.compute(buffer, 0, 8));
    }

    @Test
    void oddLengthPadsTheLastByteWithAZeroOctet()
    {
        // 0001 + f203 + f4f5 + f600 = 0x2dcf9 -> 0xdcf9 + 0x2 = 0xdcfb -> checksum 0x2304
        final UnsafeBuffer odd = new UnsafeBuffer(bytes("00 01 f2 03 f4 f5 f6"));
        final UnsafeBuffer padded = new UnsafeBuffer(bytes("00 01 f2 03 f4 f5 f6 00"));

        assertEquals(0x2304, InternetChecksum.compute(odd, 0, 7));
        assertEquals(InternetChecksum.compute(padded, 0, 8), InternetChecksum.compute(odd, 0, 7));
    }

    @Test
    void singleByteIsTheHighOctetOfAWord()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes("ab"));

        assertEquals(~0xAB00 & 0xFFFF, InternetChecksum.compute(buffer, 0, 1));
    }

    @Test
    void emptyRegionSumsToZeroSoItsChecksumIsFfff()
    {
        assertEquals(0xFFFF, InternetChecksum.compute(new UnsafeBuffer(new byte[0]), 0, 0));
    }

    @Test
    void resultDoesNotDependOnAlignmentForEveryTailLength()
    {
        final byte[] data = bytes(RFC_1071_EXAMPLE + "12 34 56");
        for (int length = 0; length <= data.length; length++)
        {
            final UnsafeBuffer aligned = new UnsafeBuffer(new byte[length]);
            aligned.putBytes(0, data, 0, length);
            final UnsafeBuffer shifted = new UnsafeBuffer(new byte[length + 3]);
            shifted.putBytes(3, data, 0, length);

            assertEquals(InternetChecksum.compute(aligned, 0, length), InternetChecksum.compute(shifted, 3, length),
                "length " + length);
        }
    }

    @Test
    void partialSumsOfEvenLengthPiecesAddUpToTheWholeSum()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes(RFC_1071_EXAMPLE + "12 34 56"));
        final long firstPart = InternetChecksum.sum(buffer, 0, 6, 0);
        final long whole = InternetChecksum.sum(buffer, 6, 5, firstPart);

        assertEquals(InternetChecksum.compute(buffer, 0, 11), InternetChecksum.fold(whole));
    }

    @Test
    void regionHoldingItsOwnChecksumVerifiesToZero()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes(RFC_1071_EXAMPLE + "0000"));
        buffer.putShort(8, (short)InternetChecksum.compute(buffer, 0, 10), ByteOrder.BIG_ENDIAN);

        assertEquals(0, InternetChecksum.compute(buffer, 0, 10));
    }

    @Test
    void pseudoHeaderSumAddsAddressesProtocolAndLength()
    {
        // 0a63 + 0001 + 0a63 + 0002 + 0011 (UDP) + 0011 (length 17) = 0x14eb
        final long sum = InternetChecksum.pseudoHeaderSum(GoldenFrames.HOST_A, GoldenFrames.HOST_B, 17, 17);

        assertEquals(~0x14EB & 0xFFFF, InternetChecksum.fold(sum));
    }

    @Test
    void wordAtATimeSumAgreesWithTheRfc1071ReferenceForEveryLengthAndAlignment()
    {
        final Random random = new Random(1071);
        final byte[] bytes = new byte[1600];
        for (int trial = 0; trial < 20_000; trial++)
        {
            random.nextBytes(bytes);
            final int offset = random.nextInt(16);
            final int length = random.nextInt(bytes.length - offset);
            final long initial = random.nextInt() & 0xFFFF_FFFFL;
            final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
            assertEquals(
                referenceChecksum(bytes, offset, length, initial),
                InternetChecksum.fold(InternetChecksum.sum(buffer, offset, length, initial)),
                "offset " + offset + " length " + length);
        }
    }

    @Test
    void offHeapBufferSumsLikeTheHeapBufferForEveryLengthAndAlignment()
    {
        final Random random = new Random(791);
        final byte[] bytes = new byte[256];
        final UnsafeBuffer offHeap = new UnsafeBuffer(ByteBuffer.allocateDirect(bytes.length));
        for (int trial = 0; trial < 5_000; trial++)
        {
            random.nextBytes(bytes);
            offHeap.putBytes(0, bytes);
            final int offset = random.nextInt(16);
            final int length = random.nextInt(bytes.length - offset);
            assertEquals(
                referenceChecksum(bytes, offset, length, 0),
                InternetChecksum.compute(offHeap, offset, length),
                "offset " + offset + " length " + length);
        }
    }

    @Test
    void regionPastTheEndOfTheBufferIsRefusedBeforeAnyByteIsRead()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8]);
        assertThrows(IndexOutOfBoundsException.class, () -> InternetChecksum.sum(buffer, 4, 5, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> InternetChecksum.sum(buffer, -1, 2, 0));
        assertEquals(0xFFFF, InternetChecksum.compute(buffer, 8, 0), "an empty region at the end is inside");
    }

    /**
     * RFC 1071 section 4.1, word by word in network order.
     */
    private static int referenceChecksum(final byte[] bytes, final int offset, final int length, final long initial)
    {
        long sum = initial;
        for (int i = 0; i < length; i += 2)
        {
            final int high = bytes[offset + i] & 0xFF;
            final int low = i + 1 < length ? bytes[offset + i + 1] & 0xFF : 0;
            sum += (high << 8) | low;
        }
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int)(~sum & 0xFFFF);
    }
}
