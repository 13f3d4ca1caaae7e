package io.ringstack.journal;

/**
 * Decimal digits of a count written as ASCII bytes, two at a time from a table of the hundred pairs, for text the
 * journal's tools build in place: no string and no division by ten per digit.
 */
final class AsciiDigits
{
    /** Digits of {@link Long#MAX_VALUE}: the most a count has. */
    static final int MAX_DIGITS = 19;

    private static final byte[] TENS = new byte[100];
    private static final byte[] ONES = new byte[100];

    static
    {
        for (int i = 0; i < 100; i++)
        {
            TENS[i] = (byte)('0' + i / 10);
            ONES[i] = (byte)('0' + i % 10);
        }
    }

    private AsciiDigits()
    {
    }

    /**
     * @return how many decimal digits {@code value} (0 or more) has.
     */
    static int count(final long value)
    {
        int count = 1;
        for (long limit = 10; count < MAX_DIGITS && value >= limit; limit *= 10)
        {
            count++;
        }
        return count;
    }

    /**
     * Write the digits of {@code value} (0 or more) to end just before {@code end}: {@link #count(long)} bytes.
     */
    static void write(final byte[] bytes, final int end, final long value)
    {
        int position = end;
        long rest = value;
        while (rest > Integer.MAX_VALUE)
        {
            final long quotient = rest / 100;
            final int pair = (int)(rest - quotient * 100);
            bytes[--position] = ONES[pair];
            bytes[--position] = TENS[pair];
            rest = quotient;
        }
        int small = (int)rest;
        while (small >= 100)
        {
            final int quotient = small / 100;
            final int pair = small - quotient * 100;
            bytes[--position] = ONES[pair];
            bytes[--position] = TENS[pair];
            small = quotient;
        }
        bytes[--position] = ONES[small];
        if (small >= 10)
        {
            bytes[--position] = TENS[small];
        }
    }
}
