package io.ringstack.journal;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Text built in place for the journal's text tools: a reusable array of bytes, the text in UTF-8, numbers written
 * into it two digits at a time ({@link AsciiDigits}), handed to a {@link PrintWriter} or a {@link TextOutput} a
 * block at a time, so that a line of a dump costs no string, no builder, no object and no encoding of characters
 * (the array grows only for a line longer than any before). Numbers read as {@link Long#toString(long)} writes them.
 * Its length is counted in bytes: in characters too while the text is ASCII, as every column a dump pads to is.
 */
public final class TextBuffer
{
    private static final byte[] MIN_LONG = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SPACES = new byte[64];
    private static final int ASCII_LIMIT = 0x80;

    static
    {
        Arrays.fill(SPACES, (byte)' ');
    }

    private byte[] bytes;
    private int length;

    public TextBuffer(final int initialCapacity)
    {
        bytes = new byte[initialCapacity];
    }

    /**
     * @return the text's length in bytes.
     */
    public int length()
    {
        return length;
    }

    /**
     * Keep the first {@code newLength} bytes (no more than there are).
     */
    public TextBuffer setLength(final int newLength)
    {
        length = Math.min(newLength, length);
        return this;
    }

    public TextBuffer append(final char c)
    {
        if (c >= ASCII_LIMIT)
        {
            return append(String.valueOf(c));
        }
        ensureCapacity(length + 1);
        bytes[length++] = (byte)c;
        return this;
    }

    /**
     * Append {@code text} in UTF-8, or {@code "null"} as a {@link StringBuilder} would.
     */
    public TextBuffer append(final String text)
    {
        final String value = text == null ? "null" : text;
        final int count = value.length();
        ensureCapacity(length + count);
        for (int i = 0; i < count; i++)
        {
            final char c = value.charAt(i);
            if (c >= ASCII_LIMIT)
            {
                return appendUtf8(value.substring(i));
            }
            bytes[length++] = (byte)c;
        }
        return this;
    }

    /**
     * Append text already in UTF-8, e.g. a name encoded once for every line that shows it.
     */
    public TextBuffer append(final byte[] utf8)
    {
        ensureCapacity(length + utf8.length);
        System.arraycopy(utf8, 0, bytes, length, utf8.length);
        length += utf8.length;
        return this;
    }

    public TextBuffer append(final TextBuffer text)
    {
        ensureCapacity(length + text.length);
        System.arraycopy(text.bytes, 0, bytes, length, text.length);
        length += text.length;
        return this;
    }

    /**
     * Append {@code count} spaces (none when it is 0 or less). No test of the count: a dump's column that a value
     * fills (a record number of 8 digits, from record 10,000,000 on) would otherwise take the JIT down a branch its
     * compiled code had never seen, mid-dump, and make it compile the whole line again.
     */
    public TextBuffer spaces(final int count)
    {
        final int end = length + Math.max(count, 0);
        ensureCapacity(end);
        for (int done = length; done < end; done += SPACES.length)
        {
            System.arraycopy(SPACES, 0, bytes, done, Math.min(SPACES.length, end - done));
        }
        length = end;
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
        final int digits = AsciiDigits.count(magnitude);
        ensureCapacity(length + sign + digits);
        if (sign != 0)
        {
            bytes[length] = '-';
        }
        length += sign + digits;
        AsciiDigits.write(bytes, length, magnitude);
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
        final int digits = Math.max(width, AsciiDigits.count(value));
        ensureCapacity(length + digits);
        Arrays.fill(bytes, length, length + digits, (byte)'0');
        length += digits;
        AsciiDigits.write(bytes, length, value);
        return this;
    }

    /**
     * Write the text to {@code out} and empty the buffer. The text ends with a whole character, as a dump's lines do.
     */
    public void drainTo(final PrintWriter out)
    {
        out.write(toString());
        length = 0;
    }

    /**
     * Write the text to {@code out} as it is, and empty the buffer.
     */
    public void drainTo(final TextOutput out)
    {
        out.write(bytes, length);
        length = 0;
    }

    public String toString()
    {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    private TextBuffer appendUtf8(final String text)
    {
        return append(text.getBytes(StandardCharsets.UTF_8));
    }

    private void ensureCapacity(final int needed)
    {
        if (needed > bytes.length)
        {
            bytes = Arrays.copyOf(bytes, Math.max(needed, 2 * bytes.length));
        }
    }
}
