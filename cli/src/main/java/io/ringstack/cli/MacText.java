package io.ringstack.cli;

/**
 * MAC addresses as people write them: six hex octets separated by colons.
 */
final class MacText
{
    private MacText()
    {
    }

    /**
     * @throws IllegalArgumentException naming the text.
     */
    static long parse(final String text)
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
}
