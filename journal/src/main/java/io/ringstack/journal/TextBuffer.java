package io.ringstack.journal;

import java.io.PrintWriter;
import java.util.Arrays;

/**
 * Text built in place for the journal's text tools: a reusable array of characters, numbers written into it two
 * digits at a time, handed to a {@link PrintWriter} a block at a time, so that a line of a dump costs no string, no
 * builder and no object (the array grows only for a line longer than any before). Numbers read as
 * {@link Long#toString(long)} writes them.
 */
public final class TextBuffer
{
    private static final String MIN_LONG = Long.toString(Long.MIN_VALUE);
    private static final char[] TENS = new char[100];
    private static final char[] ONES = new char[100];
    private static final char[] SPACES = new char[64];

    static
    {
        Arrays.fill(SPACES, ' ');
        for (int i = 0; i < 100; i++)
        {
            TENS[i] = (char)('0' + i / 10);
            ONES[i] = (char)('0' + i % 10);
        }
    }

    private char[] chars;
    private int length;

    public TextBuffer(final int initialCapacity)
    {
        chars = new char[initialCapacity];
    }

    public int length()
    {
        return length;
    }

    /**
     * Keep the first {@code newLength} characters (no more than there are).
     */
    public TextBuffer setLength(final int newLength)
    {
        length = Math.min(newLength, length);
        return this;
    }

    public TextBuffer append(final char c)
    {
        ensureCapacity(length + 1);
        chars[length++] = c;
        return this;
    }

    /**
     * Append {@code text}, or {@code "null"} as a {@link StringBuilder} would.
     */
    public TextBuffer append(final String text)
    {
        final String value = text == null ? "null" : text;
        final int count = value.length();
        ensureCapacity(length + count);
        value.getChars(0, count, chars, length);
        length += count;
        return this;
    }

    public TextBuffer append(final TextBuffer text)
    {
        ensureCapacity(length + text.length);
        System.arraycopy(text.chars, 0, chars, length, text.length);
        length += text.length;
        return this;
    }

    /**
     * Append {@code count} spaces (none when it is 0 or less).
     */
    public TextBuffer spaces(final int count)
    {
        if (count > 0)
        {
            ensureCapacity(length + count);
            for (int done = 0; done < count; done += SPACES.length)
            {
                System.arraycopy(SPACES, 0, chars, length + done, Math.min(SPACES.length, count - done));
            }
            length += count;
        }
        return this;
    }

    public TextBuffer append(final int value)
    {
        return append((long)value);
    }

    /**
     * Append {@code value} in decimal, a minus sign before it when negative.
     */
    public TextBuffer append(final long value)
    {
        if (value == Long.MIN_VALUE)
        {
            return append(MIN_LONG);
        }
        final long magnitude = Math.abs(value);
        final int sign = value < 0 ? 1 : 0;
        final int digits = digitCount(magnitude);
        ensureCapacity(length + sign + digits);
        if (sign != 0)
        {
            chars[length] = '-';
        }
        length += sign + digits;
        writeDigits(magnitude, length);
        return this;
    }

    /**
     * Append {@code value} in decimal with zeros before it to {@code width} digits, as {@code %0Nd} would; a
     * negative value follows {@code width - 1} zeros, as a dump's time of {@link Long#MIN_VALUE} nanoseconds always
     * read.
     */
    public TextBuffer appendZeroPadded(final long value, final int width)
    {
        if (value < 0)
        {
            return appendZeroPadded(0, width - 1).append(value);
        }
        final int digits = Math.max(width, digitCount(value));
        ensureCapacity(length + digits);
        Arrays.fill(chars, length, length + digits, '0');
        length += digits;
        writeDigits(value, length);
        return this;
    }

    /**
     * Write the digits of {@code value} (0 or more) to end before {@code end}, two at a time.
     */
    private void writeDigits(final long value, final int end)
    {
        int position = end;
        long rest = value;
        while (rest > Integer.MAX_VALUE)
        {
            final long quotient = rest / 100;
            final int pair = (int)(rest - quotient * 100);
            chars[--position] = ONES[pair];
            chars[--position] = TENS[pair];
            rest = quotient;
        }
        int small = (int)rest;
        while (small >= 100)
        {
            final int quotient = small / 100;
            final int pair = small - quotient * 100;
            chars[--position] = ONES[pair];
            chars[--position] = TENS[pair];
            small = quotient;
        }
        chars[--position] = ONES[small];
        if (small >= 10)
        {
            chars[--position] = TENS[small];
        }
    }

    /**
     * @return how many decimal digits {@code value} (0 or more) has.
     */
    public static int digitCount(final long value)
    {
        int count = 1;
        for (long limit = 10; count < 19 && value >= limit; limit *= 10)
        {
            count++;
        }
        return count;
    }

    /**
     * Write the text to {@code out} and empty the buffer.
     */
    public void drainTo(final PrintWriter out)
    {
        out.write(chars, 0, length);
        length = 0;
    }

    public String toString()
    {
        return new String(chars, 0, length);
    }

    private void ensureCapacity(final int needed)
    {
        if (needed > chars.length)
        {
            chars = Arrays.copyOf(chars, Math.max(needed, 2 * chars.length));
        }
    }
}
