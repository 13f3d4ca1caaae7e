package io.ringstack.wire;

/**
 * MAC addresses as people write them: six hex octets separated by colons.
 */
public final class MacText
{
    private MacText()
    {
    }

    /**
     * @throws IllegalArgumentException naming the text.
     */
    public static long parse(final String text)
    {
        final String[] octets = text.split(":", -1);
        if (octets.length != 6)
        {
            throw new IllegalArgumentException("not a MAC address (six hex octets, e.g. 52:54:00:12:34:56): " + text);
        }
        long mac = 0;
        for (final String octet : octets)
        {
            if (octet.length() != 2 || !octet.chars().allMatch(c -> Character.digit(c, 16) >= 0))
            {
                throw new IllegalArgumentException("not a MAC address (six hex octets, e.g. 52:54:00:12:34:56): " +
                    text);
            }
            mac = (mac << 8) | Integer.parseInt(octet, 16);
        }
        return mac;
    }

    /**
     * @return {@code mac}'s low 48 bits as six lower-case hex octets, e.g. {@code "52:54:00:12:34:56"}.
     */
    public static String format(final long mac)
    {
        final StringBuilder text = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8)
        {
            text.append(String.format("%02x", (mac >>> shift) & 0xFF));
            if (shift > 0)
            {
                text.append(':');
            }
        }
        return text.toString();
    }
}
