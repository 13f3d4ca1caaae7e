package io.ringstack.journal;

import org.agrona.DirectBuffer;

/**
 * A frame's bytes as {@code tcpdump -xx} prints them: 16 bytes a line, in groups of two, each line starting with a
 * tab and its offset.
 * <pre>
 * 	0x0000:  5254 0012 3456 5255 0a00 0202 0800 4500
 * 	0x0010:  001c 0002 0000 4001 62d2 0a00 0202 0a00
 * </pre>
 */
public final class HexView
{
    private static final int BYTES_PER_LINE = 16;
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private HexView()
    {
    }

    /**
     * Append the {@code length} bytes at {@code offset} to {@code text}, each line ended by a line separator.
     *
     * @return {@code text}.
     */
    public static TextBuffer append(
        final TextBuffer text, final DirectBuffer buffer, final int offset, final int length)
    {
        for (int line = 0; line < length; line += BYTES_PER_LINE)
        {
            text.append("\t0x");
            hex(text, line >>> 8);
            hex(text, line);
            text.append(':');
            for (int i = line; i < Math.min(line + BYTES_PER_LINE, length); i++)
            {
                if ((i & 1) == 0)
                {
                    text.append(i == line ? "  " : " ");
                }
                hex(text, buffer.getByte(offset + i));
            }
            text.append(System.lineSeparator());
        }
        return text;
    }

    private static void hex(final TextBuffer text, final int value)
    {
        text.append(DIGITS[(value >>> 4) & 0xF]).append(DIGITS[value & 0xF]);
    }
}
