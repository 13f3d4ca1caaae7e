package io.ringstack.journal;

import org.agrona.DirectBuffer;

/**
 * Byte-wise comparison of two frames, and the hex diff a divergence report shows: only the 16-byte rows that
 * differ, recorded on the left, replayed on the right, {@code ^^} under each differing byte.
 * <pre>
 *   first difference at byte 44 of 65 (recorded 65 bytes, replayed 65)
 *   offset  recorded                                          replayed
 *   0x0020  00 07 1e 61 00 1f 9c 3e 48 65 6c 6c 6f 20 66 72   00 07 1e 61 00 1f 9c 3e 48 65 6c 6c 6f 21 66 72
 *                                                ^^                                                ^^
 * </pre>
 */
public final class HexDiff
{
    private static final int ROW = 16;
    private static final int MAX_ROWS = 8;

    private HexDiff()
    {
    }

    /**
     * @return whether the two regions hold the same bytes; allocates nothing.
     */
    public static boolean equal(
        final DirectBuffer a, final int aOffset, final int aLength, final DirectBuffer b, final int bOffset,
        final int bLength)
    {
        if (aLength != bLength)
        {
            return false;
        }
        if (a == b && aOffset == bOffset)
        {
            return true;
        }
        int i = 0;
        for (; i + Long.BYTES <= aLength; i += Long.BYTES)
        {
            if (a.getLong(aOffset + i) != b.getLong(bOffset + i))
            {
                return false;
            }
        }
        for (; i < aLength; i++)
        {
            if (a.getByte(aOffset + i) != b.getByte(bOffset + i))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @return the index of the first differing byte, or -1 when the regions are equal.
     */
    private static int firstDifference(final byte[] recorded, final byte[] replayed)
    {
        final int common = Math.min(recorded.length, replayed.length);
        for (int i = 0; i < common; i++)
        {
            if (recorded[i] != replayed[i])
            {
                return i;
            }
        }
        return recorded.length == replayed.length ? -1 : common;
    }

    /**
     * @return the diff of two different frames, several lines, each ending in a line separator.
     */
    public static String describe(final byte[] recorded, final byte[] replayed)
    {
        final StringBuilder text = new StringBuilder();
        final int first = firstDifference(recorded, replayed);
        text.append("first difference at byte ").append(first).append(" (recorded ").append(recorded.length)
            .append(" bytes, replayed ").append(replayed.length).append(')').append(System.lineSeparator());
        text.append(String.format("offset  %-50s%s%n", "recorded", "replayed"));
        final int length = Math.max(recorded.length, replayed.length);
        int rows = 0;
        for (int row = first - first % ROW; row < length && rows < MAX_ROWS; row += ROW)
        {
            if (rowDiffers(recorded, replayed, row))
            {
                rows++;
                text.append(String.format("0x%04x  ", row)).append(hexRow(recorded, row)).append("  ")
                    .append(hexRow(replayed, row)).append(System.lineSeparator());
                final String marks = markRow(recorded, replayed, row);
                text.append("        ").append(marks).append("  ").append(marks).append(System.lineSeparator());
            }
        }
        return text.toString();
    }

    private static boolean rowDiffers(final byte[] a, final byte[] b, final int row)
    {
        for (int i = row; i < row + ROW; i++)
        {
            if (differs(a, b, i))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean differs(final byte[] a, final byte[] b, final int index)
    {
        final boolean inA = index < a.length;
        final boolean inB = index < b.length;
        return inA != inB || (inA && a[index] != b[index]);
    }

    private static String hexRow(final byte[] bytes, final int row)
    {
        final StringBuilder text = new StringBuilder();
        for (int i = row; i < row + ROW; i++)
        {
            text.append(i < bytes.length ? String.format("%02x ", bytes[i] & 0xFF) : "   ");
        }
        return text.toString();
    }

    private static String markRow(final byte[] a, final byte[] b, final int row)
    {
        final StringBuilder text = new StringBuilder();
        for (int i = row; i < row + ROW; i++)
        {
            text.append(differs(a, b, i) ? "^^ " : "   ");
        }
        return text.toString();
    }
}
